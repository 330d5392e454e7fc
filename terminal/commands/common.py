"""Helpers shared by the CLI commands."""
from __future__ import annotations

import sys

from intents.errors import UsageError

MAX_INPUT = 1_000_000  # characters; longer input is refused rather than chewed on


def read_text(words: list[str]) -> str:
    if words == ["-"] or (not words and not sys.stdin.isatty()):
        raw = sys.stdin.buffer.read(MAX_INPUT + 1)
        text = raw.decode("utf-8", errors="replace")
    else:
        text = " ".join(words)
    if "\x00" in text:
        raise UsageError("the input looks binary (it contains NUL bytes); give the request as text")
    if len(text) > MAX_INPUT:
        raise UsageError(f"the input is longer than {MAX_INPUT:,} characters; give a shorter request")
    if not text.strip():
        raise UsageError("say what you want, e.g. intent run \"monthly payment on a 300k loan at 6.5% over 30 years\"")
    return text.strip()


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
