"""The run history: one row per run, in SQLite through sqlite-utils, under INTENT_HOME."""
from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

MAX_TEXT = 4000  # an utterance longer than this is stored truncated


class History:
    def __init__(self, home: Path) -> None:
        self.path = home / "history.db"

    def _db(self):
        import sqlite_utils

        conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=5000")
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
        db = sqlite_utils.Database(conn)
        if "runs" not in db.table_names():
            # BEGIN IMMEDIATE waits its turn; a plain create can fail at once when another process
            # created the table after this connection read the schema.
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._create(db)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self.path.chmod(0o600)
        elif "chain" not in {c.name for c in db["runs"].columns}:
            self._add_conversation_columns(conn)
        return db

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

    @staticmethod
    def _create(db) -> None:
        columns = {"id": int, "ts": str, "text": str, "action": str, "params": str, "status": str,
                   "exit_code": int, "result": str, "error": str, "elapsed_ms": float, "source": str, "follows": int, "chain": int}
        db["runs"].create(columns, pk="id", if_not_exists=True)

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
        db = self._db()
        try:
            table = db["runs"].insert(
                {
                    "ts": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "text": (text or "")[:MAX_TEXT],
                    "action": action,
                    "params": json.dumps(params or {}, default=str),
                    "status": status,
                    "exit_code": exit_code,
                    "result": json.dumps(result, default=str)[:100_000] if result is not None else None,
                    "error": json.dumps(error, default=str) if error else None,
                    "elapsed_ms": round(elapsed_ms, 3),
                    "source": source,
                    "follows": follows,
                    "chain": chain,
                }
            )
            return table.last_pk
        finally:
            db.conn.close()

    def last_run(self) -> dict[str, Any] | None:
        """The newest run with an action that ran or only lacked values: what `-c` continues. Plain
        sqlite3 and read-only, so a follow-up costs no more than a first request."""
        if not self.path.exists():
            return None
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=2)
        except sqlite3.Error:
            return None
        try:
            row = conn.execute(
                "SELECT id, text, action, params, result FROM runs WHERE action IS NOT NULL "
                "AND status IN ('ok', 'missing_parameters') ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.Error:
            return None
        finally:
            conn.close()
        if row is None:
            return None
        try:
            params = json.loads(row[3] or "{}")
            result = json.loads(row[4]) if row[4] else None
        except ValueError:
            return None
        return {"id": row[0], "text": row[1], "action": row[2], "params": params if isinstance(params, dict) else {},
                "result": result if isinstance(result, dict) else None}

    def entries(self, limit: int = 50, search: str | None = None) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        db = self._db()
        try:
            where, args = None, None
            if search:
                where, args = "text like ? or action like ?", [f"%{search}%", f"%{search}%"]
            rows = list(db["runs"].rows_where(where, args, order_by="id desc", limit=limit))
        finally:
            db.conn.close()
        for row in rows:
            row["params"] = json.loads(row["params"] or "{}")
            row["result"] = json.loads(row["result"]) if row.get("result") else None
            row["error"] = json.loads(row["error"]) if row.get("error") else None
        return rows
