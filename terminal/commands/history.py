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

    table = Table("id", "when", "action", "status", "text", "link")
    heads = {e.get("chain") for e in entries if e.get("chain")}
    for e in entries:
        table.add_row(str(e["id"]), e["ts"], e["action"] or "–", e["status"], (e["text"] or "")[:60], _link(e, heads))
    console().print(table)
    return 0


def _link(entry: dict, heads: set) -> str:
    """How a run hangs together with others: a later step of a compound request, its first step, or a
    follow-up of an earlier run."""
    if entry.get("chain"):
        return f"step of #{entry['chain']}"
    if entry["id"] in heads:
        return "chain start"
    if entry.get("follows"):
        return f"after #{entry['follows']}"
    return ""
