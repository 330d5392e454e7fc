"""Human rendering of results for the CLI: the headline number large, tables aligned, basis and disclaimer.

The TUI has its own widgets; both read the action's `Render` hints.
"""
from __future__ import annotations

from typing import Any


PLAIN_INTS = {"year", "volume", "page", "month", "id", "code", "age"}  # identifiers, not quantities


def fmt(value: Any, kind: str = "number", key: str = "") -> str:
    if isinstance(value, int) and not isinstance(value, bool) and key in PLAIN_INTS:
        return str(value)
    if isinstance(value, bool) or value is None:
        return "yes" if value is True else "no" if value is False else "–"
    if isinstance(value, float):
        if kind == "percent":
            return f"{value:,.2f}%"
        if value != 0 and abs(value) < 0.01:
            return f"{value:.4g}"
        if abs(value) < 100 and round(value, 2) != value:  # keep a rate like 1.0921 readable in full
            return f"{value:,.4f}".rstrip("0")
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def outcome(out, spec, con) -> None:
    """Print an Outcome for a person."""
    if getattr(con, "plain", False):
        return _plain_outcome(out, spec, con)
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from terminal.output import show

    result = dict(out.result)
    basis = result.pop("basis", None)
    disclaimer = result.pop("disclaimer", None)
    hints = spec.render
    con.print(Text(spec.title, style="bold cyan"), Text(f"  {spec.id}", style="dim"))
    if hints.headline and hints.headline in result:
        value = result.pop(hints.headline)
        unit = hints.units.get(hints.headline, "")
        con.print(Text(f"{hints.headline.replace('_', ' ')}: ", style="bold") +
                  Text(f"{fmt(value, hints.headline_format)}{(' ' + unit) if unit else ''}", style="bold green"))
    tables = {k: v for k, v in result.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
    scalars = {k: v for k, v in result.items() if k not in tables}
    if scalars:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column(justify="right")
        for key, value in scalars.items():
            unit = hints.units.get(key, "")
            grid.add_row(key.replace("_", " "), fmt(value, key=key) + (f" {unit}" if unit else ""))
        show(con, grid)
    piped = getattr(con, "piped", False)
    for key, rows in tables.items():
        # Into a pipe: every row, columns aligned by spaces, no box lines (grep, awk and sort read it)
        table = Table(title=key.replace("_", " "), title_justify="left", show_lines=False,
                      box=None if piped else box.HEAVY_HEAD, pad_edge=not piped)
        cols = list(dict.fromkeys(c for r in rows for c in r))
        for col in cols:
            numeric = all(isinstance(r.get(col), (int, float)) and not isinstance(r.get(col), bool) for r in rows
                          if r.get(col) is not None)
            table.add_column(col, justify="right" if numeric else "left", overflow="fold" if piped else "ellipsis")
        limit = len(rows) if piped else 400
        for row in rows[:limit]:
            table.add_row(*(fmt(row.get(c), key=c) for c in cols))
        show(con, table)
        if len(rows) > limit:
            con.print(f"[dim]… {len(rows) - limit} more rows (pipe it, or use --json, for all)[/]")
    if basis:
        con.print(Text(f"basis: {basis}", style="dim"))
    if disclaimer:
        con.print(Text(disclaimer, style="italic yellow"))
    for path in written_files(out.result):
        con.print(Text.assemble(("saved ", "bold"), (str(path), "underline"),
                                ("  (files go to the documents folder, or --out DIR)", "dim")))


def _plain_outcome(out, spec, con) -> None:
    """`outcome` into a pipe or file (terminal.output.PlainConsole): the same lines, without rich."""
    from terminal.output import columns

    result = dict(out.result)
    basis = result.pop("basis", None)
    disclaimer = result.pop("disclaimer", None)
    hints = spec.render
    con.print(spec.title, f"  {spec.id}")
    if hints.headline and hints.headline in result:
        value = result.pop(hints.headline)
        unit = hints.units.get(hints.headline, "")
        con.print(f"{hints.headline.replace('_', ' ')}: {fmt(value, hints.headline_format)}{(' ' + unit) if unit else ''}")
    tables = {k: v for k, v in result.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
    scalars = {k: v for k, v in result.items() if k not in tables}
    if scalars:
        rows = []
        for key, value in scalars.items():
            unit = hints.units.get(key, "")
            rows.append([key.replace("_", " "), fmt(value, key=key) + (f" {unit}" if unit else "")])
        con.lines(columns(rows, [False, True]))
    for key, rows in tables.items():
        cols = list(dict.fromkeys(c for r in rows for c in r))
        right = [all(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool) for r in rows
                     if r.get(c) is not None) for c in cols]
        con.lines([key.replace("_", " ")] + columns([cols] + [[fmt(r.get(c), key=c) for c in cols] for r in rows], right))
    if basis:
        con.print(f"basis: {basis}")
    if disclaimer:
        con.print(disclaimer)
    for path in written_files(out.result):
        con.print(f"saved {path}  (files go to the documents folder, or --out DIR)")


def heading(con, text: str) -> None:
    """A bold line (a compound request's "step 2 of 3"); plain into a pipe."""
    if getattr(con, "plain", False):
        con.print(text)
    else:
        from rich.text import Text

        con.print(Text(text, style="bold"))


def written_files(result: dict) -> list:
    """The files a result says it wrote: string fields named path or *_path that exist as files."""
    from pathlib import Path

    out = []
    for key, value in result.items():
        if (key == "path" or key.endswith("_path")) and isinstance(value, str) and len(value) < 4096 \
                and "\n" not in value and Path(value).is_file():
            out.append(Path(value))
    return out


def match(m, con, registry=None) -> None:
    """Print what a Match understood."""
    if getattr(con, "plain", False):
        return _plain_match(m, con)
    from rich.text import Text

    if getattr(m, "steps", None):
        for n, step in enumerate(m.steps, 1):
            con.print(Text(f"step {n} of {len(m.steps)}", style="bold"))
            match(step, con, registry)
        return
    if m.action is None:
        con.print(Text("not understood", style="bold red"), Text(f"(confidence {m.confidence:.2f})", style="dim"))
    else:
        con.print(Text(m.action, style="bold cyan"), Text(f" confidence {m.confidence:.2f} · {m.source}", style="dim"))
        if getattr(m, "follows", None) is not None:
            changed = ", ".join(m.changed) if m.changed else "nothing new"
            con.print(Text(f"  follow-up of run #{m.follows}; changed: {changed}", style="dim"))
        for key, value in m.slots.items():
            con.print(f"  {key} = {fmt(value)}")
        for name in m.missing:
            con.print(Text(f"  {name} = ? (missing)", style="yellow"))
    if getattr(m, "notice", None):
        con.print(Text(f"  note: {m.notice}", style="yellow"))
    if m.alternatives:
        con.print(Text("  also: " + ", ".join(f"{a.action} ({a.confidence:.2f})" for a in m.alternatives), style="dim"))


def _plain_match(m, con) -> None:
    """`match` into a pipe or file (terminal.output.PlainConsole): the same lines, without rich."""
    if getattr(m, "steps", None):
        for n, step in enumerate(m.steps, 1):
            con.print(f"step {n} of {len(m.steps)}")
            _plain_match(step, con)
        return
    if m.action is None:
        con.print("not understood", f"(confidence {m.confidence:.2f})")
    else:
        con.print(m.action, f" confidence {m.confidence:.2f} · {m.source}")
        if getattr(m, "follows", None) is not None:
            changed = ", ".join(m.changed) if m.changed else "nothing new"
            con.print(f"  follow-up of run #{m.follows}; changed: {changed}")
        for key, value in m.slots.items():
            con.print(f"  {key} = {fmt(value)}")
        for name in m.missing:
            con.print(f"  {name} = ? (missing)")
    if getattr(m, "notice", None):
        con.print(f"  note: {m.notice}")
    if m.alternatives:
        con.print("  also: " + ", ".join(f"{a.action} ({a.confidence:.2f})" for a in m.alternatives))
