"""The audit log: denials, consumption, licence changes, pack installs, and whatever helpers record.

`record_event(home, kind, detail)` is the one call other parts use (the packs and LLM helpers do).
It never raises: an audit write must not break the work it records; it returns False if it failed.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

MAX_DETAIL = 8000  # characters of JSON kept per event


def _now_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="microseconds")


def insert(conn, kind: str, detail: dict[str, Any], now: datetime | None = None) -> None:
    """Append one event on an open connection, inside the caller's transaction if it has one."""
    text = json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True)[:MAX_DETAIL]
    conn.execute("INSERT INTO audit (at, kind, detail) VALUES (?, ?, ?)", [_now_iso(now), kind, text])


def record_event(home: Path, kind: str, detail: dict[str, Any] | None = None, store=None) -> bool:
    """Append an event to the audit log of the store under `home`. Returns True when it was written."""
    from entitlements.errors import StoreError
    from entitlements.store import Store

    own = store is None
    store = store or Store(home)
    try:
        with store.write() as conn:
            insert(conn, str(kind), dict(detail or {}))
        return True
    except StoreError as err:
        print(f"warning: audit event {kind!r} not recorded: {err.message}", file=sys.stderr)
        return False
    finally:
        if own:
            store.close()


def events(home: Path, kind: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The latest events, newest first (for `intent license show` and tests)."""
    from entitlements.store import Store, store_path

    if not store_path(home).exists():
        return []
    store = Store(home)
    try:
        sql = "SELECT id, at, kind, detail FROM audit"
        params: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(int(limit))
        return [{"id": i, "at": at, "kind": k, "detail": json.loads(d)} for i, at, k, d in store.read(sql, params)]
    finally:
        store.close()
