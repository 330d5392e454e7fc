"""Installed actions as function tools, and the few candidates worth offering for one request.

Each tool's parameters are the action's pydantic parameters model as JSON schema (`ActionSpec.params_schema`
is `model_json_schema()` of the live model, cached so no pack is imported to build a prompt), sent without
strict mode: local servers vary in what strict schemas they accept, and strict makes every property
required, which would force the model to invent the slots the person did not say. For servers that do
strict function calling well (OpenAI's own; `strict` in config), `strict_tool` uses openai's pydantic
helper on the live model with every slot nullable. Either way the answer is validated with the model.
"""
from __future__ import annotations

import copy
import re
from typing import Any

NONE_OF_THESE = "none_of_these"
_SCHEMA_NOISE = ("title", "kind", "unit", "question")
_WORD = re.compile(r"[a-z]+")
_STOP = {"a", "an", "the", "on", "of", "for", "at", "in", "to", "over", "with", "and", "is", "what", "me", "my",
         "i", "it", "how", "much", "do", "please", "can", "you", "this", "that", "be", "by", "from", "per"}


def function_name(action_id: str) -> str:
    """OpenAI function names allow [A-Za-z0-9_-] only: finance.loan_payment -> finance__loan_payment."""
    return action_id.replace(".", "__")


def parameters(spec) -> dict[str, Any]:
    """The JSON schema of the action's parameters, with slot hints folded into descriptions."""
    schema = copy.deepcopy(spec.params_schema) or {"type": "object", "properties": {}}
    props = schema.get("properties", {})
    for name, prop in props.items():
        slot = spec.slot(name)
        hints = []
        if slot is not None and slot.unit:
            hints.append(f"in {slot.unit}")
        if slot is not None and slot.kind and slot.kind not in ("number", "integer", "text", "choice"):
            hints.append(f"kind: {slot.kind}")
        desc = prop.get("description") or (slot.description if slot else "") or name
        if hints:
            desc = f"{desc.rstrip('.')} ({'; '.join(hints)})"
        prop["description"] = desc + ". Leave it out unless the request states it."
    _strip(schema)
    schema["required"] = [n for n in schema.get("required", []) if n in props]
    schema.setdefault("type", "object")
    return schema


def _strip(node: Any) -> None:
    """Drop pydantic titles and the SDK's slot hints (kind, unit, question): not JSON-schema keywords, and
    strict servers reject unknown ones. Property names are never touched, even one called `title`."""
    if isinstance(node, dict):
        for key in _SCHEMA_NOISE:
            if isinstance(node.get(key), str):
                node.pop(key)
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for prop in value.values():
                    _strip(prop)
            else:
                _strip(value)
    elif isinstance(node, list):
        for item in node:
            _strip(item)


def describe(spec) -> str:
    first = (spec.description or "").strip().splitlines()[0] if spec.description else ""
    text = spec.title.rstrip(".") + "."
    if first and first.rstrip(".") != spec.title.rstrip("."):
        text += " " + first
    if spec.samples:
        text += " For example: " + "; ".join(f'"{s}"' for s in spec.samples[:3]) + "."
    return text


def tool(spec) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": function_name(spec.id), "description": describe(spec), "parameters": parameters(spec)},
    }


def none_tool(strict: bool = False) -> dict[str, Any]:
    params: dict[str, Any] = {"type": "object", "properties": {"reason": {"type": "string"}}, "required": []}
    function: dict[str, Any] = {"name": NONE_OF_THESE,
                                "description": "Call this when none of the other tools fits the request.",
                                "parameters": params}
    if strict:
        params.update(required=["reason"], additionalProperties=False)
        function["strict"] = True
    return {"type": "function", "function": function}


def tools_for(candidates: list, strict: bool = False, registry=None) -> list[dict[str, Any]]:
    if strict and registry is not None:
        return [strict_tool(s, registry.action(s.id).params_model) for s in candidates] + [none_tool(strict=True)]
    return [tool(s) for s in candidates] + [none_tool()]


