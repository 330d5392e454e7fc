"""The last run in the history, for `-c` (a follow-up): read-only, and cheap to import.

`intent resolve -c` reads one row and writes nothing, so it does not load intents.history (its
write path brings `logging`, `re` patterns and the file-safety helpers): only sqlite3, which a
SQLite history cannot be read without. The semantics are those `History.last_run` always had,
and it is that method's implementation: no history, or one that cannot be read (damaged, busy, not
ours, a row edited by hand), is "no last run", so the words are read as a first request; the next
`intent run` moves a damaged file aside and says so, and `intent history` explains it.

Nothing here is trusted for being read: a follow-up only ever takes values the new words' action
accepts. A link, a directory or a FIFO at the history's name is not opened (History refuses a link
there too, so a link is never a history this terminal wrote, and opening a FIFO would wait forever).
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

FILENAME = "history.db"  # intents.history.FILENAME (tests/test_history_last.py holds them equal)

_LAST = ("SELECT id, text, action, params, result FROM runs WHERE action IS NOT NULL "
         "AND status IN ('ok', 'missing_parameters') ORDER BY id DESC LIMIT 1")


def last_run(home: Path | str) -> dict[str, Any] | None:
    """The newest run with an action that ran or only lacked values: what `-c` continues, or None.

    {"id", "text", "action", "params" (a dict), "result" (a dict or None)}.
    """
    path = os.path.abspath(os.path.join(home, FILENAME))
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
    except OSError:
        return None  # no history yet (or its directory cannot be read)
    # mode=ro: no schema made, no journal mode set, nothing written to the file or its log; as a URI
    # built by pathlib, so a home whose name holds '?', '#' or '%' still names this file
    try:
        conn = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute(_LAST).fetchone()
    except sqlite3.Error:
        return None  # not a database, malformed, no runs table, busy past the timeout, unreadable
    finally:
        conn.close()
    if row is None or not isinstance(row[0], int) or not isinstance(row[2], str):
        return None  # no such run, or a table this terminal did not write
    try:
        params = json.loads(row[3] or "{}")
        result = json.loads(row[4]) if row[4] else None
    except (TypeError, ValueError, RecursionError):
        return None  # a row edited by hand
    return {"id": row[0], "text": row[1] if isinstance(row[1], str) else "", "action": row[2],
            "params": params if isinstance(params, dict) else {}, "result": result if isinstance(result, dict) else None}
