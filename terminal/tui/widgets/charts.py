"""Pictures of a result, as its action's render hints declare them (intents.specs.Chart): a line or
stacked bars over a table's rows (textual-plotext), a value among labelled bands (drawn in text).

Any pack gets these by declaring `Render(charts=[Chart(...)])`; nothing here names a pack or an action.
"""
from __future__ import annotations

import functools
from typing import Any

from rich.text import Text
from textual.widgets import Static

from terminal.chart_svg import bucketed, chart_data  # noqa: F401  (the data of a chart, shared with exports)

def make_chart(chart, result: dict[str, Any]):
    """The widget for one declared chart, or None when the result does not hold what it needs."""
    if chart.kind == "bands":
        value = result.get(chart.value) if chart.value else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and chart.bands:
            return Static(bands_text(chart, float(value)), classes="chart chart-bands")
        return None
    data = chart_data(chart, result)
    if data is None:
        return None
    return PlotChart(chart, *data, classes="chart")


def bands_text(chart, value: float, width: int = 60) -> Text:
    """The bands as a strip of labelled cells, the value's band highlighted and marked with ▼."""
    bands = sorted(chart.bands, key=lambda b: float(b.get("from", 0)))
    low, high = float(bands[0].get("from", 0)), float(bands[-1].get("to", value))
    span = max(high - low, 1e-9)
    text = Text(f"{chart.title}\n" if chart.title else "", style="bold")
    cells = []
    for band in bands:
        start, end = float(band.get("from", low)), float(band.get("to", high))
        cells.append((band, max(len(str(band.get("label", ""))) + 2, round((end - start) / span * width))))
    where = next((b for b in bands if float(b.get("from", low)) <= value < float(b.get("to", high))),
                 bands[-1] if value >= high else bands[0])
    marker, strip = Text(), Text()
    for band, cols in cells:
        inside = band is where
        label = str(band.get("label", "")).center(cols)
        strip.append(label, style="bold reverse green" if inside else "dim reverse")
        if inside:
            start, end = float(band.get("from", low)), float(band.get("to", high))
            at = min(cols - 1, max(0, round((min(value, end) - start) / max(end - start, 1e-9) * (cols - 1))))
            marker.append(" " * at + "▼" + " " * (cols - at - 1), style="bold")
        else:
            marker.append(" " * cols)
    text.append_text(marker)
    text.append("\n")
    text.append_text(strip)
    edges = "".join(f"{band.get('from', ''):<{cols}}" for band, cols in cells)
    text.append("\n" + edges, style="dim")
    shown = f"{value:,.1f}".rstrip("0").rstrip(".")
    text.append(f"\n{chart.value} {shown}{(' ' + chart.unit) if chart.unit else ''}: {where.get('label', '')}",
                style="bold")
    return text


@functools.lru_cache(maxsize=1)
def _plot_class():
    from textual_plotext import PlotextPlot  # plotext loads with the first chart, not at start-up

    class ResultPlot(PlotextPlot):
        DEFAULT_CSS = """
        ResultPlot {
            height: 14;
            width: 1fr;
            min-width: 30;
        }
        """

        def __init__(self, chart, xs, series, **kwargs) -> None:
            super().__init__(**kwargs)
            self.chart, self.xs, self.series = chart, xs, series

        def on_mount(self) -> None:
            super().on_mount()
            plt = self.plt
            plt.title(self.chart.title or ", ".join(self.series))
            numeric_x = all(isinstance(x, (int, float)) for x in self.xs)
            if self.chart.kind == "stacked":
                xs, series = bucketed(self.xs, self.series)
                plt.stacked_bar([str(x) for x in xs], list(series.values()), labels=list(series), orientation="vertical",
                                width=0.8)
            else:
                xs = self.xs if numeric_x else list(range(1, len(self.xs) + 1))
                for name, values in self.series.items():
                    plt.plot(xs, values, label=name if len(self.series) > 1 else None, marker="braille")
            if self.chart.x:
                plt.xlabel(self.chart.x)

    return ResultPlot


def PlotChart(chart, xs, series, **kwargs):  # noqa: N802  (a widget factory, named like the widget)
    return _plot_class()(chart, xs, series, **kwargs)