def strict_tool(spec, params_model) -> dict[str, Any]:
    """For servers with strict function calling (OpenAI's own): openai's pydantic helper over the live
    parameters model, every slot made nullable. Strict mode requires every property, so null is how the
    model says "not stated"; without it, strict decoding would force it to invent the missing slots."""
    import openai

    return openai.pydantic_function_tool(nullable(params_model), name=function_name(spec.id),
                                         description=describe(spec))


def nullable(model):
    from typing import Annotated, Optional

    from pydantic import ConfigDict, Field, create_model

    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        note = (info.description or name).rstrip(".") + ". null unless the request states it."
        fields[name] = (Optional[annotation], Field(None, description=note))
    return create_model(f"{model.__name__}Stated", __config__=ConfigDict(extra="forbid"), **fields)


def response_format(candidates: list) -> dict[str, Any]:
    """Schema-constrained JSON for servers without tool calling: {"action": id | none_of_these, "arguments"}."""
    variants = [
        {"type": "object", "properties": {"action": {"const": s.id}, "arguments": parameters(s)},
         "required": ["action", "arguments"]}
        for s in candidates
    ]
    variants.append({"type": "object", "properties": {"action": {"const": NONE_OF_THESE},
                                                      "arguments": {"type": "object"}},
                     "required": ["action"]})
    return {
        "type": "json_schema",
        "json_schema": {"name": "intent", "schema": {"anyOf": variants}},
    }


# ---- which actions to offer ----------------------------------------------------------------------
def _words(text: str) -> set[str]:
    # a crude stem (first 5 letters) so "borrowing" meets "borrow" and "payments" meets "payment"
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def lexical_rank(text: str, specs: list) -> list[tuple[float, Any]]:
    """A cheap second opinion used only to fill the candidate list when the local tier offers too few."""
    words = _words(text)
    scored = []
    for spec in specs:
        bag = _words(" ".join([spec.title, spec.id.replace(".", " ").replace("_", " "), spec.description or "",
                               *spec.samples]))
        score = len(words & bag) / (len(words) or 1)
        scored.append((score, spec))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return scored


def candidates(match, registry, usable, k: int, ranker=None) -> list:
    """Up to k installed actions for which `usable(spec)` holds: the local tier's pick and alternatives first,
    then the ones `ranker(text)` ranks highest (the local resolver's `shortlist`: the same general signals
    it resolves with, below its own acceptance line), then the lexically closest others."""
    chosen: list = []
    seen: set[str] = set()

    def add(spec) -> None:
        if spec is not None and spec.id not in seen and len(chosen) < k and usable(spec):
            chosen.append(spec)
        if spec is not None:
            seen.add(spec.id)

    ids = ([match.action] if match.action else []) + [a.action for a in match.alternatives]
    for action_id in ids:
        try:
            add(registry.spec(action_id))
        except Exception:  # an alternative that is no longer installed is simply not offered
            continue
    if ranker is not None:
        try:
            ranked_ids = ranker(match.text)
        except Exception:  # a resolver without the signals simply contributes nothing here
            ranked_ids = []
        for action_id in ranked_ids:
            if len(chosen) >= k:
                break
            try:
                add(registry.spec(action_id))
            except Exception:
                continue
    ranked = lexical_rank(match.text, registry.actions())
    for score, spec in ranked:
        if len(chosen) >= k or score <= 0:
            break
        add(spec)
    if not chosen:  # no signal at all: one action per pack in turn, so the model still sees the range
        by_pack: dict[str, list] = {}
        for _, spec in ranked:
            by_pack.setdefault(spec.pack, []).append(spec)
        while len(chosen) < k and any(by_pack.values()):
            for specs in by_pack.values():
                if specs:
                    add(specs.pop(0))
    return chosen
