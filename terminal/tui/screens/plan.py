"""Plan: the plan and its status, what it unlocks, metered usage as bars with limits and reset dates,
and activation of a licence file."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Static

SHOWN = ("plan", "status", "features", "usage")  # the rest of the summary is listed as key: value


def activate_licence(session, path: str) -> str:
    """Hand a licence file to the entitlement store through whichever call the gate offers."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise FileNotFoundError(f"no licence file at {file}")
    gate = session.gate
    if hasattr(gate, "activate_file"):
        result = gate.activate_file(file)
    elif hasattr(gate, "activate"):
        result = gate.activate(file.read_text().strip())
    else:
        raise RuntimeError("this entitlement store cannot activate licences")
    return str(getattr(result, "plan", None) or getattr(result, "feature", None) or "licence")


class PlanScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "back"),
        Binding("ctrl+r", "reload", "reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="›")
        yield Static("Plan", classes="screen-title")
        with VerticalScroll(id="plan-body"):
            yield Static(id="plan-summary")
            yield Static(Text("usage", style="bold"), id="usage-title")
            yield VerticalScroll(id="usage")
        yield Input(placeholder="path to a licence file, then Enter to activate it", id="licence-path")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#licence-path", Input).focus()
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def load(self) -> None:
        try:
            summary = self.app.session.gate.summary()
        except Exception as exc:  # show the store's error rather than a blank screen
            summary = {"plan": "unknown", "status": f"error: {getattr(exc, 'message', exc)}", "features": [], "usage": []}
        self.app.call_from_thread(self._fill, summary)

    def _fill(self, summary: dict) -> None:
        self.summary = summary
        status = str(summary.get("status", "?"))
        text = Text.assemble(("plan ", "dim"), (str(summary.get("plan", "?")), "bold green"),
                             ("   status ", "dim"), (status, "bold green" if status == "active" else "bold yellow"))
        for key, value in summary.items():
            if key not in SHOWN and value not in (None, "", [], {}):
                text.append(f"\n{key.replace('_', ' ')}: ", style="dim")
                text.append(str(value))
        features = summary.get("features") or []
        text.append("\nunlocks: ", style="dim")
        text.append(", ".join(map(str, features)) or "nothing", style="cyan")
        self.query_one("#plan-summary", Static).update(text)
        usage = self.query_one("#usage", VerticalScroll)
        usage.remove_children()
        rows = summary.get("usage") or []
        if not rows:
            usage.mount(Static(Text("no metered features on this plan", style="dim")))
        for item in rows:
            usage.mount(self._usage_row(item))

    def _usage_row(self, item: dict) -> Horizontal:
        used = int(item.get("used") or 0)
        limit = item.get("limit")
        feature = str(item.get("feature", "?"))
        detail = f"{used} / {limit}" if limit is not None else f"{used} used · no limit"
        if item.get("remaining") is not None:
            detail += f" · {item['remaining']} left"
        if item.get("resets_at"):
            detail += f" · resets {str(item['resets_at'])[:10]}"
        bar = ProgressBar(total=float(limit) if limit else None, show_eta=False, show_percentage=bool(limit),
                          classes="usage-bar")
        bar.progress = used
        return Horizontal(Static(feature, classes="usage-feature"), bar, Static(detail, classes="usage-detail"),
                          classes="usage-row")

    @on(Input.Submitted, "#licence-path")
    def _activate(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.activate(event.value.strip())

    @work(thread=True, exclusive=True, group="plan-activate", exit_on_error=False)
    def activate(self, path: str) -> None:
        try:
            what = activate_licence(self.app.session, path)
        except Exception as exc:  # a refused or unreadable licence is a message, not a crash
            self.app.call_from_thread(self.notify, f"licence not activated: {getattr(exc, 'message', exc)}",
                                      severity="error", timeout=6)
            return
        self.app.call_from_thread(self.notify, f"licence activated: {what}", timeout=4)
        self.load()
