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
from textual.widgets import Footer, Input, ProgressBar, Static

from terminal.tui.widgets.title_bar import TitleBar

SHOWN = ("plan", "status", "features", "usage", "licence_problem", "warnings")  # the rest: key: value


MAX_LICENCE_BYTES = 64_000  # a licence token is well under 2 kB


def activate_licence(session, path: str) -> str:
    """Verify a licence (or grant) file and keep it, as `intent license activate FILE` does."""
    from datetime import datetime, timezone

    file = Path(path).expanduser()
    if not file.is_file():
        raise FileNotFoundError(f"no licence file at {file}")
    raw = file.read_bytes()
    if len(raw) > MAX_LICENCE_BYTES:
        raise ValueError(f"{file} is too large to be a licence file")
    try:
        token = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise ValueError(f"{file} is not a licence file (it is not plain text)") from None
    gate = session.gate
    if not hasattr(gate, "trusted"):
        raise RuntimeError("this entitlement gate does not take licences")
    from entitlements.licence import describe
    from entitlements.wallet import activate

    claims = activate(Path(session.home), token, gate.trusted(), datetime.now(timezone.utc), getattr(gate, "store", None))
    if hasattr(gate, "refresh"):
        gate.refresh()
    return describe(claims)


def plan_lines(gate) -> list[tuple[str, str, str]]:
    """(plan, title, what it adds over the plan below) from the gate's catalog, cheapest first; [] when
    the gate has no catalog (e.g. a development gate)."""
    catalog = getattr(gate, "catalog", None)
    if catalog is None or not hasattr(catalog, "by_rank"):
        return []
    out, below = [], {}
    for name, plan in catalog.by_rank():
        if plan.all_features:
            out.append((name, plan.title, "every feature, nothing metered"))
            continue
        added = []
        for key, value in plan.features.items():
            feature = catalog.features.get(key)
            title = feature.title if feature and feature.title else key
            if feature is not None and feature.kind == "config":
                continue
            if feature is not None and feature.kind == "metered":
                title += " (unlimited)" if value is None else f" ({value}/{(feature.period or '').replace('calendar_', '')})"
            if below.get(key, object()) != value:
                added.append(title)
        out.append((name, plan.title, ("+ " if below else "") + ", ".join(added)))
        below = dict(plan.features)
    return out


class PlanScreen(Screen):
    SCOPED_CSS = False  # plain selectors; parsed when this is first shown, not at start-up
    DEFAULT_CSS = """
    #plan-body {
        height: 1fr;
        padding: 0 1;
    }

    #plan-summary {
        margin: 1 0;
    }

    #usage {
        height: auto;
    }

    #plans {
        margin-top: 1;
    }

    .usage-row {
        height: 1;
    }

    .usage-feature {
        width: 18;
    }

    .usage-bar {
        width: 16;
        margin-right: 1;
    }

    .usage-detail {
        width: 1fr;
        color: $text-muted;
    }

    #licence-path {
        dock: bottom;
        margin-bottom: 1;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "back"),
        Binding("ctrl+r", "reload", "reload"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Plan", classes="screen-title")
        with VerticalScroll(id="plan-body"):
            yield Static(id="plan-summary")
            yield Static(Text("usage", style="bold"), id="usage-title")
            yield VerticalScroll(id="usage")
            yield Static(id="plans")
        yield Input(placeholder="path to a licence file, then Enter to activate it", id="licence-path")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        path = self.query_one("#licence-path", Input)
        path.cursor_blink = not self.app.is_headless
        path.focus()
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def load(self) -> None:
        try:
            summary = self.app.session.gate.summary()
        except Exception as exc:  # show the store's error rather than a blank screen
            summary = {"plan": "unknown", "status": f"error: {getattr(exc, 'message', exc)}", "features": [], "usage": []}
        try:
            plans = plan_lines(self.app.session.gate)
        except Exception:  # the catalog is a nicety here; the summary above is what matters
            plans = []
        self.app.call_from_thread(self._fill, summary, plans)

    def _fill(self, summary: dict, plans: list | None = None) -> None:
        self.summary = summary
        status = str(summary.get("status", "?"))
        text = Text.assemble(("plan ", "dim"), (str(summary.get("plan", "?")), "bold green"),
                             ("   status ", "dim"), (status, "bold green" if status == "active" else "bold yellow"))
        problem = str(summary.get("licence_problem") or "")
        if problem:  # said once, in words, with what to do (the warnings repeat it: not shown again)
            from terminal.tui.locks import licence_fix, licence_state

            text.append(f"\n{licence_state(summary)}: ", style="bold yellow")
            text.append(problem[0].upper() + problem[1:] + ("" if problem.endswith(".") else "."))
            text.append("\nfix: ", style="bold")
            text.append(licence_fix(problem))
        for warning in summary.get("warnings") or []:
            if warning != problem:
                text.append("\nwarning: ", style="bold yellow")
                text.append(str(warning))
        for key, value in summary.items():
            if key not in SHOWN and value not in (None, "", [], {}):
                text.append(f"\n{key.replace('_', ' ')}: ", style="dim")
                if isinstance(value, dict):
                    value = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items())
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
        listing = Text()
        if plans:
            listing.append("plans", style="bold")
            for name, title, adds in plans:
                current = name == summary.get("plan")
                listing.append(f"\n{'▶' if current else ' '} {title:<11}", style="bold green" if current else "bold")
                listing.append(adds)
            listing.append("\nunlock a plan: activate its licence file below", style="dim")
        self.query_one("#plans", Static).update(listing)

    def _usage_row(self, item: dict) -> Horizontal:
        used = int(item.get("used") or 0)
        limit = item.get("limit")
        feature = str(item.get("feature", "?"))
        detail = f"{used} / {limit}" if limit is not None else f"{used} used · no limit"
        if item.get("remaining") is not None:
            detail += f" · {item['remaining']} left"
        if item.get("resets_at"):
            detail += f" · resets {str(item['resets_at'])[:10]}"
        if limit:
            bar = ProgressBar(total=float(limit), show_eta=False, show_percentage=False, classes="usage-bar")
            bar.progress = used
        else:  # no limit: nothing to fill (an indeterminate bar would pulse as if something were running)
            bar = Static(Text("unlimited", style="dim"), classes="usage-bar")
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
