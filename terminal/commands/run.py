"""`intent run TEXT` (resolve then run) and `intent do ACTION k=v ...` (run with explicit parameters)."""
from __future__ import annotations

from pathlib import Path

from terminal.commands.common import interactive, read_text
from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("run", help="resolve TEXT, check entitlement, run it and record it")
    p.add_argument("text", nargs="*", help="the request, in your own words ('-' reads stdin)")
    p.add_argument("-c", "--continue", dest="follow", action="store_true",
                   help="read TEXT as a follow-up of the last run in this INTENT_HOME ('what about at 7%%?')")
    _common(p)
    p.set_defaults(func=run_text)

    d = sub.add_parser("do", help="run ACTION with explicit parameters (k=v; lists comma-separated)")
    d.add_argument("action", help="an action id, e.g. finance.loan_payment")
    d.add_argument("params", nargs="*", metavar="k=v", help="parameters by slot name")
    _common(d)
    d.set_defaults(func=run_do)


def _common(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON: {action, params, result} or {error}")
    p.add_argument("--out", type=Path, metavar="DIR", help="directory for files the action writes (default: documents/ in the data dir, e.g. $INTENT_HOME/documents)")
    p.add_argument("--no-input", action="store_true", help="never ask for missing parameters (exit 4 instead)")
    p.add_argument("--format", metavar="NAME", dest="format",
                   help="print the result in an output format the action's pack supplies (see docs/actions.md)")
    p.add_argument("--fhir", dest="format", action="store_const", const="fhir",
                   help="the same as --format fhir (healthcare: a FHIR R4B Observation)")
    tier = p.add_mutually_exclusive_group()
    tier.add_argument("--llm", dest="mode", action="store_const", const="llm", help="ask the LLM tier even when the local one is sure")
    tier.add_argument("--local", dest="mode", action="store_const", const="local", help="never call an LLM")


def _session(args):
    from intents.session import Session

    return Session(out_dir=args.out, mode=getattr(args, "mode", None) or "auto")


def _asker(args, session):
    """Ask a missing parameter at the terminal; the answer is read by the resolver's kind parsers (as in
    the TUI: "thirty", "6 and a half percent", "5 ft 9"), a wrong one is asked again with one sentence."""
    if args.json or args.no_input or not interactive():
        return None

    def ask(slot, action_id):
        import sys

        from intents.resolver import interactive as interactive_resolver

        spec = session.registry.spec(action_id)
        for _ in range(3):
            try:
                raw = input(f"{slot.ask()} ")
            except EOFError:
                return None
            if not raw.strip():
                return None
            answer = interactive_resolver(session.resolver).answer(spec, slot.name, raw)
            if answer.ok:
                return answer.value
            sys.stderr.write(answer.error + "\n")
        return None

    return ask


def run_text(args) -> int:
    session = _session(args)
    text = read_text(args.text)
    outcome = session.run_text(text, ask=_asker(args, session), follow=args.follow)
    return _show(session, outcome, args)


def run_do(args) -> int:
    from intents.params import parse_pairs

    session = _session(args)
    outcome = session.run_action(args.action, parse_pairs(args.params), ask=_asker(args, session))
    return _show(session, outcome, args)


def _show(session, outcome, args) -> int:
    if args.format:
        _print_format(session, outcome, args.format)
    elif args.json:
        emit_json(outcome.to_json())
    else:
        from terminal import render
        from terminal.output import text_console

        con = text_console()  # rich at a terminal; plain lines, without importing rich, into a pipe
        if outcome.steps:
            from intents.dispatch import Outcome

            for n, step in enumerate(outcome.steps, 1):
                render.heading(con, f"step {n} of {len(outcome.steps)}")
                render.outcome(Outcome(**step), session.registry.spec(step["action"]), con)
        else:
            render.outcome(outcome, session.registry.spec(outcome.action), con)
    return 0


def _print_format(session, outcome, name: str) -> None:
    """An output format the action's pack supplies through the SDK (`Pack.output_format`)."""
    from intents.errors import UsageError

    action = session.registry.action(outcome.action)
    fmt = action.formats.get(name)
    if fmt is None:
        have = ", ".join(sorted(action.formats)) or "none"
        raise UsageError(f"{outcome.action} has no output format '{name}' (its formats: {have})")
    data = fmt.render(outcome)
    if isinstance(data, str):
        print(data)
    else:
        emit_json(data)
