"""`intent config [--json]`: the effective LLM settings (key masked); `intent config set|unset KEY [VALUE]`."""
from __future__ import annotations

from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("config", help="show (or set) the LLM settings: server, model, key (masked), timeout")
    p.add_argument("--json", action="store_true", help="print JSON")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    show = verbs.add_parser("show", help="show the effective settings and where each comes from (default)")
    show.add_argument("--json", action="store_true")
    s = verbs.add_parser("set", help="set KEY to VALUE in config.toml (lists comma-separated)")
    s.add_argument("key")
    s.add_argument("value")
    s.add_argument("--json", action="store_true")
    u = verbs.add_parser("unset", help="remove KEY from config.toml")
    u.add_argument("key")
    u.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    from intents.errors import UsageError
    from intents.llm import config

    if args.verb in ("set", "unset"):
        try:
            config.save(args.key, args.value if args.verb == "set" else None)
        except ValueError as exc:
            raise UsageError(str(exc), param=args.key) from None
    shown = config.load().shown()
    if args.json:
        emit_json({"llm": shown})
        return 0
    _print(shown)
    return 0


def _print(shown: dict) -> None:
    from rich.table import Table

    from terminal.output import console, escape

    con = console()
    state = "on" if shown["configured"] else "off (no model set)" if shown["enabled"] else "off (enabled = false)"
    where = "local (loopback)" if shown["local"] else "remote"
    con.print(f"[bold]LLM tier[/]: {state}   server: {escape(shown['base_url'])} ({where})")
    table = Table("setting", "value", "from", box=None, pad_edge=False)
    sources = shown["sources"]
    for key in ("base_url", "api_key", "model", "timeout", "tool_mode", "top_k", "threshold", "share_sensitive",
                "strict"):
        value = shown[key]
        text = ", ".join(value) if isinstance(value, list) else ("–" if value is None else str(value))
        table.add_row(key, escape(text), sources.get(key, "default"))
    con.print(table)
    con.print(f"[dim]file: {escape(shown['file'] or '')}[/]")
    for problem in shown["problems"]:
        con.print(f"[yellow]warning[/]: {escape(problem)}")
