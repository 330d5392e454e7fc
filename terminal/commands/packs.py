"""`intent packs [list|install X|remove X]`."""
from __future__ import annotations

from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("packs", help="list, install or remove vertical packs")
    p.add_argument("--json", action="store_true", help="print JSON")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    verbs.add_parser("list", help="list packs (default)").add_argument("--json", action="store_true")
    for verb in ("install", "remove"):
        v = verbs.add_parser(verb, help=f"{verb} a pack")
        v.add_argument("pack")
        v.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    from intents.session import Session

    session = Session()
    verb = args.verb or "list"
    if verb == "list":
        outcome = session.run_action("system.packs", {}, source="cli")
    else:
        outcome = session.run_action(f"system.{verb}_pack", {"pack": args.pack}, source="cli")
    if args.json:
        emit_json(outcome.result)
        return 0
    from terminal.output import console

    con = console()
    if verb == "list":
        from rich.table import Table

        table = Table("pack", "version", "publisher", "installed", "entitled", "health")
        for row in outcome.result["packs"]:
            table.add_row(row["id"], row["version"], row["publisher"], "yes" if row["installed"] else "no",
                          "yes" if row["entitled"] else "locked", row["health"])
        con.print(table)
    else:
        state = "installed" if outcome.result["installed"] else "removed"
        con.print(f"{outcome.result['pack']}: {state}")
    return 0
