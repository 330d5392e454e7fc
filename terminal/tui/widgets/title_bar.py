"""The one-line bar at the top of every screen: the app's title and what it says of the session (the plan).

Textual's Header is three widgets (icon, title, clock space) with their own styles; laying them out cost
about 45 ms of the first frame here (bench/tui_startup.py). One widget rendering one line costs ~nothing.
Clicking it opens the command palette, as the Header's icon does.
"""
from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
    }
    """

    def on_mount(self) -> None:
        # title and sub_title are reactives on the app: repaint when the plan line changes
        self.watch(self.app, "title", self._changed, init=False)
        self.watch(self.app, "sub_title", self._changed, init=False)

    def _changed(self, _value: str) -> None:
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", justify="center")
        text.append("› ", style="bold")
        text.append(self.app.title, style="bold")
        if self.app.sub_title:
            # "plan: free — licence refused": the warning part stands out, never missed
            plan, sep, warning = self.app.sub_title.partition(" — ")
            text.append(f" — {plan}", style="dim")
            if sep:
                text.append(f" — {warning}", style="bold yellow")
        return text

    def on_click(self) -> None:
        self.app.action_command_palette()
