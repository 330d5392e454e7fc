"""Turn loose parameter values (CLI `k=v` strings, resolver slots) into an action's validated model."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from intents.errors import BadParameters


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """`["principal=300000", "rate_pct=6.5"]` -> dict; a pair without '=' is a usage error."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadParameters(f"expected key=value, got '{pair}'", param=pair)
        out[key.strip()] = value.strip()
    return out


def coerce(spec, raw: dict[str, Any]) -> dict[str, Any]:
    """Split comma-separated strings for list slots; everything else is left to pydantic."""
    out = dict(raw)
    for slot in spec.slots:
        value = out.get(slot.name)
        if slot.type == "array" and isinstance(value, str):
            out[slot.name] = [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    unknown = [k for k in out if spec.slot(k) is None]
    if unknown:
        names = ", ".join(s.name for s in spec.slots) or "none"
        raise BadParameters(
            f"{spec.id} has no parameter '{unknown[0]}' (its parameters: {names})", param=unknown[0]
        )
    return out


def validate(model: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    try:
        params = model.model_validate(values)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        # Name the slot itself (a bad list item reports "cash_flows", not "cash_flows.1").
        param = str(first["loc"][0]) if first["loc"] else "parameters"
        given = values.get(str(first["loc"][0])) if first["loc"] else None
        shown = f" (got {_clip(repr(given))})" if given is not None else ""
        where = ".".join(str(p) for p in first["loc"][1:])
        # The slot's range; an item's own bound (cash_flows.1 <= 1e15) is already in pydantic's message
        bounds = None if where else slot_range(model, param)
        extra = {"range": bounds} if bounds else {}
        raise BadParameters(
            f"{param}{f' (item {where})' if where else ''}: {first['msg']}{shown}"
            + (f"; {param} takes {bounds['text']}" if bounds else ""),
            param=param,
            errors=[{"param": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in errors],
            **extra,
        ) from None
    # SDK-built models refuse inf/NaN themselves; a pack's own params model may not, so check here too
    found = non_finite(params.model_dump())
    if found is not None:
        where, value = found
        param = where.split(".", 1)[0]
        raise BadParameters(f"{where}: {value} is not a finite number", param=param)
    return params


def _clip(text: str, width: int = 80) -> str:
    """A pasted 5 MB document is not repeated back in full in an error message."""
    return text if len(text) <= width else f"{text[:width - 20]}... ({len(text):,} characters)"


def slot_range(model: type[BaseModel], name: str) -> dict[str, Any] | None:
    """The plausible range a slot declares (pydantic ge/gt/le/lt, lengths, the SDK's min_nonzero), as
    data plus a phrase for people: {"min": 0.5, "max": 275, "unit": "cm", "text": "0.5 to 275 cm"}."""
    import annotated_types as at
    from pydantic.functional_validators import AfterValidator

    from intents.sdk import MinNonzero

    info = model.model_fields.get(name)
    if info is None:
        return None
    out: dict[str, Any] = {}
    for m in info.metadata:
        if isinstance(m, at.Ge):
            out["min"] = m.ge
        elif isinstance(m, at.Gt):
            out["min"], out["min_exclusive"] = m.gt, True
        elif isinstance(m, at.Le):
            out["max"] = m.le
        elif isinstance(m, at.Lt):
            out["max"], out["max_exclusive"] = m.lt, True
        elif isinstance(m, at.MinLen):
            out["min_length"] = m.min_length
        elif isinstance(m, at.MaxLen):
            out["max_length"] = m.max_length
        elif isinstance(m, AfterValidator) and isinstance(m.func, MinNonzero):
            out["min_nonzero"] = m.func.smallest
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if not out:
        return None
    unit = extra.get("unit") or ("%" if extra.get("kind") == "percent" else None)
    if unit:
        out["unit"] = unit
    out["text"] = _range_text(out, _is_text_or_list(info.annotation))
    return out


def _range_text(r: dict[str, Any], counted: str | None) -> str:
    if "min" in r or "max" in r:
        lo, hi = r.get("min"), r.get("max")
        if r.get("min_nonzero") and lo == 0 and not r.get("min_exclusive"):
            lo_text = f"0, or {_num(r['min_nonzero'])}"
        else:
            lo_text = _num(lo) if lo is not None else None
        if lo is not None and hi is not None:
            text = f"more than {lo_text}, " if r.get("min_exclusive") else f"{lo_text} "
            text += f"to less than {_num(hi)}" if r.get("max_exclusive") else f"up to {_num(hi)}"
            if not r.get("min_exclusive") and not r.get("max_exclusive"):
                text = f"{lo_text} to {_num(hi)}"
        elif lo is not None:
            text = f"more than {lo_text}" if r.get("min_exclusive") else f"{lo_text} or more"
        else:
            text = f"less than {_num(hi)}" if r.get("max_exclusive") else f"{_num(hi)} or less"
        return f"{text} {r['unit']}" if r.get("unit") else text
    lo, hi = r.get("min_length"), r.get("max_length")
    what = counted or "items"
    if lo is not None and hi is not None:
        return f"{_num(lo)} to {_num(hi)} {what}"
    return f"at least {_num(lo)} {what}" if lo is not None else f"at most {_num(hi)} {what}"


def _num(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and abs(value) < 1e16:
            return f"{int(value):,}"
        return f"{value:g}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _is_text_or_list(annotation: Any) -> str | None:
    import types
    import typing

    if typing.get_origin(annotation) in (typing.Union, types.UnionType):  # Optional[...]: its other member
        annotation = next((a for a in typing.get_args(annotation) if a is not type(None)), annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    base = typing.get_origin(annotation) or annotation
    if base is str:
        return "characters"
    if base in (list, tuple, set):
        return "items"
    return None


def non_finite(value: Any, where: str = "") -> tuple[str, str] | None:
    """(where, value) of the first inf or NaN in a dumped model, or None when every number is finite."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (where or "result", repr(value))
    if isinstance(value, Decimal):
        return None if value.is_finite() else (where or "result", str(value))
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = ((f"{i}", v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        found = non_finite(item, f"{where}.{key}" if where else str(key))
        if found:
            return found
    return None
