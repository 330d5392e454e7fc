"""Asking for the missing slots, one at a time, above the intent line.

The widget holds the questions' state and reads each answer through the resolver's interface
(`Interactive.answer`: the same kind parsers as a whole request). It talks to the screen only by
messages: `Asked` (show this question, and why it is asked again), `Answered` (every slot has a value:
run it), `Cancelled`. It draws nothing itself: the preview shows the question, the results area the
sentence about a wrong answer, so the screen keeps one layout whatever is being asked.
"""
from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.widget import Widget


class Questions(Widget):
    DEFAULT_CSS = """
    Questions {
        display: none;
    }
    """

    class Asked(Message):
        def __init__(self, spec: Any, slot: Any, step: int, total: int, error: str = "") -> None:
            super().__init__()
            self.spec, self.slot, self.step, self.total, self.error = spec, slot, step, total, error

    class Answered(Message):
        def __init__(self, spec: Any, values: dict[str, Any], text: str) -> None:
            super().__init__()
            self.spec, self.values, self.text = spec, values, text

    class Cancelled(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = None
        self.values: dict[str, Any] = {}
        self.missing: list[str] = []
        self.text = ""
        self.total = 0

    @property
    def active(self) -> bool:
        return self.spec is not None

    def start(self, spec, values: dict[str, Any], missing: list[str], text: str, error: str = "") -> bool:
        """Ask `missing` of `spec` in order; False when none of them is a slot of the action."""
        missing = [m for m in missing if spec.slot(m) is not None]
        if not missing:
            return False
        self.spec, self.values, self.missing, self.text = spec, dict(values), list(missing), text
        self.total = len(missing)
        self._ask(error)
        return True

    def _ask(self, error: str = "") -> None:
        slot = self.spec.slot(self.missing[0])
        self.post_message(self.Asked(self.spec, slot, self.total - len(self.missing) + 1, self.total, error))

    def answer(self, raw: str) -> None:
        """What the person typed for the current question."""
        from intents.resolver import interactive

        name = self.missing[0]
        got = interactive(self.app.session.resolver).answer(self.spec, name, raw)
        if not got.ok:
            self._ask(got.error)  # the same question again, with the sentence saying what it takes
            return
        self.values[name] = got.value
        self.missing.pop(0)
        if self.missing:
            self._ask()
            return
        spec, values, text = self.spec, self.values, self.text
        self.stop()
        self.post_message(self.Answered(spec, values, text))

    def cancel(self) -> None:
        text = self.text
        self.stop()
        self.post_message(self.Cancelled(text))

    def stop(self) -> None:
        self.spec, self.values, self.missing, self.text, self.total = None, {}, [], "", 0
