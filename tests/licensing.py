"""Test helper: give a home a real, signed licence for a plan.

A throwaway Ed25519 key is generated next to the home, its public half is trusted through
INTENT_TRUST_DIR (for this process and the CLI subprocesses the `cli` fixture starts, which copy
os.environ), and a licence signed with it is activated in the home.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path


def vendor_key(home: Path, monkeypatch=None):
    """(private key, trust dir) for the test vendor of this home; trusted via INTENT_TRUST_DIR."""
    from entitlements.keys import keygen, load_private

    base = Path(home).parent
    trust, keydir = base / "trusted-keys", base / "vendor-key"
    if not (keydir / "private.pem").exists():
        keygen(keydir)
        trust.mkdir(exist_ok=True)
        (trust / "test-vendor.pem").write_bytes((keydir / "public.pem").read_bytes())
    if monkeypatch is not None:
        monkeypatch.setenv("INTENT_TRUST_DIR", str(trust))
    else:  # the caller restores os.environ (see the `unlocked` fixture)
        os.environ["INTENT_TRUST_DIR"] = str(trust)
    return load_private(keydir / "private.pem"), trust


def licence_token(home: Path, plan: str, days: float = 30, monkeypatch=None, now: datetime | None = None,
                  **kwargs) -> str:
    from entitlements.licence import issue_licence

    key, _ = vendor_key(home, monkeypatch)
    return issue_licence(key, plan, days, subject="test@example.com", now=now, **kwargs)


def activate_plan(home: Path, plan: str, monkeypatch=None, days: float = 30) -> None:
    """Activate a real licence for `plan` in `home`, signed by a key trusted through INTENT_TRUST_DIR."""
    from datetime import timezone

    from entitlements.keys import trusted_keys
    from entitlements.wallet import activate

    token = licence_token(home, plan, days, monkeypatch)
    activate(Path(home), token, trusted_keys(), datetime.now(timezone.utc))
