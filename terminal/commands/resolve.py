"""`intent resolve`: what the words map to; nothing is run."""
from __future__ import annotations

import sys

from terminal.commands.common import read_text
from terminal.output import emit_json

MAX_LINE = 100_000  # --jsonl lines longer than this are clipped before resolving


def register(sub) -> None:
    p = sub.add_parser("resolve", help="show what TEXT maps to; nothing is run")
    p.add_argument("text", nargs="*", help="the request, in your own words ('-' reads stdin)")
    p.add_argument("--json", action="store_true", help="print JSON (catalog format)")
    p.add_argument("--jsonl", action="store_true", help="read one utterance a line on stdin, print one JSON a line")
    p.add_argument("--explain", action="store_true", help="show the tier, entity spans and slot reasons")
    tier = p.add_mutually_exclusive_group()
    tier.add_argument("--llm", dest="mode", action="store_const", const="llm", help="ask the LLM tier even when the local one is sure")
    tier.add_argument("--local", dest="mode", action="store_const", const="local", help="never call an LLM")
    p.set_defaults(func=run)


def run(args) -> int:
    from intents.session import Session

    session = Session(mode=args.mode or "auto")
    if args.jsonl:
        for line in sys.stdin:
            line = line.rstrip("\n")[:MAX_LINE]
            emit_json(session.resolve(line).to_json(explain=args.explain))
        return 0
    text = read_text(args.text)
    match = session.resolve(text)
    if args.json:
        emit_json(match.to_json(explain=args.explain))
    else:
        from terminal import render
        from terminal.output import console

        con = console()
        render.match(match, con)
        if args.explain and match.explain:
            con.print_json(data=match.explain)
    return 0 if match.action else 3
