"""The installed actions as MCP tool definitions: names, input and output schemas, text renderings.

Plain dicts and strings, no MCP SDK: terminal/mcp_server.py turns them into the SDK's types. A tool is
named by its action id with `.` -> `_` (`finance.loan_payment` -> `finance_loan_payment`); its input
schema is the action's parameters model (required = the required slots, the unit in each description),
its output schema the result model plus the `disclaimer` dispatch adds.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

RUN_TOOL = "intent_run"

# Installing or removing a pack runs pip or changes what the terminal is: an agent may not do that
# (a pasted document could ask it to); the person does it in the terminal, where the pack's
# declaration is shown before consent.
NOT_FOR_AGENTS = frozenset({"system.install_pack", "system.remove_pack"})

# Data classes whose packs are not served unless the person shares them (`intent mcp --share PACK`): an
# agent's tool results usually travel on to a cloud model. Financial figures an agent asks for are
# computed from what it sent; a patient's or a client's data is another matter.
STAY_LOCAL = frozenset({"PHI", "privileged", "PII", "confidential", "credentials"})

RUN_INPUT = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "description": "The user's request in their own words, e.g. "
                 "'monthly payment on a 300k loan at 6.5% over 30 years'; 'X, then Y' runs both in order."},
        "follow": {"type": "boolean", "default": False,
                   "description": "Read the words as a follow-up of the last run (e.g. 'what about 15 years?')"},
    },
    "required": ["text"],
    "additionalProperties": False,
}
RUN_OUTPUT = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "description": "The action the words resolved to"},
        "params": {"type": "object", "description": "The parameters it ran with"},
        "result": {"type": "object", "description": "The action's result (see its own tool's output schema)"},
        "steps": {"type": "array", "items": {"type": "object"},
                  "description": "A compound request: every step's {action, params, result}, in order"},
    },
    "required": ["action", "params", "result"],
}


def tool_name(action_id: str) -> str:
    return action_id.replace(".", "_")


def input_schema(spec) -> dict[str, Any]:
    """The parameters model's JSON schema with each slot's unit and question folded into its
    description (agents read descriptions, not our `kind`/`unit` keywords)."""
    schema = copy.deepcopy(spec.params_schema) or {"type": "object", "properties": {}}
    schema.setdefault("type", "object")
    props = schema.setdefault("properties", {})
    for slot in spec.slots:
        prop = props.get(slot.name)
        if prop is None:
            continue
        for private in ("kind", "unit", "question"):
            prop.pop(private, None)
        text = slot.description or prop.get("description") or slot.name.replace("_", " ")
        if slot.unit and slot.unit.lower() not in text.lower():
            text += f" (unit: {slot.unit})"
        prop["description"] = text
    schema["required"] = [s.name for s in spec.slots if s.required]
    return schema


def output_schema(result_model) -> dict[str, Any]:
    """The result model's JSON schema, with the disclaimer dispatch adds for packs that have one."""
    schema = copy.deepcopy(result_model.model_json_schema())
    schema.setdefault("type", "object")
    props = schema.setdefault("properties", {})
    props.setdefault("disclaimer", {"type": "string", "description": "The field's disclaimer for this result"})
    return schema


def description(spec, pack_manifest) -> str:
    """What an agent reads to choose the tool: the action's description, its data classes, its risk."""
    parts = [spec.description.strip() or spec.title]
    if pack_manifest.sensitive:
        parts.append(f"Handles {', '.join(pack_manifest.sensitive)} data.")
    if spec.risk.value != "read-only":
        parts.append(f"Risk: {spec.risk.value}; the user is asked to confirm before it runs.")
    if spec.metered:
        parts.append("Metered: each run counts against the plan's quota.")
    return " ".join(parts)


def annotations(spec) -> dict[str, Any]:
    """MCP tool annotations from the action's risk (the SDK's ActionSpec.risk is MCP-style)."""
    read_only = spec.risk.value == "read-only"
    return {"title": spec.title, "readOnlyHint": read_only, "destructiveHint": spec.risk.value == "destructive",
            "openWorldHint": False}


def render_text(spec, result: dict[str, Any]) -> str:
    """A short plain rendering for the agent and the person: headline first, then the other figures,
    the basis and the disclaimer (tables are summarised; the full rows are in structuredContent)."""
    from terminal.render import fmt

    data = dict(result)
    basis = data.pop("basis", None)
    disclaimer = data.pop("disclaimer", None)
    hints = spec.render
    lines = [spec.title]
    if hints.headline and hints.headline in data:
        value = data.pop(hints.headline)
        unit = hints.units.get(hints.headline, "")
        lines.append(f"{hints.headline.replace('_', ' ')}: {fmt(value, hints.headline_format)}{(' ' + unit) if unit else ''}")
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key.replace('_', ' ')}: {len(value)} rows (in the structured result)")
            continue
        unit = hints.units.get(key, "")
        text = fmt(value, key=key)
        if len(text) > 400:
            text = text[:400] + " …"
        lines.append(f"{key.replace('_', ' ')}: {text}{(' ' + unit) if unit else ''}")
    if basis:
        lines.append(f"basis: {basis}")
    if disclaimer:
        lines.append(f"disclaimer: {disclaimer}")
    return "\n".join(lines)


def error_text(err_json: dict[str, Any]) -> str:
    """A refusal or failure in words an agent can relay: the message, the plan that unlocks it, the
    missing slots and their questions."""
    e = err_json.get("error", err_json)
    lines = [e.get("message", "failed")]
    upgrade = e.get("upgrade") or {}
    if upgrade.get("plan"):
        lines.append(f"unlocked by the {upgrade['plan']} plan: {upgrade.get('how', '')}".rstrip(": "))
    if e.get("missing"):
        lines.append("missing: " + ", ".join(e["missing"]))
        for name, question in (e.get("questions") or {}).items():
            lines.append(f"  {name}: {question}")
    return "\n".join(lines)


# ---- the output-schema cache ---------------------------------------------------------------------------
# Output schemas come from result models, i.e. from importing the packs; they are kept per catalog so a
# server start-up lists its tools without importing every pack again.
def _cache_file(home: Path) -> Path:
    return home / "cache" / "mcp_output_schemas.json"


def load_output_schemas(home: Path, key: str) -> dict[str, Any]:
    try:
        data = json.loads(_cache_file(home).read_text())
    except (OSError, ValueError):
        return {}
    return data.get("schemas", {}) if isinstance(data, dict) and data.get("key") == key else {}


def save_output_schemas(home: Path, key: str, schemas: dict[str, Any]) -> None:
    import os

    path = _cache_file(home)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "schemas": schemas}, separators=(",", ":")))
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written costs time, never correctness
