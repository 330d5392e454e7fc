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
    p.add_argument("-c", "--continue", dest="follow", action="store_true",
                   help="read TEXT as a follow-up of the last run in this INTENT_HOME ('what about at 7%%?')")
    tier = p.add_mutually_exclusive_group()
    tier.add_argument("--llm", dest="mode", action="store_const", const="llm", help="ask the LLM tier even when the local one is sure")
    tier.add_argument("--local", dest="mode", action="store_const", const="local", help="never call an LLM")
    p.set_defaults(func=run)


def run(args) -> int:
    from intents.session import Session

    session = Session(mode=args.mode or "auto")
    last = session.last_turn() if args.follow else None
    if args.jsonl:
        for line in sys.stdin:
            line = line.rstrip("\n")[:MAX_LINE]
            emit_json(session.resolve(line, last=last).to_json(explain=args.explain))
        return 0
    text = read_text(args.text)
    match = session.resolve(text, last=last)
    if args.json:
        emit_json(match.to_json(explain=args.explain))
    else:
        from terminal import render
        from terminal.output import console, text_console

        con = console() if args.explain else text_console()  # --explain is drawn with rich
        render.match(match, con)
        if args.explain and match.explain:
            print_explain(match.explain, con)
    return 0 if match.action else 3


def print_explain(info: dict, con) -> None:
    """How the resolver got there, for users and pack authors: the tier, the text as tagged with each
    entity's span underlined, the candidates' scores and why each slot got its value."""
    from rich.text import Text

    con.print(Text(f"tier: {info.get('tier', '?')}", style="bold") + Text(
        f"   {info['ms']} ms" if "ms" in info else "", style="dim"))
    text = info.get("normalized")
    entities = info.get("entities") or []
    if text is not None:
        con.print(Text("text: ", style="dim") + Text(text))
        marks = [" "] * len(text)
        for e in entities:
            a, b = e["span"]
            for i in range(a, min(b, len(marks))):
                marks[i] = "^"
        if entities:
            con.print(Text("      " + "".join(marks).rstrip(), style="cyan"))
    for e in entities:
        a, b = e["span"]
        unit = f" ({e['unit']})" if e.get("unit") else ""
        alts = "  or " + ", ".join(f"{x['kind']} {x['value']}" for x in e["alts"]) if e.get("alts") else ""
        con.print(f"  [{a:>3}-{b:<3}] {e['kind']:<12} {e['value']!r}{unit}  from {e['text']!r}{alts}")
    if info.get("typo_repairs"):
        con.print("typos: " + ", ".join(f"{k} -> {v}" for k, v in info["typo_repairs"].items()))
    if info.get("tokens") is not None:
        con.print(Text("words: " + " ".join(info["tokens"]), style="dim"))
    for key, label in (("top", "candidates"), ("reranked", "re-ranked by slot fit")):
        if info.get(key):
            con.print(f"{label}: " + ", ".join(f"{c['action']} {c['score']:.3f}" for c in info[key]))
    if info.get("support") is not None:
        con.print(Text(f"support: {info['support']:.2f} of the content words are the action's own", style="dim"))
    if info.get("refused"):
        con.print(Text(f"refused: {info['refused']}", style="yellow"))
    for name, reason in (info.get("slots") or {}).items():
        con.print(f"  {name}: {reason}")
    if info.get("clipped_to"):
        con.print(Text(f"(input clipped to {info['clipped_to']} characters for matching)", style="dim"))
