"""Small panels for the results area: a notice (not understood, an error, a cancellation) and the denial
panel. Kept apart from result_view so start-up does not import the Markdown and DataTable machinery."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class Panel(Static):
    """Base of the results-area panels: their look, parsed the first time one is shown."""

    SCOPED_CSS = False  # plain selectors; parsed when this is first shown, not at start-up
    DEFAULT_CSS = """
    .notice {
        margin-top: 1;
        padding: 0 1;
        border: round $error;
    }

    .notice.warning {
        border: round $warning;
    }

    .notice.info {
        border: round $primary;
    }

    .denial {
        margin-top: 1;
        padding: 0 1;
        border: heavy $warning;
        background: $warning 10%;
    }
    """


class Notice(Panel):
    """A one-off panel in the results area: not understood, an error, a cancellation."""

    def __init__(self, title: str, body: str = "", variant: str = "error", **kwargs) -> None:
        text = Text(title, style="bold")
        if body:
            text.append("\n" + body, style="")
        super().__init__(text, classes=f"notice {variant}", **kwargs)


class DenialPanel(Panel):
    """The entitlement store said no: what was refused, which plan unlocks it, the key to see plans."""

    def __init__(self, error, step: str = "", **kwargs) -> None:
        """`step`: which step of a compound request was refused ("step 2 of 2 (healthcare.bsa): ")."""
        extra = error.extra
        heading = {"quota_exceeded": "Quota used up", "expired": "Licence expired"}.get(error.kind, "Not in your plan")
        text = Text(f"{step}{heading}: ", style="bold")
        text.append(error.message)
        if extra.get("feature"):
            text.append("\nfeature ", style="dim")
            text.append(str(extra["feature"]), style="cyan")
        upgrade = extra.get("upgrade") or {}
        if upgrade:
            text.append("\nunlocked by the ", style="")
            text.append(str(upgrade.get("plan", "?")), style="bold green")
            text.append(" plan")
            if upgrade.get("how"):
                text.append(f": {upgrade['how']}")
        text.append("\nF4 shows your plan and the plans that unlock it", style="dim")
        super().__init__(text, classes="denial", **kwargs)
