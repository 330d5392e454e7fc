"""The intent line: an Input with ghost-text completion from the installed packs' sample utterances."""
from __future__ import annotations

import time
from typing import Callable

from textual.binding import Binding
from textual.suggester import SuggestFromList
from textual.widgets import Input


class IntentLine(Input):
    """Where a person types what they want. It only edits text; the main screen decides what to do."""

    BINDINGS = [
        Binding("tab", "accept_suggestion", "complete", show=False),
        # An Input is a one-line scroll view: these keys would scroll nothing. They scroll the result
        # above instead, so the focus never has to leave the line (no mouse, no shift+tab).
        Binding("pagedown", "scroll_result('page', 1)", "scroll", key_display="PgUp/Dn"),
        Binding("pageup", "scroll_result('page', -1)", "scroll result up", show=False),
        Binding("down", "scroll_result('line', 1)", "scroll result down", show=False),
        Binding("up", "scroll_result('line', -1)", "scroll result up", show=False),
    ]

    def action_scroll_result(self, how: str, direction: int) -> None:
        self.screen.action_scroll_results(how, direction)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "scroll_result":  # offered (and shown in the footer) only when a result overflows
            return bool(getattr(self.screen, "can_scroll_results", False))
        return super().check_action(action, parameters)

    key_time: float | None = None  # when the last key arrived, for the keystroke-to-preview figure
    on_edit: Callable[[str], None] | None = None
    """Called synchronously on every change of the text. The live preview uses this rather than the
    Changed message: a message waits behind the screen's pending repaint, which costs more than a frame."""

    def watch_value(self, value: str) -> None:
        if self.on_edit is not None:
            self.on_edit(value)

    async def _on_key(self, event) -> None:
        # The event's creation time (time.monotonic, when the driver read the key), so the figure also
        # counts the hops from the app to this widget.
        self.key_time = getattr(event, "time", None) or time.monotonic()
        await super()._on_key(event)

    def set_samples(self, samples: list[str]) -> None:
        # Deduplicated, in pack order; SuggestFromList matches case-insensitively on the prefix.
        self.suggester = SuggestFromList(list(dict.fromkeys(samples)), case_sensitive=False)

    def action_home(self, select: bool = False) -> None:
        # An empty line has no cursor to move: Home and End go to the top and end of the result instead
        if not self.value and not select:
            self.screen.action_scroll_results("end", -1)
            return
        super().action_home(select)

    def action_end(self, select: bool = False) -> None:
        if not self.value and not select:
            self.screen.action_scroll_results("end", 1)
            return
        super().action_end(select)

    def action_accept_suggestion(self) -> None:
        if self._suggestion and self.value != self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
