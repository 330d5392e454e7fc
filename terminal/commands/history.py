"""`intent history [--json] [--search WORDS]`."""
from __future__ import annotations

from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("history", help="your recent runs, newest first")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--search", help="only entries whose text or action contains this")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=run)


def run(args) -> int:
    from intents.history import History
    from intents import paths

    entries = History(paths.home()).entries(limit=args.limit, search=args.search)
    if args.json:
        emit_json({"entries": entries})
        return 0
    from rich.table import Table

    from terminal.output import console

    table = Table("id", "when", "action", "status", "text")
    for e in entries:
        table.add_row(str(e["id"]), e["ts"], e["action"] or "–", e["status"], (e["text"] or "")[:60])
    console().print(table)
    return 0
