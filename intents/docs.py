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


def _preparations(registry, pack_id: str) -> list[str]:
    """What a pack's `@pack.prepare` functions do (their `what`), from its live code; none if it won't load."""
    try:
        return [what for what, _ in getattr(registry.live_pack(pack_id), "preparations", ())]
    except Exception:
        return []


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
        prepared = _preparations(registry, pack_id)
        if prepared:
            out += [f"One-time preparation (`intent packs prepare`, or the terminal UI's first start): "
                    f"{', '.join(prepared)}.", ""]
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


def kinds_markdown(registry) -> str:
    """The SDK reference of value kinds: the core's and those the built-in packs register, with units,
    plausible ranges and examples (generated: scripts/gen_docs.py)."""
    from intents.kinds import CORE_KINDS

    def rng(k) -> str:
        if k.base not in ("number", "integer", "quantity"):
            return ""
        if k.minimum is None and k.maximum is None:
            return "whole range (the slot's ge/le)"
        return f"{k.minimum:g} .. {k.maximum:g}" if k.minimum is not None and k.maximum is not None else (
            f">= {k.minimum:g}" if k.minimum is not None else f"<= {k.maximum:g}")

    def units(k) -> str:
        named = [u for u, f in k.units.items() if not isinstance(f, str)]
        return ", ".join(f"`{u}`" for u in named) or (f"`{k.unit}`" if k.unit else "")

    out = ["# Value kinds (SDK reference)", "",
           "Generated from `intents.kinds` and the built-in packs by `python scripts/gen_docs.py`; do not edit.", "",
           "A slot names its kind: `Slot(\"...\", kind=\"quantity\", unit=\"m/s\")`. A pack registers its own with "
           "`pack.kind(name, base=..., units=..., pattern=..., values=..., minimum=..., maximum=..., cues=..., "
           "synonyms=..., spoken=...)` (fields: `intents.kinds.KindSpec`), and a slot can declare `cues=[...]`, "
           "`synonyms={...}` (for choices and booleans: word -> value), `qualifies=\"other_slot\"` and, for a list, "
           "`elements={\"outlay\": 0}` (its elements by position in the pack's own words: \"what if the outlay was "
           "14000\" replaces the first; -1 is the last) itself; a `date` "
           "slot can declare `yearless=\"next\"` (about something ahead: a date said without its year is the next "
           "such day) or `yearless=\"last\"` (something behind: the most recent one), else the request's words "
           "(\"until\", \"left\", \"since\", \"ago\" ...) decide. "
           "`intent packs check` rejects an unknown kind and names the closest.", "",
           "A bare number fills a slot only inside the kind's plausible range (after a cue word, a kind's `ranges` "
           "read it in another unit); a value said with a unit is converted. Integers keep their whole range. "
           "`quantity` takes any unit pint knows, converted to the slot's `unit`, and refuses another dimension "
           "(\"8 kg\" for a speed), saying why in `intent resolve --explain`.", "",
           "## Core kinds", "", "| kind | base | unit | plausible range of a bare number | examples | what it is |",
           "|---|---|---|---|---|---|"]
    for k in CORE_KINDS.values():
        out.append(f"| `{k.name}` | {k.base} | {units(k)} | {rng(k)} | {', '.join(_cell(e) for e in k.examples)} | "
                   f"{_cell(k.description)} |")
    out += ["", "## Kinds the built-in packs register", "",
            "| kind | pack | base | units | plausible range | cue words | examples | what it is |",
            "|---|---|---|---|---|---|---|---|"]
    for k in sorted(registry.kinds(), key=lambda k: (k.pack or "", k.name)):
        cues = ", ".join(k.cues[:8])
        extra = f" ({len(k.values)} named values)" if k.values else ""
        out.append(f"| `{k.name}` | {k.pack} | {k.base} | {units(k)} | {rng(k)} | "
                   f"{_cell(cues)} | {', '.join(_cell(e) for e in k.examples)} | {_cell(k.description)}{extra} |")
    return "\n".join(out) + "\n"
