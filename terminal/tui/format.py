"""Pure helpers for the TUI (no Textual here, so they are cheap to import and easy to test):
value formatting by render hints, parsing of inline answers, and result export."""
from __future__ import annotations

import re
from typing import Any

_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_NUMBER = re.compile(
    r"^\s*(?P<sign>[-+])?\s*[$€£¥]?\s*(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<scale>k|m|mm|b|bn|thousand|million|billion)?"
    r"\s*(?P<unit>%|percent|years?|yrs?|months?|days?|kg|cm|mg/dl|ms|bpm)?\s*$",
    re.I,
)


def fmt_value(value: Any, kind: str = "number") -> str:
    """Money and numbers with thousands separators and two decimals (1,896.20), percent with a sign."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if kind == "money":
            return f"{value:,.2f}"
        if kind == "percent":
            return f"{value:,.2f}%"
        if isinstance(value, int):
            return f"{value:,}"
        if value != 0 and abs(value) < 0.01:
            return f"{value:.4g}"
        return f"{value:,.2f}"
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def label(name: str) -> str:
    return name.replace("_", " ")


def parse_answer(slot, text: str) -> Any:
    """Turn what a person typed for one slot into a value pydantic will accept.

    Numbers may carry a currency sign, thousands separators, a scale (300k, 1.2m) or a unit (6.5%, 30 years);
    anything else is passed through for the action's own validation to judge.
    """
    text = text.strip()
    if not text:
        return None
    slot_type = getattr(slot, "type", "string")
    if slot_type in ("number", "integer"):
        m = _NUMBER.match(text)
        if m:
            num = m.group("num").replace(",", "")
            value = float(num) * (-1 if m.group("sign") == "-" else 1) * _SCALE.get((m.group("scale") or "").lower(), 1)
            if slot_type == "integer" and value.is_integer():
                return int(value)
            return value
        return text
    if slot_type == "boolean":
        low = text.lower()
        if low in ("y", "yes", "true", "1", "on", "mutual"):
            return True
        if low in ("n", "no", "false", "0", "off"):
            return False
        return text
    if slot_type == "array":
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return text


def table_field(result: dict[str, Any], hint: str | None) -> str | None:
    """The field holding a list of row dicts: the render hint's, else the first such field."""
    if hint and isinstance(result.get(hint), list):
        return hint
    for key, value in result.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return key
    return None


def as_text(outcome: dict[str, Any], title: str = "") -> str:
    """A plain-text rendering for the clipboard: every scalar, tables as tab-separated lines."""
    result = outcome["result"]
    lines = [f"{title} ({outcome['action']})" if title else outcome["action"]]
    for key, value in result.items():
        if key in ("basis", "disclaimer"):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            cols = list(value[0].keys())
            lines.append(label(key) + ":")
            lines.append("\t".join(cols))
            lines += ["\t".join(fmt_value(r.get(c)) for c in cols) for r in value]
        else:
            lines.append(f"{label(key)}: {fmt_value(value)}")
    for key in ("basis", "disclaimer"):
        if result.get(key):
            lines.append(f"{key}: {result[key]}")
    return "\n".join(lines)


def as_csv(outcome: dict[str, Any], table_hint: str | None = None) -> str:
    """CSV of the result table when there is one, else one `field,value` row per scalar."""
    import csv
    import io

    result = outcome["result"]
    buf = io.StringIO()
    writer = csv.writer(buf)
    key = table_field(result, table_hint)
    if key:
        rows = result[key]
        cols = list(dict.fromkeys(c for r in rows for c in r))
        writer.writerow(cols)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in cols])
    else:
        writer.writerow(["field", "value"])
        for name, value in result.items():
            writer.writerow([name, _cell(value)])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    return value
