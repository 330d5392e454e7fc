"""Printing for the CLI: stable JSON for scripts, rich text for people (NO_COLOR is honoured by rich)."""
from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(data: Any, stream=None) -> None:
    stream = stream or sys.stdout
    stream.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    stream.flush()


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def error(err, as_json: bool) -> int:
    """Report an IntentError; returns its exit code."""
    if as_json:
        emit_json(err.to_json())
    else:
        c = console(stderr=True)
        # soft_wrap: an error stays one line however narrow the terminal (a denial says what unlocks it).
        c.print(f"[bold red]error[/]: {escape(err.message)}", soft_wrap=True)
        for line in hints(err):
            c.print(f"  {escape(line)}", soft_wrap=True)
    return err.exit_code


def hints(err) -> list[str]:
    extra = err.extra
    out = []
    if extra.get("questions"):
        out += [f"{name}: {q}" for name, q in extra["questions"].items()]
    upgrade = extra.get("upgrade")
    if upgrade:
        out.append(f"unlock it: {upgrade.get('how') or upgrade.get('plan')}")
    for e in (extra.get("errors") or [])[1:4]:
        out.append(f"{e['param']}: {e['message']}")
    return out


def escape(text: str) -> str:
    from rich.markup import escape as _escape

    return _escape(str(text))
