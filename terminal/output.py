"""Printing for the CLI: stable JSON for scripts, rich text for people (NO_COLOR is honoured by rich), plain
lines into pipes and files (rich is not imported there)."""
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


def text_console(stderr: bool = False):
    """What results and errors are printed on: rich (colour, boxes, wrapping) for a person at a terminal;
    into a pipe or a file, a PlainConsole that writes the same plain lines rich would without importing
    rich at all (a few tens of ms of every `intent run` in a script)."""
    stream = sys.stderr if stderr else sys.stdout
    if hasattr(stream, "isatty") and stream.isatty():
        return console(stderr=stderr)
    return PlainConsole(stream)


# What rich's Text drops from printed strings (rich.control.strip_control_codes): BEL, BS, VT, FF, CR.
_STRIP = {code: None for code in (7, 8, 11, 12, 13)}


class PlainConsole:
    """Unwrapped plain text for pipes and files: the lines a piped rich Console prints (no colour, no
    markup, no box lines, no trailing spaces), for the renderers in terminal/render.py that know it
    (`con.plain`). Strings are printed as they are: no markup is read in them."""

    plain = True
    piped = True

    def __init__(self, file) -> None:
        self.file = file

    def print(self, *parts: Any, sep: str = " ", **_ignored: Any) -> None:
        text = sep.join(str(p) for p in parts).translate(_STRIP)
        self.file.write("\n".join(line.rstrip() for line in text.split("\n")) + "\n")

    def lines(self, rows: list[str]) -> None:
        self.file.write("".join(row.translate(_STRIP).rstrip() + "\n" for row in rows))


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: East Asian wide and full-width characters two, combining marks none
    (as rich measures them, for columns that line up the same)."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def columns(rows: list[list[str]], right: list[bool], gap: int = 2) -> list[str]:
    """Rows of cells as lines, each column as wide as its widest cell, `gap` spaces apart, right-justified
    where `right` says: what rich prints for a borderless table or grid into a pipe."""
    widths = [max(cell_width(r[i]) for r in rows) for i in range(len(right))]
    out = []
    for row in rows:
        cells = []
        for cell, width, r in zip(row, widths, right):
            pad = " " * (width - cell_width(cell))
            cells.append(pad + cell if r else cell + pad)
        out.append((" " * gap).join(cells).rstrip())
    return out


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
        return err.exit_code
    c = text_console(stderr=True)
    if getattr(c, "plain", False):
        c.print(f"error: {err.message}")
        for line in hints(err):
            c.print(f"  {line}")
    else:
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
