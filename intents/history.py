"""The run history: one row per run, in SQLite (the standard sqlite3 module), under INTENT_HOME.

History is a convenience, never in the way of an answer: a damaged file makes `intent history` say so
plainly (HistoryDamaged), and the next run moves it aside (kept, not deleted) and starts a fresh one.
Text that is not valid UTF-8 (bytes on argv) is stored with U+FFFD in place of the bad bytes, so the
row is never lost to an encoding error.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from intents.errors import IntentError

MAX_TEXT = 4000  # an utterance longer than this is stored truncated
FILENAME = "history.db"
COLUMNS = {"id": int, "ts": str, "text": str, "action": str, "params": str, "status": str,
           "exit_code": int, "result": str, "error": str, "elapsed_ms": float, "source": str,
           "follows": int, "chain": int}
_TEXT_COLUMNS = ("ts", "text", "action", "status", "source")

_SURROGATE = re.compile("[\ud800-\udfff]")  # what surrogateescape makes of each undecodable byte


def _log():
    """The history's logger, for the rare damaged file: logging is not imported on every run (~2 ms)."""
    import logging

    return logging.getLogger("intent.history")


class HistoryDamaged(IntentError):
    """The history file cannot be read; nothing else (store, licence, packs) is affected."""

    kind = "history_damaged"


class History:
    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.path = self.home / FILENAME

    def _db(self) -> "_Db":
        """The history file, open and checked (the caller closes `.conn`). Plain sqlite3: the history is
        written on every run, and sqlite-utils costs a run more than the rest of it (it imports numpy and
        loads its plugins); the schema is the one sqlite-utils created for `COLUMNS`, byte for byte."""
        from intents.safe_files import SQLITE_COMPANIONS, prepare_file, private_dir

        private_dir(self.home)
        prepare_file(self.path, SQLITE_COMPANIONS)  # owner-only; a link in its place is refused
        conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            # NORMAL before the switch to WAL: the switch on a new file is then not made with FULL's extra
            # fsyncs (~15-20 ms of wall on first use here, ~half of it saved); WAL + NORMAL is the end state anyway.
            conn.execute("PRAGMA synchronous=NORMAL")
            # Switching to WAL needs a moment alone with the file; two terminals starting together can
            # collide here, and the busy timeout does not cover it, so retry briefly.
            for attempt in range(50):
                try:
                    conn.execute("PRAGMA journal_mode=WAL")
                    break
                except sqlite3.OperationalError:
                    if attempt == 49:
                        raise
                    time.sleep(0.02)
            # WAL + NORMAL, as the entitlement store: a killed process loses nothing committed, and a run does
            # not wait for an fsync of the log (tens of ms on a busy disk) before its answer is shown.
            conn.execute("PRAGMA synchronous=NORMAL")
            have = _columns(conn)
            if not have:
                # BEGIN IMMEDIATE waits its turn; a plain create can fail at once when another process
                # created the table after this connection read the schema.
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute(CREATE_SQL)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            else:
                if not {"id", "ts", "action", "status", "params"} <= have:
                    # not a history this terminal wrote: damaged, and left exactly as found
                    raise sqlite3.DatabaseError(f"its runs table has other columns ({', '.join(sorted(have))})")
                if "chain" not in have:
                    self._add_conversation_columns(conn)
        except BaseException:
            conn.close()
            raise
        return _Db(conn)

    @staticmethod
    def _add_conversation_columns(conn) -> None:
        """History written before follow-ups existed: add the columns that link a run to the one it
        continues (`follows`) and to the first step of its compound request (`chain`)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            have = {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
            for name in ("follows", "chain"):
                if name not in have:
                    conn.execute(f"ALTER TABLE runs ADD COLUMN {name} INTEGER")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def record(
        self,
        *,
        action: str | None,
        params: dict[str, Any] | None,
        status: str,
        exit_code: int,
        text: str | None = None,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
        elapsed_ms: float = 0.0,
        source: str = "cli",
        follows: int | None = None,
        chain: int | None = None,
    ) -> int | None:
        """Record one run; returns its id."""
        row = {
            "ts": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "text": clean_text(text or "")[:MAX_TEXT],
            "action": clean_text(action) if action is not None else None,
            "params": json.dumps(_clean(params or {}), default=str),
            "status": clean_text(status),
            "exit_code": exit_code,
            "result": json.dumps(_clean(result), default=str)[:100_000] if result is not None else None,
            "error": json.dumps(_clean(error), default=str) if error else None,
            "elapsed_ms": round(elapsed_ms, 3),
            "source": clean_text(source),
            "follows": follows,
            "chain": chain,
        }
        try:
            return self._insert(row)
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise
            kept = self._move_aside()
            _log().warning("the history file %s was damaged (%s); kept it as %s and started a new one",
                        self.path, exc, kept)
            return self._insert(row)

    def _insert(self, row: dict[str, Any]) -> int | None:
        db = self._db()
        try:
            names = ", ".join(_quote(name) for name in row)
            marks = ", ".join("?" for _ in row)
            return db.conn.execute(f"INSERT INTO runs ({names}) VALUES ({marks})", list(row.values())).lastrowid
        finally:
            db.conn.close()

    def _move_aside(self) -> Path:
        """Rename the damaged file (and its -wal/-shm) to history.db.damaged-TIME: kept for whoever wants
        to look, out of the way of new runs."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        kept = self.path.with_name(f"{FILENAME}.damaged-{stamp}-{os.getpid()}")
        for suffix in ("", "-wal", "-shm"):
            try:
                os.rename(f"{self.path}{suffix}", f"{kept}{suffix}")
            except FileNotFoundError:
                pass  # another terminal moved it first, or there was none
        return kept

    def last_run(self) -> dict[str, Any] | None:
        """The newest run with an action that ran or only lacked values: what `-c` continues. Read-only,
        in intents.history_last, so that `intent resolve -c` need not import this module."""
        from intents.history_last import last_run

        return last_run(self.home)

    def chain(self, entry_id: int) -> list[dict[str, Any]]:
        """Every recorded step of the compound request run `entry_id` belongs to, oldest first (just that
        run when it was a request of its own); empty when there is no such run."""
        entry = next((e for e in self._select("WHERE id = ?", [int(entry_id)])), None)
        if entry is None:
            return []
        head = entry["chain"] if entry.get("chain") is not None else entry["id"]
        return self._select("WHERE id = ? OR chain = ? ORDER BY id", [head, head])

    def _select(self, where: str, args: list) -> list[dict[str, Any]]:
        """Rows of `SELECT * FROM runs <where>`, as callers expect them; a damaged or unreadable file is
        a HistoryDamaged that says what is kept and what happens next."""
        if not os.path.lexists(self.path):
            return []
        try:
            db = self._db()
            try:
                cursor = db.conn.execute(f"SELECT * FROM runs {where}", args)
                names = [d[0] for d in cursor.description]
                rows = [dict(zip(names, r)) for r in cursor.fetchall()]
            finally:
                db.conn.close()
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise HistoryDamaged(f"the history {self.path} cannot be read now: {exc}; try again",
                                     path=str(self.path)) from None
            raise HistoryDamaged(
                f"the history {self.path} is damaged ({exc}), so past runs cannot be shown. Nothing else is "
                f"affected: your licence, usage and packs are kept elsewhere. The next run moves the file "
                f"aside to {FILENAME}.damaged-<time> (kept, not deleted) and starts a new history.",
                path=str(self.path),
            ) from None
        return [_row(r) for r in rows]

    def entries(self, limit: int = 50, search: str | None = None) -> list[dict[str, Any]]:
        where, args = "", []
        if search:
            where, args = "WHERE text like ? or action like ?", [f"%{search}%", f"%{search}%"]
        return self._select(f"{where} ORDER BY id desc LIMIT ?", [*args, -1 if limit is None else int(limit)])


