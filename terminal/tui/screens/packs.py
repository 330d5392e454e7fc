"""Packs: every discovered pack, installed or available, entitled by the plan or locked, or broken.
Install and remove go through system.install_pack / system.remove_pack after a confirmation."""
from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from terminal.tui.messages import PacksChanged
from terminal.tui.screens.confirm import ConfirmScreen
from terminal.tui.widgets.title_bar import TitleBar


def pack_rows(session) -> list[dict]:
    """One row per pack, from the registry's cached specs and the gate. Entitlement is checked against the
    feature key in the pack's code (importing it), never the cache, which is the user's to edit."""
    reg = session.registry
    rows = []
    for pid, spec in sorted(reg.packs.items()):
        manifest = spec.manifest
        feature = manifest.feature_key
        try:
            feature = reg.pack_feature(pid)
            entitled = session.gate.check(feature).allowed
        except Exception:
            entitled = False
        rows.append({"id": pid, "name": manifest.name, "version": manifest.version,
                     "installed": reg.is_installed(pid), "entitled": entitled, "actions": len(spec.actions),
                     "health": "ok", "description": manifest.description, "feature": feature})
    for pid, broken in sorted(reg.broken.items()):
        rows.append({"id": pid, "name": pid, "version": "?", "installed": True, "entitled": False, "actions": 0,
                     "health": "broken", "description": broken.error, "feature": ""})
    return rows


class PacksScreen(Screen):
    SCOPED_CSS = False  # plain selectors; parsed when this is first shown, not at start-up
    DEFAULT_CSS = """
    #pack-detail {
        height: 4;
        padding: 0 1;
        border-top: solid $panel;
    }

    #packs {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "back"),
        Binding("i", "change(True)", "install"),
        Binding("r", "change(False)", "remove"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Packs", classes="screen-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="packs")
        yield Static(id="pack-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for col in ("pack", "name", "version", "installed", "plan", "actions", "health"):
            table.add_column(col, key=col)
        table.loading = True
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="packs", exit_on_error=False)
    def load(self) -> None:
        try:
            rows = pack_rows(self.app.session)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"could not list packs: {exc}", severity="error")
            rows = []
        self.app.call_from_thread(self._fill, rows)

    def _fill(self, rows: list[dict]) -> None:
        selected = self._selected()  # keep the cursor on the same pack across a reload
        self.rows = {r["id"]: r for r in rows}
        table = self.query_one(DataTable)
        table.loading = False
        table.clear()
        for r in rows:
            broken = r["health"] != "ok"
            table.add_row(
                Text(r["id"], style="bold"), r["name"], r["version"],
                Text("installed", style="green") if r["installed"] else Text("available", style="dim"),
                Text("broken", style="red") if broken else
                Text("entitled", style="green") if r["entitled"] else Text("locked", style="yellow"),
                Text(str(r["actions"]), justify="right"),
                Text(r["health"], style="red" if broken else "green"),
                key=r["id"],
            )
        if selected and selected["id"] in self.rows:
            table.move_cursor(row=table.get_row_index(selected["id"]))
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self, event=None) -> None:
        row = self._selected()
        detail = self.query_one("#pack-detail", Static)
        if row is None:
            detail.update("")
            return
        text = Text.assemble((row["name"], "bold"), f"  {row['description']}")
        if row["health"] == "ok" and not row["entitled"]:
            text.append(f"\nlocked: your plan does not include {row['feature']} (F4 shows plans)", style="yellow")
        text.append("\ni installs · r removes · Esc goes back", style="dim")
        detail.update(text)

    def _selected(self) -> dict | None:
        table = self.query_one(DataTable)
        if not getattr(self, "rows", None) or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key)

    def action_change(self, install: bool) -> None:
        row = self._selected()
        if row is None:
            return
        if row["installed"] == install:
            self.notify(f"{row['id']} is already {'installed' if install else 'not installed'}", timeout=2)
            return
        verb = "Install" if install else "Remove"
        detail = f"pack {row['id']} {row['version']} ({row['actions']} actions)"
        self.app.push_screen(
            ConfirmScreen(f"the {row['id']} pack", detail, "writes-files" if install else "destructive", verb=verb),
            callback=lambda ok: self.change(row["id"], install) if ok else None,
        )

    @work(thread=True, exclusive=True, group="packs", exit_on_error=False)
    def change(self, pack: str, install: bool) -> None:
        action = "system.install_pack" if install else "system.remove_pack"
        try:
            self.app.session.dispatcher.run_action(action, {"pack": pack}, source="tui")
        except Exception as exc:  # e.g. the system pack cannot be removed: say why
            message = getattr(exc, "message", str(exc))
            self.app.call_from_thread(self.notify, message, severity="error", timeout=5)
            return
        self.app.post_message(PacksChanged(pack, install))
        self.app.call_from_thread(self.notify, f"{pack} {'installed' if install else 'removed'}", timeout=3)
        self.load()
