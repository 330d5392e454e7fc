"""What the core says while it does slow work (a pack fetched from an index, the resolver index built
the first time, a speech model loaded), for a front end to show as a spinner or bar.

The core only names the work; it draws nothing and imports no UI. A front end installs a reporter (the
CLI's draws a rich spinner on a terminal's stderr, terminal/progress.py); without one this is a no-op."""
from __future__ import annotations

import contextlib
import threading
from typing import Callable, ContextManager, Iterator

_reporter: Callable[[str], ContextManager] | None = None
_local = threading.local()  # a reporter for one thread's work only (a pack's preparation in a TUI worker)


def set_reporter(reporter: Callable[[str], ContextManager] | None) -> None:
    global _reporter
    _reporter = reporter


def status(message: str) -> ContextManager:
    """`with status("installing X from the package index…"):` around slow work."""
    own = getattr(_local, "reporter", None)
    if own is not None:
        return own(message)
    return _reporter(message) if _reporter is not None else contextlib.nullcontext()


@contextlib.contextmanager
def reporting_to(reporter: Callable[[str], ContextManager]) -> Iterator[None]:
    """`with reporting_to(r):` the calling thread's slow work is reported to `r` (not to the global reporter),
    so a background worker can say what it builds without taking over every other thread's reporting."""
    before = getattr(_local, "reporter", None)
    _local.reporter = reporter
    try:
        yield
    finally:
        _local.reporter = before
