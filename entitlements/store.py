"""The entitlement store: one SQLite file under INTENT_HOME (WAL, owner-only), opened through sqlite-utils.

It holds usage, the audit log, the clock high-water mark and licence history. It is never a source of
trust: what a person may do is derived from verified licence tokens every time (see `gate.py`), and
usage is also kept in the hash-chained usage record next to the licence, so deleting this file resets
nothing (see `usage_record.py`). The SQL of usage lives in `ledger.py`.
"""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from entitlements.errors import StoreCorrupt, StoreError, StoreLocked

FILENAME = "entitlements.db"
BUSY_TIMEOUT_S = 10.0  # two terminals consuming at once wait for each other, not fail


def store_path(home: Path) -> Path:
    return Path(home) / FILENAME


class Store:
    def __init__(self, home: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.home = Path(home)
        self.path = store_path(self.home)
        self.busy_timeout_s = busy_timeout_s
        self._lock = threading.RLock()  # one connection, shared by the threads of one process
        self._conn: sqlite3.Connection | None = None
        self._db = None

    # ---- opening ---------------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._open()
        return self._conn

    @property
    def db(self):
        """The sqlite_utils.Database over the same connection (schema work and reads)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def _open(self) -> None:
        from intents.safe_files import SQLITE_COMPANIONS, prepare_file, private_dir

        # Owner-only, created before SQLite touches it (SQLite gives -wal/-shm the same mode); a link in
        # place of the store or its -wal/-shm is refused, so neither is created nor chmod-ed elsewhere.
        private_dir(self.home)
        prepare_file(self.path, SQLITE_COMPANIONS)
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a check and its write are one unit.
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            # WAL + NORMAL: a killed process never corrupts the file or loses a committed transaction.
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise self._translate(exc) from None
        if str(mode).lower() != "wal":
            conn.close()
            raise StoreError(f"the entitlement store {self.path} cannot use WAL mode (got {mode})", path=str(self.path))
        self._conn = conn
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    def _migrate(self) -> None:
        from entitlements import migrations

        # Fast path: nothing to do when the latest migration is already recorded (a read, no write lock).
        try:
            row = self._conn.execute(
                "SELECT 1 FROM _migrations WHERE name = ?", [migrations.latest()]
            ).fetchone()
            if row:
                return
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise self._translate(exc) from None
        except sqlite3.Error as exc:
            raise self._translate(exc) from None
        with self.write():
            migrations.apply(self.db)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._db = None

    # ---- transactions ----------------------------------------------------------------------------
    @contextmanager
    def write(self, blocking: bool = True) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken before anything is read, so read-check-write
        sequences of two processes are serialised and can never both pass a limit.
        blocking=False fails at once (StoreLocked) instead of waiting busy_timeout_s for the lock."""
        with self._lock:
            conn = self.conn
            try:
                if not blocking:
                    conn.execute("PRAGMA busy_timeout=0")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                finally:
                    if not blocking:
                        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
            except sqlite3.Error as exc:
                raise self._translate(exc, waited=blocking) from None
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise self._translate(exc) from None

    def read(self, sql: str, params=()) -> list[tuple]:
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._translate(exc) from None

    # ---- meta ------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self.read("SELECT value FROM meta WHERE key = ?", [key])
        return rows[0][0] if rows else None

    # ---- errors ----------------------------------------------------------------------------------
    def _translate(self, exc: sqlite3.Error, waited: bool = True) -> StoreError:
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return StoreLocked(
                f"the entitlement store {self.path} is locked by another process"
                + (f" (waited {self.busy_timeout_s:g} s)" if waited else "") + "; close other terminals or try again",
                path=str(self.path),
            )
        if isinstance(exc, sqlite3.DatabaseError) and (
            "not a database" in text or "malformed" in text or "corrupt" in text
        ):
            return StoreCorrupt(
                f"the entitlement store {self.path} is damaged ({text}); your licence is safe under "
                f"{self.home / 'licences'}, and so is this period's usage (in its usage record there). "
                f"To start a new store, which keeps those counts: mv {self.path} {self.path}.damaged",
                path=str(self.path),
            )
        return StoreError(f"the entitlement store {self.path} cannot be used: {text}", path=str(self.path))
