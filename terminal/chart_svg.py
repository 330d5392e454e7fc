"""A result's declared charts (intents.specs.Chart) as SVG images, for exports (ctrl+s in the TUI).

SVG is text: no plotting library or font files are needed, and any browser, word processor or slide
tool opens it. The drawing is deliberately plain: axes with their range, one polyline per series,
stacked bars summed into at most 30 buckets, bands as labelled blocks with the value marked."""
from __future__ import annotations

from html import escape
from typing import Any

MAX_BARS = 30  # more points than this are summed into buckets: 360 monthly bars would be a grey wall


def chart_data(chart, result: dict[str, Any]) -> tuple[list, dict[str, list[float]]] | None:
    """(x values, {series: values}) for a line or stacked chart, or None when the result lacks them."""
    rows = result.get(chart.table) if chart.table else None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return None
    xs = [r.get(chart.x, i + 1) for i, r in enumerate(rows)]
    series = {}
    for name in chart.y:
        values = [r.get(name) for r in rows]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return None
        series[name] = [float(v) for v in values]
    return (xs, series) if series else None


def bucketed(xs: list, series: dict[str, list[float]], most: int = MAX_BARS) -> tuple[list, dict[str, list[float]]]:
    """Sum consecutive points into at most `most` buckets, each labelled by its first x."""
    if len(xs) <= most:
        return xs, series
    size = -(-len(xs) // most)
    out_x = [xs[i] for i in range(0, len(xs), size)]
    out = {k: [sum(v[i:i + size]) for i in range(0, len(v), size)] for k, v in series.items()}
    return out_x, out


W, H, PAD = 640, 320, 56
COLOURS = ("#2f6fdb", "#e0862d", "#3a9e5a", "#b44fc4")


def chart_svg(chart, result: dict[str, Any]) -> str | None:
    """The SVG document for one chart of `result`, or None when the result lacks its data."""
    if chart.kind == "bands":
        value = result.get(chart.value) if chart.value else None
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not chart.bands:
            return None
        return _bands(chart, float(value))
    data = chart_data(chart, result)
    if data is None:
        return None
    xs, series = data
    if chart.kind == "stacked":
        xs, series = bucketed(xs, series)
        return _stacked(chart, xs, series)
    return _lines(chart, xs, series)


def _frame(title: str, body: list[str], legend: list[str]) -> str:
    keys = [f'<rect x="{PAD + i * 150}" y="{H - 16}" width="10" height="10" fill="{COLOURS[i % 4]}"/>'
            f'<text x="{PAD + i * 150 + 14}" y="{H - 7}" font-size="11">{escape(name)}</text>'
            for i, name in enumerate(legend)]
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        'font-family="sans-serif">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{W / 2}" y="20" font-size="14" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
        *body, *keys, "</svg>", ""])


def _axes(low: float, high: float, x_first: Any, x_last: Any, x_label: str) -> list[str]:
    bottom, right = H - PAD, W - 20
    return [f'<line x1="{PAD}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="black"/>',
            f'<line x1="{PAD}" y1="36" x2="{PAD}" y2="{bottom}" stroke="black"/>',
            f'<text x="{PAD - 4}" y="40" font-size="10" text-anchor="end">{high:,.0f}</text>',
            f'<text x="{PAD - 4}" y="{bottom}" font-size="10" text-anchor="end">{low:,.0f}</text>',
            f'<text x="{PAD}" y="{bottom + 14}" font-size="10">{escape(str(x_first))}</text>',
            f'<text x="{right}" y="{bottom + 14}" font-size="10" text-anchor="end">{escape(str(x_last))}</text>',
            f'<text x="{(PAD + right) / 2}" y="{bottom + 26}" font-size="11" text-anchor="middle">'
            f'{escape(x_label)}</text>']


def _scale(value: float, low: float, high: float) -> float:
    return H - PAD - (value - low) / max(high - low, 1e-9) * (H - PAD - 40)


def _lines(chart, xs: list, series: dict[str, list[float]]) -> str:
    values = [v for vs in series.values() for v in vs]
    low, high = min(0.0, min(values)), max(values)
    step = (W - 20 - PAD) / max(len(xs) - 1, 1)
    body = _axes(low, high, xs[0], xs[-1], chart.x or "")
    for i, (name, vs) in enumerate(series.items()):
        points = " ".join(f"{PAD + j * step:.1f},{_scale(v, low, high):.1f}" for j, v in enumerate(vs))
        body.append(f'<polyline fill="none" stroke="{COLOURS[i % 4]}" stroke-width="2" points="{points}"/>')
    return _frame(chart.title or ", ".join(series), body, list(series))


def _stacked(chart, xs: list, series: dict[str, list[float]]) -> str:
    totals = [sum(vs[j] for vs in series.values()) for j in range(len(xs))]
    high = max(totals) if totals else 1.0
    width = (W - 20 - PAD) / max(len(xs), 1)
    body = _axes(0.0, high, xs[0], xs[-1], chart.x or "")
    for j in range(len(xs)):
        base = 0.0
        for i, vs in enumerate(series.values()):
            top, bottom = _scale(base + vs[j], 0.0, high), _scale(base, 0.0, high)
            body.append(f'<rect x="{PAD + j * width + 1:.1f}" y="{top:.1f}" width="{max(width - 2, 1):.1f}" '
                        f'height="{bottom - top:.1f}" fill="{COLOURS[i % 4]}"/>')
            base += vs[j]
    return _frame(chart.title or ", ".join(series), body, list(series))


def _bands(chart, value: float) -> str:
    bands = sorted(chart.bands, key=lambda b: float(b.get("from", 0)))
    low, high = float(bands[0].get("from", 0)), float(bands[-1].get("to", value))
    span = max(high - low, 1e-9)
    body, y = [], H / 2 - 20
    for i, band in enumerate(bands):
        start, end = float(band.get("from", low)), float(band.get("to", high))
        x0 = PAD + (start - low) / span * (W - 20 - PAD)
        x1 = PAD + (end - low) / span * (W - 20 - PAD)
        inside = start <= value < end or (band is bands[-1] and value >= end)
        body.append(f'<rect x="{x0:.1f}" y="{y}" width="{x1 - x0:.1f}" height="40" '
                    f'fill="{"#3a9e5a" if inside else "#d9d9d9"}" stroke="white"/>')
        body.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{y + 25}" font-size="12" text-anchor="middle">'
                    f'{escape(str(band.get("label", "")))}</text>')
        body.append(f'<text x="{x0:.1f}" y="{y + 56}" font-size="10">{start:g}</text>')
    at = PAD + (min(max(value, low), high) - low) / span * (W - 20 - PAD)
    body.append(f'<path d="M{at:.1f},{y - 4} l-6,-10 h12 z" fill="black"/>')
    body.append(f'<text x="{at:.1f}" y="{y - 18}" font-size="12" text-anchor="middle">'
                f'{escape(chart.value or "")} {value:,.1f} {escape(chart.unit)}</text>')
    return _frame(chart.title, body, [])
