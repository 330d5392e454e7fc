"""Confirmation before an action that writes files or destroys something (its spec's risk says so)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from terminal.tui.format import label


class ConfirmScreen(ModalScreen[bool]):
    SCOPED_CSS = False  # plain selectors; parsed when this is first shown, not at start-up
    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }

    #confirm-box {
        width: 64;
        height: auto;
        padding: 1 2;
        border: thick $warning;
        background: $surface;
    }

    #confirm-box.destructive {
        border: thick $error;
    }

    #confirm-title {
        margin-bottom: 1;
    }

    #confirm-risk {
        margin-top: 1;
        color: $text-muted;
    }

    #confirm-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }

    #confirm-buttons Button {
        margin-left: 2;
    }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "yes"),
        Binding("n,escape", "answer(False)", "no"),
    ]

    def __init__(self, title: str, detail: str = "", risk: str = "writes-files", verb: str = "Run",
                 out_dir=None) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail
        self.risk = risk
        self.verb = verb
        self.out_dir = out_dir  # where its files go, said before they are written

    @classmethod
    def for_action(cls, spec, values: dict, out_dir=None) -> "ConfirmScreen":
        detail = " · ".join(f"{label(k)} {v}" for k, v in values.items()) or "no parameters"
        return cls(f"{spec.title} ({spec.id})", detail, spec.risk.value, out_dir=out_dir)

    def compose(self) -> ComposeResult:
        what = "destroys or removes something" if self.risk == "destructive" else "writes files"
        if self.risk != "destructive" and self.out_dir is not None:
            what += f" to {self.out_dir}"
        with Vertical(id="confirm-box", classes=self.risk):
            yield Static(Text.assemble((f"{self.verb} {self.title_text}?", "bold")), id="confirm-title")
            yield Static(self.detail, id="confirm-detail")
            yield Static(Text(f"This action {what}.", style="italic"), id="confirm-risk")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.verb} (y)", id="yes", variant="error" if self.risk == "destructive" else "warning")
                yield Button("Cancel (n)", id="no", variant="default")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe choice is the default one

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
