"""What the core says while it does slow work (a pack fetched from an index, the resolver index built
the first time, a speech model loaded), for a front end to show as a spinner or bar.

The core only names the work; it draws nothing and imports no UI. A front end installs a reporter (the
CLI's draws a rich spinner on a terminal's stderr, terminal/progress.py); without one this is a no-op."""
from __future__ import annotations

import contextlib
from typing import Callable, ContextManager

_reporter: Callable[[str], ContextManager] | None = None


def set_reporter(reporter: Callable[[str], ContextManager] | None) -> None:
    global _reporter
    _reporter = reporter


def status(message: str) -> ContextManager:
    """`with status("installing X from the package index…"):` around slow work."""
    return _reporter(message) if _reporter is not None else contextlib.nullcontext()
