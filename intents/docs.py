"""The user-facing action reference, generated from the registry so it cannot drift from the code.

`python scripts/gen_docs.py` writes docs/actions.md; a test regenerates it and fails when it differs.
"""
from __future__ import annotations


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# The unit a value of a general kind is in, where the slot does not name one itself.
KIND_UNITS = {"money": "currency units", "percent": "%", "years": "years", "days": "days", "age": "years",
              "date": "YYYY-MM-DD", "number_list": "list of numbers"}


# Units a result field's name says (the catalog's naming rule: rate_pct, weight_kg, qtc_ms ...).
SUFFIX_UNITS = (("_pct", "%"), ("_kg", "kg"), ("_cm", "cm"), ("_ms", "ms"), ("_mg", "mg"),
                ("_ml_min", "mL/min"), ("_m2", "m²"), ("_bpm", "bpm"), ("_months", "months"), ("_date", "YYYY-MM-DD"))


def _type_name(annotation) -> str:
    """int, float, str, list of {a, b}... as a reader would write them (no module paths)."""
    import typing

    from pydantic import BaseModel

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "{" + ", ".join(annotation.model_fields) + "}"
    if isinstance(annotation, type) and hasattr(annotation, "__total__") and hasattr(annotation, "__annotations__"):
        return "{" + ", ".join(annotation.__annotations__) + "}"  # a TypedDict (typing's or typing_extensions')
    if origin in (list, tuple, set) and args:
        return f"list of {_type_name(args[0])}"
    if origin is dict and len(args) == 2:
        return f"{{{_type_name(args[0])}: {_type_name(args[1])}}}"
    if args and type(None) in args:  # Optional[X]
        rest = [a for a in args if a is not type(None)]
        return " or ".join(_type_name(a) for a in rest) + " or null"
    if origin is typing.Literal:
        return " or ".join(map(str, args))
    if isinstance(annotation, type):
        return {"str": "text", "int": "integer", "float": "number", "bool": "yes/no", "date": "YYYY-MM-DD",
                "dict": "object", "list": "list"}.get(annotation.__name__, annotation.__name__)
    return str(annotation).replace("typing.", "")


def _unit(name: str, spec) -> str:
    if name in spec.render.units:
        return spec.render.units[name]
    if name == spec.render.headline and spec.render.headline_format == "money":
        return "currency units"
    return next((unit for suffix, unit in SUFFIX_UNITS if name.endswith(suffix)), "")


def _result_rows(registry, action_spec) -> list[str]:
    """One row per result field: its type, unit (from the render hints) and description."""
    try:
        model = registry.action(action_spec.id).result_model
    except Exception:  # a pack that cannot be imported here: the field names alone
        return [f"| `{f}` |  |  |  |" for f in action_spec.result_fields]
    rows = []
    for name, info in model.model_fields.items():
        if name == "basis":
            continue
        rows.append(f"| `{name}` | {_cell(_type_name(info.annotation))} | {_cell(_unit(name, action_spec))} | "
                    f"{_cell(info.description or '')} |")
    return rows


def reference_markdown(registry) -> str:
    out = [
        "# Action reference",
        "",
        "Generated from the pack registry by `python scripts/gen_docs.py`; do not edit by hand.",
        "Slot names, units and result fields are the contract that `intent do`, `intent run --json` and",
        "the resolver share. Parameters marked *optional* show their default.",
        "",
        "Units: money is a plain number in the currency's units (300k -> 300000); rates are percent",
        "(6.5% -> 6.5); dates are ISO `YYYY-MM-DD`; weights in kg and heights in cm (pounds, feet and",
        "inches, metres are converted when a person says them). Every result also has `basis` (how the",
        "answer was reached) and, for packs with one, `disclaimer`. Files an action writes go to",
        "`documents/` in the data directory unless `--out DIR` says otherwise.",
        "",
    ]
    for pack_id in sorted(registry.packs):
        spec = registry.packs[pack_id]
        m = spec.manifest
        out += [f"## {m.name} (`{m.id}` {m.version})", "", m.description, ""]
        if m.sensitive:
            out += [f"Sensitive data classes: {', '.join(m.sensitive)} (kept local unless you opt in).", ""]
        for disclaimer in m.disclaimers:
            out += [f"> {disclaimer}", ""]
        for a in sorted(spec.actions, key=lambda a: a.id):
            flags = [a.risk.value]
            if a.metered:
                flags.append(f"metered ({a.feature})")
            out += [f"### `{a.id}`: {a.title}", "", a.description.strip(), "", f"Risk: {', '.join(flags)}.", ""]
            if a.slots:
                out += ["| parameter | kind | unit | required | description |", "|---|---|---|---|---|"]
                for s in a.slots:
                    req = "yes" if s.required else f"optional, default `{s.default}`"
                    choices = f" One of: {', '.join(map(str, s.choices))}." if s.choices else ""
                    unit = s.unit or KIND_UNITS.get(s.kind or "", "")
                    out.append(f"| `{s.name}` | {s.kind or s.type} | {unit} | {req} | "
                               f"{_cell(s.description)}{_cell(choices)} |")
                out.append("")
            out += ["| result field | type | unit | description |", "|---|---|---|---|",
                    *_result_rows(registry, a), ""]
            if a.formats:
                out += ["Output formats (`--format NAME`): " + ", ".join(f"`{f}`" for f in a.formats) + ".", ""]
            if a.samples:
                out += ["Say it like:", ""] + [f"- {_cell(s)}" for s in a.samples[:5]] + [""]
    return "\n".join(out).rstrip() + "\n"
