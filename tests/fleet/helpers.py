"""Helpers for the fleet tests: terminals (homes) sharing one licence on the test PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from tests.licensing import licence_token


def new_home(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    return path


def activate(home: Path, token: str):
    """Activate `token` in `home` the way `intent license activate` does (on the configured store)."""
    from entitlements import open_gate
    from entitlements.wallet import activate as do_activate

    gate = open_gate(home)
    try:
        return do_activate(home, token, gate.trusted(), datetime.now(timezone.utc), ledger=gate.ledger)
    finally:
        gate.close()


def fleet_licence(tmp_path: Path, monkeypatch, plan: str = "pro", **kwargs) -> str:
    """A licence signed by the test vendor (trusted through INTENT_TRUST_DIR), shared by the homes."""
    anchor = tmp_path / "vendor-anchor"
    anchor.mkdir(exist_ok=True)
    return licence_token(anchor, plan, 30, monkeypatch, **kwargs)


def dbname(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return conninfo_to_dict(url)["dbname"]
