"""A finished run shown with the widget its render hints ask for: a headline number large (Digits),
a table in a DataTable, a document as Markdown with its path, a list, the rest as a record.
Every result ends with its basis and the pack's disclaimer."""
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
        max-height: 12;
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
    def __init__(self, outcome, spec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outcome = outcome
        self.spec = spec

    def compose(self) -> ComposeResult:
        result = dict(self.outcome.result)
        basis = result.pop("basis", None)
        disclaimer = result.pop("disclaimer", None)
        hints = self.spec.render
        yield Static(self._title(), classes="result-title")
        if hints.headline and hints.headline in result:
            value = result.pop(hints.headline)
            unit = hints.units.get(hints.headline, "")
            shown = fmt_value(value, hints.headline_format)
            # The figure in plain text too: screen readers, terminal captures and copy-by-selection read it.
            yield Static(Text.assemble((label(hints.headline), "bold"), f"  {shown}{(' ' + unit) if unit else ''}"),
                         classes="headline-label")
            yield Digits(shown, classes="headline")
        doc_key = hints.document if hints.document in result else None
        if doc_key is None and hints.kind == "document":
            doc_key = next((k for k in ("path", "document", "text") if isinstance(result.get(k), str)), None)
        if doc_key:
            yield from self._document(result.pop(doc_key))
        list_key = hints.list if hints.list in result else None
        tab_key = None if list_key else table_field(result, hints.table)
        scalars = {k: v for k, v in result.items() if k not in (list_key, tab_key)}
        if scalars:
            yield Static(self._record(scalars), classes="record")
        if list_key:
            yield Static(self._list(list_key, result[list_key]), classes="result-list")
        if tab_key:
            yield from self._table(tab_key, result[tab_key])
        if basis:
            yield Static(Text(f"basis: {basis}"), classes="basis")
        if disclaimer:
            yield Static(Text(disclaimer), classes="disclaimer")
        yield Static("ctrl+y copy · ctrl+s export CSV+JSON", classes="result-keys")

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
        for col in cols:
            table.add_column(label(col), key=col)
        numeric = {c for c in cols if all(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
                                          for r in rows if r.get(c) is not None)}
        for row in rows:
            table.add_row(*(Text(fmt_value(row.get(c)), justify="right") if c in numeric else fmt_value(row.get(c))
                            for c in cols))
        yield table

    def _document(self, value: str):
        path = Path(value) if isinstance(value, str) and len(value) < 1024 and "\n" not in value else None
        if path is not None and path.is_file():
            yield Static(Text.assemble(("document: ", "bold"), (str(path), "underline")), classes="doc-path")
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield Markdown(path.read_text(errors="replace")[:MAX_DOC_CHARS], classes="document")
            return
        yield Markdown(str(value)[:MAX_DOC_CHARS], classes="document")
