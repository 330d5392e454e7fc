"""The usage ledger: the one place that knows the store's SQL for usage, counters, meta and licence history.

`Ledger` is the interface the gate uses; `SqliteLedger` is the local SQLite store. A second backend (the
fleet's PostgreSQL, a later issue) implements the same methods; the gate never writes SQL itself.
A `LedgerTx` is one serialised transaction (BEGIN IMMEDIATE here; SELECT ... FOR UPDATE or a
serializable transaction there): whatever a consumption reads and writes inside it is one unit.

None of it is a source of entitlement: what a person may do comes from verified tokens, and usage is
also kept in the hash-chained usage record next to the licence (usage_record.py).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator, Protocol

from entitlements import audit
from entitlements.errors import StoreError
from entitlements.store import Store

COUNTER_SQL = "SELECT used FROM counters WHERE feature = ? AND period = ?"
HIGH_WATER = "clock_high_water"
RECORD_HEAD = "usage_record_head"
RECORD_PENDING = "usage_record_pending"  # a fleet's copy of the record line sent with the last use


def _at(now: datetime) -> str:
    return now.astimezone(timezone.utc).isoformat(timespec="microseconds")


class LedgerTx(Protocol):
    def used(self, feature: str, period: str) -> int: ...
    def has_key(self, key: str) -> bool: ...
    def uses_of(self, key: str) -> list[tuple[str, str, int]]: ...
    def record_use(self, key: str, feature: str, parts: list[tuple[str, int]], now: datetime,
                   source: str = "gate") -> None: ...
    def refund(self, key: str, now: datetime) -> list[tuple[str, str, int]]: ...
    def high_water(self) -> datetime | None: ...
    def raise_high_water(self, now: datetime) -> None: ...
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
    def audit(self, kind: str, detail: dict[str, Any], now: datetime) -> None: ...
    def record_licence(self, claims, token: str, now: datetime) -> None: ...


class Ledger(Protocol):
    def transaction(self, blocking: bool = True) -> Any: ...  # context manager yielding a LedgerTx
    def used(self, feature: str, period: str) -> int: ...
    def get_meta(self, key: str) -> str | None: ...
    def high_water(self) -> datetime | None: ...
    def licence_history(self) -> list[tuple[str, str, str]]: ...  # (jti, subject, token), newest first
    def problem(self) -> StoreError | None: ...  # why the ledger cannot be used now, or None
    def close(self) -> None: ...


def _parse_time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


class SqliteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def used(self, feature: str, period: str) -> int:
        row = self.conn.execute(COUNTER_SQL, (feature, period)).fetchone()
        return int(row[0]) if row else 0

    def has_key(self, key: str) -> bool:
        """Whether a consumption was made under `key` (an index lookup: the hot path's retry check)."""
        return self.conn.execute("SELECT 1 FROM usage WHERE idempotency_key = ?", [key]).fetchone() is not None

    def uses_of(self, key: str) -> list[tuple[str, str, int]]:
        """(feature, period, qty) of the consumption made under `key` (its parts are key, key#1, ...)."""
        return [(f, p, int(q)) for f, p, q in self.conn.execute(
            "SELECT feature, period, qty FROM usage WHERE qty > 0 AND "
            "(idempotency_key = ? OR substr(idempotency_key, 1, ?) = ?) ORDER BY id",
            [key, len(key) + 1, key + "#"],
        ).fetchall()]

    def record_use(self, key: str, feature: str, parts: list[tuple[str, int]], now: datetime,
                   source: str = "gate") -> None:
        at = _at(now)
        for n, (period, amount) in enumerate(parts):
            # The first part carries the caller's key (what a retry looks up); further parts are suffixed.
            self.conn.execute(
                "INSERT INTO usage (idempotency_key, feature, qty, period, source, at) VALUES (?, ?, ?, ?, ?, ?)",
                [key if n == 0 else f"{key}#{n}", feature, amount, period, source, at],
            )
            self.conn.execute(
                "INSERT INTO counters (feature, period, used) VALUES (?, ?, ?) "
                "ON CONFLICT (feature, period) DO UPDATE SET used = used + excluded.used",
                [feature, period, amount],
            )

    def refund(self, key: str, now: datetime) -> list[tuple[str, str, int]]:
        """A compensating entry (negative qty) per part, written once per key; the ledger stays
        append-only. Returns what was given back ([] when nothing was, or it already was)."""
        refund_key = f"{key}!refund"
        if self.conn.execute("SELECT 1 FROM usage WHERE idempotency_key = ?", [refund_key]).fetchone():
            return []
        parts = self.uses_of(key)
        at = _at(now)
        for n, (feature, period, qty) in enumerate(parts):
            self.conn.execute(
                "INSERT INTO usage (idempotency_key, feature, qty, period, source, at) VALUES (?, ?, ?, ?, ?, ?)",
                [refund_key if n == 0 else f"{refund_key}#{n}", feature, -qty, period, "refund", at],
            )
            self.conn.execute("UPDATE counters SET used = max(used - ?, 0) WHERE feature = ? AND period = ?",
                              [qty, feature, period])
        return parts

    def high_water(self) -> datetime | None:
        return _parse_time(self.get_meta(HIGH_WATER))

    def raise_high_water(self, now: datetime) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
            "value = max(value, excluded.value)", [HIGH_WATER, _at(now)],
        )

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                          "value = excluded.value", [key, value])

    def audit(self, kind: str, detail: dict[str, Any], now: datetime) -> None:
        audit.insert(self.conn, kind, detail, now)

    def record_licence(self, claims, token: str, now: datetime) -> None:
        plan = getattr(claims, "plan", None) or getattr(claims, "feature", "")
        self.conn.execute(
            "INSERT OR REPLACE INTO licences (jti, kind, token, subject, plan, activated_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [claims.jti, claims.typ, token, claims.sub, plan, _at(now), claims.exp.isoformat()],
        )


class SqliteLedger:
    """The ledger in the local SQLite store (entitlements.db)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def transaction(self, blocking: bool = True) -> Iterator[SqliteTx]:
        """blocking=False: give up at once (StoreLocked) if another process holds the write lock; for
        writes nothing waits on (the latest-seen time, a denial's audit line)."""
        with self.store.write(blocking=blocking) as conn:
            yield SqliteTx(conn)

    def problem(self) -> StoreError | None:
        try:
            self.store.conn
        except StoreError as err:
            return err
        return None

    def used(self, feature: str, period: str) -> int:
        rows = self.store.read(COUNTER_SQL, (feature, period))
        return int(rows[0][0]) if rows else 0

    def get_meta(self, key: str) -> str | None:
        return self.store.get_meta(key)

    def high_water(self) -> datetime | None:
        try:
            return _parse_time(self.store.get_meta(HIGH_WATER))
        except StoreError:
            return None

    def licence_history(self) -> list[tuple[str, str, str]]:
        if not self.store.path.exists():
            return []  # reading must not create a store
        try:
            return [tuple(r) for r in self.store.read(
                "SELECT jti, subject, token FROM licences WHERE kind = 'licence' ORDER BY activated_at DESC")]
        except StoreError:
            return []

    def close(self) -> None:
        self.store.close()
