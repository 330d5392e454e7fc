"""The user-facing action reference, generated from the registry so it cannot drift from the code.

`python scripts/gen_docs.py` writes docs/actions.md; a test regenerates it and fails when it differs.
"""
from __future__ import annotations


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def reference_markdown(registry) -> str:
    out = [
        "# Action reference",
        "",
        "Generated from the pack registry by `python scripts/gen_docs.py`; do not edit by hand.",
        "Slot names, units and result fields are the contract that `intent do`, `intent run --json` and",
        "the resolver share. Parameters marked *optional* show their default.",
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
                    out.append(f"| `{s.name}` | {s.kind or s.type} | {s.unit or ''} | {req} | "
                               f"{_cell(s.description)}{_cell(choices)} |")
                out.append("")
            out += [f"Result fields: {', '.join(f'`{f}`' for f in a.result_fields)}.", ""]
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
           "`synonyms={...}` (for choices and booleans: word -> value) and `qualifies=\"other_slot\"` itself. "
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
