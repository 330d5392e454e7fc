"""History: past runs, newest first, searchable; Enter re-runs the highlighted one."""
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
        yield Static("type to search · ↓ to the list · Enter re-runs · Esc back", classes="screen-hint")
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
        try:
            rows = self.app.session.history.entries(limit=200, search=search or None)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"could not read history: {exc}", severity="error")
            rows = []
        self.app.call_from_thread(self._fill, rows)

    def _fill(self, rows: list[dict]) -> None:
        self.rows = {str(r["id"]): r for r in rows}
        self.loaded = rows
        table = self.query_one(DataTable)
        table.clear()
        width = self._request_width(rows)
        for r in rows:
            ok = r["status"] == "ok"
            table.add_row(str(r["id"]), (r["ts"] or "")[:16].replace("T", " "), _clip(r["text"] or "", width),
                          r["action"] or "–", Text(r["status"], style="green" if ok else "yellow"), key=str(r["id"]))

    def _request_width(self, rows: list[dict]) -> int:
        """The request column takes the width the other columns leave (a wide terminal shows it whole)."""
        other = [max([len(str(r["id"])) for r in rows] + [1]), 16, max([len(r["action"] or "–") for r in rows] + [6]),
                 max([len(r["status"]) for r in rows] + [6])]
        padding = 2 * 5 + 2  # cell padding of five columns, and the scrollbar
        return max(20, self.size.width - sum(other) - padding)

    def on_resize(self) -> None:
        if getattr(self, "loaded", None) is not None:
            self._fill(self.loaded)

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.rows.get(event.row_key.value))

    def action_back(self) -> None:
        self.dismiss(None)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
