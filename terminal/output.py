"""Printing for the CLI: stable JSON for scripts, rich text for people (NO_COLOR is honoured by rich)."""
from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(data: Any, stream=None) -> None:
    stream = stream or sys.stdout
    stream.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    stream.flush()


PIPE_WIDTH = 10_000  # piped output is never wrapped: a line of a table stays one line for grep and awk


def console(stderr: bool = False):
    """Rich for a person at a terminal; unwrapped plain text (no colour, no box lines) into a pipe."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    piped = not (hasattr(stream, "isatty") and stream.isatty())
    con = Console(stderr=stderr, highlight=False, soft_wrap=False, width=PIPE_WIDTH if piped else None,
                  no_color=True if piped else None)
    con.piped = piped
    return con


def show(con, renderable) -> None:
    """Print a table or text; into a pipe, without the padding rich adds after the last column."""
    if not getattr(con, "piped", False):
        con.print(renderable)
        return
    with con.capture() as captured:
        con.print(renderable)
    con.file.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")


def article(word: str) -> str:
    """ "a" or "an" for the word that follows: an enterprise licence, a pro licence, an NDA, a user."""
    w = str(word).strip()
    if not w:
        return "a"
    if w[:2].isupper() and w[0] in "AEFHILMNORSX":  # read as letters: an NDA, an SSN, an ICS file
        return "an"
    low = w.lower()
    if low.startswith(("uni", "use", "usu", "eu", "one", "once")):
        return "a"  # a user, a unit, a euro, a one-off
    if low.startswith(("hour", "honest", "heir")):
        return "an"
    return "an" if low[0] in "aeiou" else "a"


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
