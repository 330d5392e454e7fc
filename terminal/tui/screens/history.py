"""History: past runs, newest first, searchable; Enter re-runs the highlighted one.

Runs are grouped into threads (terminal/tui/conversation.py): a follow-up sits under what it continued
(↳), a compound request's later steps under its first (└ step n of N). Re-running any step of a compound
request re-runs the whole chain, its recorded steps in order."""
from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from terminal.tui.widgets.title_bar import TitleBar


class HistoryScreen(Screen[dict | None]):
    """Dismisses with the chosen entry (re-run by the main screen) or None."""

    SCOPED_CSS = False  # plain selectors; parsed when this is first shown, not at start-up
    DEFAULT_CSS = """
    #history {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "back"),
        Binding("down", "focus_table", "table", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("History", classes="screen-title")
        yield Input(placeholder="search history (text or action)…", id="history-search")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="history")
        yield Static("type to search · ↓ to the list · Enter re-runs (a chain: all its steps) · Esc back",
                     classes="screen-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for col in ("#", "when", "request", "action", "status"):
            table.add_column(col, key=col)
        search = self.query_one("#history-search", Input)
        search.cursor_blink = not self.app.is_headless
        search.focus()
        self.load("")

    @on(Input.Changed, "#history-search")
    def _search(self, event: Input.Changed) -> None:
        self.load(event.value.strip())

    @on(Input.Submitted, "#history-search")
    def _submit_search(self) -> None:
        self.action_focus_table()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self, search: str) -> None:
        history = self.app.session.history
        try:
            rows = history.entries(limit=200, search=search or None)
            # a search may leave out other steps of a chain it found: re-running one needs them all
            every = history.entries(limit=500) if search else rows
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"could not read history: {exc}", severity="error")
            rows = every = []
        self.app.call_from_thread(self._fill, rows, every)

    def _fill(self, rows: list[dict], every: list[dict] | None = None) -> None:
        from terminal.tui.conversation import threads

        self.rows = {str(r["id"]): r for r in rows}
        self.loaded = rows
        self.every = every if every is not None else rows
        table = self.query_one(DataTable)
        table.clear()
        width = self._request_width(rows)
        for row in threads(rows):
            r = row.entry
            ok = r["status"] == "ok"
            table.add_row(str(r["id"]), (r["ts"] or "")[:16].replace("T", " "), _request(row, width),
                          r["action"] or "–", Text(r["status"], style="green" if ok else "yellow"), key=str(r["id"]))

    def _request_width(self, rows: list[dict]) -> int:
        """The request column takes the width the other columns leave (a wide terminal shows it whole)."""
        other = [max([len(str(r["id"])) for r in rows] + [1]), 16, max([len(r["action"] or "–") for r in rows] + [6]),
                 max([len(r["status"]) for r in rows] + [6])]
        padding = 2 * 5 + 2  # cell padding of five columns, and the scrollbar
        return max(20, self.size.width - sum(other) - padding)

    def on_resize(self) -> None:
        if getattr(self, "loaded", None) is not None:
            self._fill(self.loaded, self.every)

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        from terminal.tui.conversation import chain_of

        entry = self.rows.get(event.row_key.value)
        if entry is not None:
            entry = dict(entry, chain_steps=chain_of(entry, self.every))
        self.dismiss(entry)

    def action_back(self) -> None:
        self.dismiss(None)


def _request(row, width: int) -> Text:
    """The request cell: indented under what it continued, marked as a follow-up or a chain's step."""
    r = row.entry
    indent = "  " * max(0, row.depth - 1)
    if r.get("chain") is not None:
        return Text(_clip(f"{indent}└ {row.link}", width), style="dim")
    text = r["text"] or ""
    if row.link.startswith("chain of"):
        text = f"[{row.link.removeprefix('chain of ')} steps] {text}"
    if row.depth:
        text = f"{indent}↳ {text}"
    return Text(_clip(text, width))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
