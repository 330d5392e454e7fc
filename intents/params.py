"""Turn loose parameter values (CLI `k=v` strings, resolver slots) into an action's validated model."""
from __future__ import annotations

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
        return model.model_validate(values)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        # Name the slot itself (a bad list item reports "cash_flows", not "cash_flows.1").
        param = str(first["loc"][0]) if first["loc"] else "parameters"
        given = values.get(str(first["loc"][0])) if first["loc"] else None
        shown = f" (got {given!r})" if given is not None else ""
        where = ".".join(str(p) for p in first["loc"][1:])
        raise BadParameters(
            f"{param}{f' (item {where})' if where else ''}: {first['msg']}{shown}",
            param=param,
            errors=[{"param": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in errors],
        ) from None
