"""`intent history [--json] [--search WORDS]` and `intent history --rerun ID`."""
from __future__ import annotations

from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("history", help="your recent runs, newest first")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--search", help="only entries whose text or action contains this")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--rerun", type=int, metavar="ID",
                   help="run entry ID again with the values it ran with (a step of a chain re-runs the whole chain)")
    p.add_argument("--no-input", action="store_true", help="with --rerun: never ask for missing parameters (exit 4)")
    p.set_defaults(func=run, format=None, out=None)


def run(args) -> int:
    from intents.history import History
    from intents import paths

    if args.rerun is not None:
        return _rerun(args)

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


def _rerun(args) -> int:
    """Re-run a recorded request (and the rest of its chain); printed as `intent run` prints."""
    from intents.session import Session
    from terminal.commands.run import _asker, _show

    session = Session()
    outcome = session.rerun(args.rerun, ask=_asker(args, session))
    return _show(session, outcome, args)
