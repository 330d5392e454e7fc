"""A finished run shown with the widget its render hints ask for: a headline number large (Digits; a
path or text headline stays text), a table in a DataTable as tall as its rows (the results area scrolls
from the keyboard), a document as Markdown with its path, a list, the rest as a record. A result that
wrote a file says where (ctrl+o opens the folder). Every result ends with its basis and the pack's
disclaimer."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Digits, Markdown, Static

from terminal.tui.format import fmt_value, label, table_field
from terminal.tui.widgets.preview import slot_text

MAX_DOC_CHARS = 20_000  # a Markdown widget this long still renders instantly
TEXT_SUFFIXES = {".md", ".markdown", ".txt"}


class ResultView(Vertical):
    SCOPED_CSS = False  # plain selectors; parsed when this is first shown, not at start-up
    DEFAULT_CSS = """
    .result {
        height: auto;
    }

    .result-title {
        margin-top: 1;
    }

    .headline-label {
        margin-top: 1;
        color: $text-muted;
    }

    Digits.headline {
        color: $success;
        text-style: bold;
        width: auto;
    }

    .record {
        margin-top: 1;
    }

    .table-title {
        margin-top: 1;
    }

    DataTable.result-table {
        height: auto;
    }

    .headline-text {
        margin-top: 1;
        text-style: bold;
    }

    .charts {
        height: auto;
        margin-top: 1;
    }

    .chart-bands {
        width: auto;
        padding: 0 1;
    }

    .written {
        margin-top: 1;
        color: $success;
    }

    Markdown.document {
        height: auto;
        border: round $panel;
        margin-top: 1;
    }

    .doc-path {
        margin-top: 1;
    }

    .result-list {
        margin-top: 1;
    }

    .basis {
        margin-top: 1;
        color: $text-muted;
    }

    .disclaimer {
        color: $warning;
        text-style: italic;
    }

    .result-keys {
        color: $text-disabled;
    }
    """
    def __init__(self, outcome, spec, locks: dict | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outcome = outcome
        self.spec = spec
        self.locks = locks or {}  # action id -> refusal: a table of actions (F1) marks the locked ones

    def compose(self) -> ComposeResult:
        result = dict(self.outcome.result)
        basis = result.pop("basis", None)
        disclaimer = result.pop("disclaimer", None)
        hints = self.spec.render
        yield Static(self._title(), classes="result-title")
        from terminal.tui.export import written_files

        written = written_files(result)
        if hints.headline and hints.headline in result:
            key = hints.headline
            value = result.pop(key)
            unit = hints.units.get(key, "")
            shown = fmt_value(value, hints.headline_format)
            if _is_number(value) and hints.headline_format not in ("text", "date"):
                # The figure in plain text too: screen readers, terminal captures and copy-by-selection read it.
                yield Static(Text.assemble((label(key), "bold"), f"  {shown}{(' ' + unit) if unit else ''}"),
                             classes="headline-label")
                yield Digits(shown, classes="headline")
            elif isinstance(value, str) and Path(value) in written:
                result[key] = value  # shown below as the file written, with its folder
            else:  # a date, a code, a sentence: big digits are for numbers only
                yield Static(Text.assemble((label(key) + "  ", "bold"), (shown, "bold green")), classes="headline-text")
        doc_key = hints.document if hints.document in result else None
        if doc_key is None and hints.kind == "document":
            doc_key = next((k for k in ("path", "document", "text") if isinstance(result.get(k), str)), None)
        if doc_key:
            yield from self._document(result.pop(doc_key), written)
        for key in [k for k, v in result.items() if isinstance(v, str) and Path(v) in written]:
            result.pop(key)  # a written file is shown once, as what was written and where
        if written:
            yield Static(self._written(written), classes="written")
        list_key = hints.list if hints.list in result else None
        tab_key = None if list_key else table_field(result, hints.table)
        scalars = {k: v for k, v in result.items() if k not in (list_key, tab_key)}
        if scalars:
            yield Static(self._record(scalars), classes="record")
        yield from self._charts(hints)
        if list_key:
            yield Static(self._list(list_key, result[list_key]), classes="result-list")
        if tab_key:
            yield from self._table(tab_key, result[tab_key])
        if basis:
            yield Static(Text(f"basis: {basis}"), classes="basis")
        if disclaimer:
            yield Static(Text(disclaimer), classes="disclaimer")
        keys = "ctrl+y copy · ctrl+s export CSV+JSON" + (" · ctrl+o open folder" if written else "")
        if tab_key and len(result[tab_key]) > 10:
            keys += " · PgUp/PgDn, ↑↓, ctrl+home/end scroll"
        yield Static(keys, classes="result-keys")

    def _charts(self, hints):
        """The pictures the action declares (Render.charts), side by side when there are two."""
        if not getattr(hints, "charts", None):
            return
        from textual.containers import Horizontal

        from terminal.tui.widgets.charts import make_chart

        made = [w for w in (make_chart(c, self.outcome.result) for c in hints.charts) if w is not None]
        if made:
            yield Horizontal(*made, classes="charts")

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit_tables)

    def fit_tables(self) -> None:
        """A table is at most as tall as the scrolling area it sits in: scrolled into view, its header
        stays on screen while its rows scroll (the screen's scroll keys chain from the area to it)."""
        from textual.containers import ScrollableContainer

        # the results area, also when this result is one step of a compound request (StepResults)
        area = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), self.parent)
        height = getattr(area, "scrollable_content_region", None)
        if height is None or height.height < 4:
            return
        for table in self.query(DataTable):
            table.styles.max_height = height.height
        self.call_after_refresh(self.screen.refresh_bindings)

    def _written(self, files: list[Path]) -> Text:
        text = Text()
        for i, path in enumerate(files):
            text.append(("\n" if i else "") + "saved ", style="bold")
            text.append(str(path), style="underline")
        return text

    def _title(self) -> Text:
        text = Text.assemble((self.spec.title, "bold"), (f"  {self.spec.id}", "cyan"))
        params = [f"{label(k)} {slot_text(self.spec.slot(k), v)}" for k, v in self.outcome.params.items() if v is not None]
        if params:
            text.append("  ·  " + " · ".join(params), style="dim")
        return text

    def _record(self, values: dict) -> Text:
        width = max(len(label(k)) for k in values) + 2
        text = Text()
        for i, (key, value) in enumerate(values.items()):
            unit = self.spec.render.units.get(key, "")
            text.append(("\n" if i else "") + label(key).ljust(width), style="bold")
            text.append(fmt_value(value) + (f" {unit}" if unit else ""))
        return text

    def _list(self, key: str, items: list) -> Text:
        text = Text(f"{label(key)} ({len(items)})\n", style="bold")
        for item in items[:200]:
            if isinstance(item, dict):
                parts = [str(v) for v in item.values() if v not in (None, "")]
                text.append("• ")
                text.append(parts[0] if parts else "", style="bold")
                text.append(("  " + " · ".join(parts[1:])) if len(parts) > 1 else "")
                text.append("\n")
            else:
                text.append(f"• {item}\n")
        return text

    def _table(self, key: str, rows: list):
        yield Static(Text(f"{label(key)} ({len(rows)} rows)", style="bold"), classes="table-title")
        table = DataTable(zebra_stripes=True, cursor_type="row", classes="result-table")
        cols = list(dict.fromkeys(c for r in rows for c in r))
        locked = [r.get("action") in self.locks for r in rows]
        if any(locked):  # a table of actions (F1): mark the ones the plan refuses, as the preview does
            from terminal.tui.locks import lock_text

            rows = [{**r, "plan": lock_text(self.locks[r["action"]]) if lock else ""} for r, lock in zip(rows, locked)]
            cols.insert(1, "plan")
        for col in cols:
            table.add_column(label(col), key=col)
        numeric = {c for c in cols if all(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
                                          for r in rows if r.get(c) is not None)}
        for row in rows:
            table.add_row(*(Text(fmt_value(row.get(c)), justify="right") if c in numeric else fmt_value(row.get(c))
                            for c in cols))
        yield table

    def _document(self, value: str, written: list[Path] = ()):
        path = Path(value) if isinstance(value, str) and len(value) < 1024 and "\n" not in value else None
        if path is not None and path.is_file():
            if path not in written:  # a file it wrote is named below, with its folder
                yield Static(Text.assemble(("document: ", "bold"), (str(path), "underline")), classes="doc-path")
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield Markdown(path.read_text(errors="replace")[:MAX_DOC_CHARS], classes="document")
            return
        yield Markdown(str(value)[:MAX_DOC_CHARS], classes="document")


class StepResults(Vertical):
    """A compound request's steps, each under a "step n of N" line, and what stopped it, if anything."""

    DEFAULT_CSS = """
    StepResults {
        height: auto;
    }

    StepResults .step-title {
        margin-top: 1;
        text-style: bold reverse;
        padding: 0 1;
    }
    """


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
