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