class _Db:
    """An open history file, as `History._db()` hands it out: `.conn`, which the caller closes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


def _columns(conn: sqlite3.Connection) -> set[str]:
    """The runs table's column names; empty when there is no such table yet."""
    return {row[1] for row in conn.execute("PRAGMA table_info(runs)")}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_SQL_TYPES = {int: "INTEGER", str: "TEXT", float: "REAL"}
# What sqlite-utils' `db["runs"].create(COLUMNS, pk="id")` wrote, so a history made by either reads the same.
CREATE_SQL = "CREATE TABLE IF NOT EXISTS \"runs\" (\n" + ",\n".join(
    f"   {_quote(name)} {_SQL_TYPES[kind]}" + (" PRIMARY KEY" if name == "id" else "")
    for name, kind in COLUMNS.items()) + "\n)"


def _row(row: dict[str, Any]) -> dict[str, Any]:
    """One row as callers expect it, whatever was written into the file by hand."""
    out = dict(row)
    for name in _TEXT_COLUMNS:
        value = out.get(name)
        out[name] = clean_text(str(value)) if value is not None else ("" if name in ("ts", "text", "status") else None)
    out["params"] = _json(out.get("params"), {})
    out["result"] = _json(out.get("result"), None)
    out["error"] = _json(out.get("error"), None)
    return out


def _json(value: Any, empty: Any) -> Any:
    if value in (None, ""):
        return empty
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return {"unreadable": clean_text(str(value))[:200]}  # an edited row is shown as what it holds


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """A file that is not (or no longer) our database, as opposed to a busy one."""
    text = str(exc).lower()
    if type(exc) is sqlite3.DatabaseError:
        return True  # "file is not a database", "database disk image is malformed", ...
    return isinstance(exc, sqlite3.OperationalError) and any(
        words in text for words in ("no such column", "has no column", "malformed", "not a database"))


def clean_text(text: str) -> str:
    """`text` as valid UTF-8: bytes that were not (argv decoded with surrogateescape) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
