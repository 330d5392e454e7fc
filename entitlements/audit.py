"""The audit log: denials, consumption, licence changes, pack installs, and whatever helpers record.

`record_event(home, kind, detail)` is the one call other parts use (the packs and LLM helpers do).
It never raises: an audit write must not break the work it records; it returns False if it failed.
With a fleet store configured (INTENT_STORE_URL), each event also goes to the server's audit table,
under this terminal's machine id, without request text or other free-form strings (`for_server`),
on one connection kept for the process. While the server does not answer, events stay in the local
log only (tried again after FLEET_RETRY_S, so a down server costs one connect timeout per
FLEET_RETRY_S, not one per event).
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

MAX_DETAIL = 8000  # characters of JSON kept per event
FLEET_RETRY_S = 30.0
_fleet: dict[tuple[str, str], Any] = {}  # (store url, home) -> the fleet ledger events go to
_fleet_failed: dict[tuple[str, str], float] = {}  # ... -> when it last failed (monotonic)


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
        written = True
    except StoreError as err:
        print(f"warning: audit event {kind!r} not recorded: {err.message}", file=sys.stderr)
        written = False
    finally:
        if own:
            store.close()
    fleet = _to_fleet(home, str(kind), dict(detail or {}))
    return written or fleet is True


_PRIVATE_KEYS = frozenset({"text", "sent", "prompt", "query", "input", "request", "source_text"})
_TOKEN = re.compile(r"^[\w.:/@+=#,-]{0,200}$")  # ids, keys, versions, URLs: no spaces, so no sentences
KEPT_HERE = "[kept on this terminal]"


def for_server(detail: Any) -> Any:
    """What of an event the fleet's server may see: numbers, flags, and identifier-like strings (action
    ids, feature keys, versions, URLs); a request's text, or any free-form string (a sentence, an error
    message that may quote one), stays in the local log only."""
    if isinstance(detail, dict):
        return {str(k): (KEPT_HERE if str(k).lower() in _PRIVATE_KEYS else for_server(v)) for k, v in detail.items()}
    if isinstance(detail, (list, tuple)):
        return [for_server(v) for v in detail]
    if detail is None or isinstance(detail, (bool, int, float)):
        return detail
    text = str(detail)
    return text if _TOKEN.match(text) else KEPT_HERE


def _to_fleet(home: Path, kind: str, detail: dict[str, Any]) -> bool | None:
    """The event on the fleet's server too: True when written, False when it could not be, None when no
    fleet store is configured. Never raises."""
    import time

    from entitlements.errors import StoreError
    from entitlements.fleet import store_url

    try:
        url = store_url()
    except StoreError:
        return False  # a bad URL: the gate says why; the local log has the event
    if not url:
        return None
    key = (url, str(Path(home).resolve()))
    if time.monotonic() - _fleet_failed.get(key, -1e9) < FLEET_RETRY_S:
        return False
    try:
        ledger = _fleet.get(key)
        if ledger is None:
            from entitlements.fleet import ledger_for

            ledger = _fleet[key] = ledger_for(home)
        with ledger.transaction() as tx:
            tx.audit(kind, for_server(detail), datetime.now(timezone.utc))
        _fleet_failed.pop(key, None)
        return True
    except Exception as err:  # noqa: BLE001 - an audit write never breaks the work it records
        _fleet_failed[key] = time.monotonic()
        message = getattr(err, "message", None) or str(err)
        print(f"warning: audit event {kind!r} kept on this terminal only: {message}", file=sys.stderr)
        return False


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


def close_fleet() -> None:
    """Close the connections events went to the fleet's server on (tests; a process's end does it too)."""
    for ledger in list(_fleet.values()):
        ledger.close()
    _fleet.clear()
    _fleet_failed.clear()
