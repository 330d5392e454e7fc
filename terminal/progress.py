"""The CLI's spinner for slow work the core names (intents/progress.py): installing a pack from an index,
building the resolver index the first time, loading a speech model.

Drawn with rich on stderr only when stderr is a terminal: never into a pipe, a log or `--json` output."""
from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def spinner(message: str):
    from rich.console import Console

    with Console(stderr=True).status(message, spinner="dots"):
        yield


def install() -> None:
    """Report the core's slow work on this terminal's stderr (no-op when stderr is not a terminal)."""
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()) or os.environ.get("INTENT_NO_PROGRESS"):
        return
    from intents.progress import set_reporter

    set_reporter(spinner)
