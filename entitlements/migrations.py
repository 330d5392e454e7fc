"""Schema migrations, applied in order; each applied name is recorded in `_migrations`.

A later release appends a function here and never edits an old one, so an old store upgrades safely.
All of them run inside the store's BEGIN IMMEDIATE transaction: two processes never migrate at once.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

MIGRATIONS: list[tuple[str, Callable]] = []


def migration(fn: Callable) -> Callable:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db) -> None:
    # meta: small facts the store remembers (clock high-water mark). Never a source of entitlement.
    db["meta"].create({"key": str, "value": str}, pk="key")
    # usage: append-only ledger, one row per consumption; the idempotency key makes retries safe.
    db["usage"].create(
        {"id": int, "idempotency_key": str, "feature": str, "qty": int, "period": str, "source": str,
         "at": str},
        pk="id",
    )
    db["usage"].create_index(["idempotency_key"], unique=True)
    db["usage"].create_index(["feature", "period"])
    # counters: running totals per (feature, period), updated in the same transaction as the ledger.
    db["counters"].create({"feature": str, "period": str, "used": int}, pk=("feature", "period"))
    # audit: denials, consumption, licence changes, pack installs, anything a helper records.
    db["audit"].create({"id": int, "at": str, "kind": str, "detail": str}, pk="id")
    db["audit"].create_index(["kind"])
    # licences: history of activated tokens (the token is re-verified whenever it is read).
    db["licences"].create(
        {"jti": str, "kind": str, "token": str, "subject": str, "plan": str, "activated_at": str,
         "expires_at": str},
        pk="jti",
    )


def apply(db) -> list[str]:
    """Apply the migrations this store lacks; the caller holds a write transaction. Returns names applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        fn(db)
        db.execute(
            "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
            [name, datetime.now(timezone.utc).isoformat(timespec="seconds")],
        )
        applied.append(name)
    return applied


def latest() -> str:
    return MIGRATIONS[-1][0]
