"""MCP servers taken in as packs: `intent packs add-mcp NAME -- COMMAND [ARGS...]`.

A local stdio MCP server's tools become the actions of pack NAME (`NAME.tool`): typed from their JSON
schemas, resolvable from their names, descriptions and schemas (samples and templates are generated from
them; nobody writes any), and run through the gate like any action. What was taken in lives in
INTENT_HOME/mcp_packs.json: the command and the specs built from the server's tool list when it was added.

The registry calls `attach` as it loads; that reads the file with the stdlib and the spec dataclasses only
(`intent resolve` imports neither pydantic nor the MCP SDK). The live actions (pydantic models, the SDK
client) are built the first time one of the pack's actions runs.

Whatever the file says, an MCP pack is gated by the `mcp` feature, meters nothing and asks consent: the
file is the user's to edit, and editing it must not grant anything.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

STORE = "mcp_packs.json"
FEATURE = "mcp"
ENTRY_PREFIX = "mcp:"
CALL_TIMEOUT_S = 30.0
VERSION = 1


# ---- the store -------------------------------------------------------------------------------------------
def store_path(home: Path) -> Path:
    return Path(home) / STORE


def read_store(home: Path) -> dict[str, Any]:
    try:
        data = json.loads(store_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": VERSION, "packs": {}}
    if not isinstance(data, dict) or not isinstance(data.get("packs"), dict):
        return {"version": VERSION, "packs": {}}
    return data


def _write_store(home: Path, data: dict[str, Any]) -> None:
    path = store_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


# ---- the registry hook -----------------------------------------------------------------------------------
def attach(reg) -> None:
    """Add the MCP packs of reg.home to a loading registry (specs now, live actions lazily)."""
    path = store_path(reg.home)
    if not path.exists():
        return
    from intents.registry import BrokenPack
    from intents.specs import pack_from_dict

    raw = path.read_bytes()
    data = read_store(reg.home)
    for name, entry in sorted(data["packs"].items()):
        if name in reg.packs:  # a real pack of that name wins; the MCP one is reported, not merged
            reg.broken[name] = BrokenPack(id=name, entry_point=ENTRY_PREFIX + name,
                                          error="an installed pack already has this id")
            continue
        try:
            spec = pack_from_dict(entry["spec"])
            _harden(spec, name)
            command = _command(reg.home, name, entry)
        except (KeyError, TypeError, ValueError) as exc:
            reg.broken[name] = BrokenPack(id=name, entry_point=ENTRY_PREFIX + name,
                                          error=f"its entry in {STORE} is malformed: {exc}")
            continue
        reg.packs[name] = spec
        reg._live[name] = LazyMcpPack(name, spec, entry.get("tools", {}), command)
    # The resolver's index and the MCP tool list are keyed by the catalog: taking in a server changes it.
    reg.fingerprint = f"{reg.fingerprint}+mcp:{hashlib.sha256(raw).hexdigest()[:12]}"


def _harden(spec, name: str) -> None:
    """The gate's terms for an MCP pack come from here, never from the (user-writable) file."""
    m = spec.manifest
    if m.id != name:
        raise ValueError(f"the manifest says id {m.id!r}")
    m.feature = FEATURE
    spec.entry_point = ENTRY_PREFIX + name
    spec.distribution = None
    for a in spec.actions:
        if a.pack != name or not a.id.startswith(name + "."):
            raise ValueError(f"action {a.id!r} does not belong to pack {name!r}")
        a.metered, a.feature = False, None


def _command(home: Path, name: str, entry: dict[str, Any]):
    from intents.mcp_client import ServerCommand

    argv = entry["command"]
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        raise ValueError("command must be a non-empty list of strings")
    env = entry.get("env") or {}
    if not isinstance(env, dict):
        raise ValueError("env must be an object")
    return ServerCommand(command=argv[0], args=tuple(argv[1:]), env=tuple(sorted((str(k), str(v)) for k, v in env.items())),
                         cwd=entry.get("cwd"), log=str(Path(home) / "logs" / f"mcp-{name}.log"))


def is_mcp_pack(reg, pack_id: str) -> bool:
    spec = reg.packs.get(pack_id)
    broken = reg.broken.get(pack_id)
    return bool((spec and spec.entry_point.startswith(ENTRY_PREFIX)) or
                (broken and broken.entry_point.startswith(ENTRY_PREFIX)) or
                pack_id in read_store(reg.home)["packs"])


# ---- live actions ----------------------------------------------------------------------------------------
class LazyMcpPack:
    """Stands in the registry's live packs; builds the pack's actions on first use."""

    def __init__(self, name: str, spec, tools: dict[str, Any], command) -> None:
        self.id = name
        self.spec_ = spec
        self.tools = tools  # action id -> {"name": tool name, "input": schema, "output": schema | None}
        self.command = command
        self._actions: dict | None = None

    @property
    def manifest(self):
        """The hardened manifest (its feature is `mcp` whatever the stored file says): what the gate reads."""
        return self.spec_.manifest

    @property
    def actions(self) -> dict:
        if self._actions is None:
            self._actions = {a.id: _action(a, self.tools.get(a.id) or {}, self.command) for a in self.spec_.actions}
        return self._actions


def _action(spec, tool: dict[str, Any], command):
    from intents.sdk import Action

    params_model = params_model_for(spec.id, tool.get("input") or spec.params_schema)
    result_model = _result_model()
    tool_name = tool.get("name") or spec.id.split(".", 1)[1]
    timeout = float(tool.get("timeout_s") or CALL_TIMEOUT_S)

    def call(**kwargs):
        return run_tool(command, tool_name, spec, {k: v for k, v in kwargs.items() if v is not None}, timeout)

    return Action(spec=spec, func=call, params_model=params_model, result_model=result_model)


def run_tool(command, tool_name: str, spec, arguments: dict[str, Any], timeout_s: float):
    """Call the tool; a server that cannot be started, dies or hangs is a broken pack, a tool that
    reports an error is a failed action."""
    from intents.errors import ActionFailed, PackBroken
    from intents.mcp_client import CONNECTIONS, ServerError

    try:
        result = CONNECTIONS.call_tool(command, tool_name, _jsonable(arguments), timeout_s)
    except ServerError as err:
        raise PackBroken(f"pack '{spec.pack}' is broken: {err.message}", pack=spec.pack, server=err.kind) from None
    text = "\n".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text").strip()
    if result.get("isError"):
        raise ActionFailed(f"{spec.id}: the MCP server reported an error: {text[:1000] or 'no message'}")
    structured = result.get("structuredContent")
    fields = dict(structured) if isinstance(structured, dict) else ({"value": structured} if structured is not None else {})
    fields.pop("basis", None)
    others = [c.get("type") for c in result.get("content", []) if c.get("type") != "text"]
    model = _result_model()
    return model(text=text[:100_000], basis=f"MCP tool `{tool_name}` of `{command.describe()}`"
                 + (f" (also returned: {', '.join(sorted(set(others)))})" if others else ""), **fields)


_RESULT = None


def _result_model():
    """One result model for every MCP tool: the text it returned plus its structured fields (extra)."""
    global _RESULT
    if _RESULT is None:
        from intents.sdk import Result

        class McpToolResult(Result):
            text: str = ""

        _RESULT = McpToolResult
    return _RESULT


def _jsonable(value):
    from datetime import date

    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (int, float, str, bool)):
        return value.value
    return value


# ---- from a server's tool list to a pack spec ------------------------------------------------------------
_TYPES = {"number": float, "integer": int, "boolean": bool, "string": str}


def params_model_for(action_id: str, schema: dict[str, Any]):
    """A pydantic parameters model from a tool's JSON input schema (its own names, types, descriptions,
    defaults, bounds and enums)."""
    from typing import Any as _Any, Literal

    from pydantic import ConfigDict, Field, create_model

    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    fields: dict[str, Any] = {}
    for name, prop in props.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name.startswith("model_"):
            continue  # not a Python identifier: the tool still gets its schema's other parameters
        prop = _flatten(prop, schema)
        py: Any = _py_type(prop, Literal, _Any)
        constraints = {}
        for key, arg in (("minimum", "ge"), ("maximum", "le"), ("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt")):
            if isinstance(prop.get(key), (int, float)) and py in (int, float):
                constraints[arg] = prop[key]
        extra = {"kind": guess_kind(name, prop)}
        description = (prop.get("description") or prop.get("title") or name.replace("_", " ")).strip()
        if name in required:
            fields[name] = (py, Field(..., description=description, json_schema_extra=extra, **constraints))
        else:
            fields[name] = (py | None, Field(prop.get("default"), description=description, json_schema_extra=extra,
                                             **constraints))
    model_name = "".join(p.title() for p in re.split(r"[._]", action_id) if p) + "Params"
    return create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)


def _flatten(prop: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        ref = prop["$ref"].rsplit("/", 1)[-1]
        target = (schema.get("$defs") or schema.get("definitions") or {}).get(ref, {})
        return {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
    for key in ("anyOf", "oneOf"):
        if key in prop:
            options = [p for p in prop[key] if p.get("type") != "null"]
            if len(options) == 1:
                return {**_flatten(options[0], schema), **{k: v for k, v in prop.items() if k != key}}
    return prop


def _py_type(prop: dict[str, Any], Literal, Any_):
    enum = prop.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in enum):
        return Literal[tuple(enum)]
    t = prop.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    if t in _TYPES:
        return _TYPES[t]
    if t == "array":
        item = prop.get("items") or {}
        inner = _TYPES.get(item.get("type")) if isinstance(item, dict) else None
        return list[inner] if inner else list
    if t == "object":
        return dict
    return Any_


def guess_kind(name: str, prop: dict[str, Any]) -> str | None:
    """The resolver's value kind for a tool parameter, from its JSON type and its own name and words
    (a generic reading of any schema, nothing about particular servers)."""
    words = set(re.findall(r"[a-z]+", f"{name} {prop.get('title', '')} {prop.get('description', '')}".lower()))
    t = prop.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    if "enum" in prop:
        return "choice"
    if t in ("number", "integer"):
        if words & {"percent", "percentage", "pct"}:
            return "percent"
        if words & {"amount", "price", "cost", "salary", "budget", "principal", "payment", "balance"}:
            return "money"
        if words & {"days"}:
            return "days"
        return t
    if t == "string":
        if prop.get("format") in ("date", "date-time") or words & {"date"}:
            return "date"
        if words & {"currency"} and prop.get("maxLength") in (3, None) and "code" in words:
            return "currency"
        return "text"
    if t == "boolean":
        return "boolean"
    if t == "array":
        item = prop.get("items") or {}
        return "number_list" if isinstance(item, dict) and item.get("type") in ("number", "integer") else "list"
    return None


def action_id_for(name: str, tool_name: str, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", _split_camel(tool_name).lower()).strip("_") or "tool"
    if not slug[0].isalpha():
        slug = "t_" + slug
    candidate, n = f"{name}.{slug}", 1
    while candidate in taken:
        n += 1
        candidate = f"{name}.{slug}_{n}"
    return candidate


def _split_camel(text: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", _split_camel(text).lower()))


def _first_sentence(text: str, limit: int = 14) -> str:
    sentence = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].rstrip(".!?")
    words = sentence.split()
    return " ".join(words[:limit]).lower()


_LINKS = ("for", "of", "in", "on", "about", "with", "to", "from", "called", "named", "into")
# How requests open before naming the thing ("what's the weather in ...", "please find notes about ...").
_LEAD = "[please] [what is|what's|whats|show me|tell me|give me|find|get|i need|can you] [the|my|a|an]"
_ARTICLES = " [the|a|an|my|this|these] "


def _heads(phrase: str, title: str | None, params: list[str]) -> list[str]:
    """The ways a request names a tool: its name's words ("get weather"), the same without the leading
    verb ("weather"), without words that name a parameter ("translate text" with a `text` parameter:
    "translate"), and its title; articles may sit between the words."""
    words = phrase.split()
    named = {w for p in params for w in _words(p).split()}
    options = [words, words[1:] if len(words) > 1 else [], [w for w in words if w not in named],
               _words(title or "").split()]
    out: list[str] = []
    for option in options:
        if option and option != ["the"]:
            head = _ARTICLES.join(option)
            if head not in out:
                out.append(head)
    return out


def utterances(tool_name: str, title: str | None, description: str, slots) -> tuple[list[str], list[str]]:
    """Samples and templates for a tool, generated from what its server says about it: its name's words,
    its title, the first sentence of its description, and its parameters' names."""
    phrase = _words(tool_name)
    samples: list[str] = []
    for s in (phrase, _words(title or ""), _first_sentence(description)):
        if s and s not in samples:
            samples.append(s)
    required = [s for s in slots if s.required]
    if required:
        joined = " and ".join(_words(s.name) for s in required[:3])
        samples.append(f"{phrase} {joined}".strip())
    # the values a person says: an enum's choices, a number where the tool takes one
    numbers = [s for s in required if s.type in ("number", "integer")]
    for choice in [s for s in required if s.choices][:1]:
        for value in choice.choices[:4]:
            said = " ".join(f"{_example(n)}" for n in numbers[:2])
            samples.append(f"{phrase} {said} {_words(str(value))}".replace("  ", " ").strip())
    if numbers and not any(s.choices for s in required):
        samples.append(f"{phrase} " + " ".join(f"{_words(n.name)} {_example(n)}" for n in numbers[:3]))
    if len(samples) < 2:
        samples.append(f"use {phrase}" if phrase else "use this tool")
    templates: list[str] = []
    text_slots = [s for s in required if s.kind == "text"]
    if text_slots:
        links = "[" + "|".join(_LINKS) + "]"
        head = "(" + "|".join(_heads(phrase, title, [s.name for s in slots])) + ")"
        first = text_slots[0]
        templates.append(f"{_LEAD} {head} {links} [the] {{{first.name}}}")
        templates.append(f"{_LEAD} {head} [the] {_words(first.name)} {{{first.name}}}")
        if len(text_slots) > 1:
            second = text_slots[1]
            templates.append(f"{_LEAD} {head} {links} [the] {{{first.name}}} (to|into|in|and|with|for|from|as) "
                             f"[the] {{{second.name}}}")
    return samples[:10], templates


def _example(slot) -> str:
    """A plausible number for a sample: inside the slot's bounds, a round one."""
    low = slot.minimum if isinstance(slot.minimum, (int, float)) else 0
    high = slot.maximum if isinstance(slot.maximum, (int, float)) else None
    value = 100 if high is None or high >= 100 else max(low, high / 2)
    value = max(value, low + 1) if slot.minimum is not None else value
    return str(int(value)) if slot.type == "integer" or float(value).is_integer() else f"{value:g}"


def build_pack(name: str, argv: list[str], info: dict[str, Any], instructions: str | None, tools: list[dict],
               sensitive: list[str] | None = None, timeout_s: float = CALL_TIMEOUT_S):
    """(PackSpec, tools by action id) for a server's tool list. Pydantic runs here, once, at add time."""
    import shlex

    from intents.sdk import slot_specs
    from intents.specs import ActionSpec, PackManifest, PackSpec, Render, Risk

    server = info.get("title") or info.get("name") or argv[0]
    shown = shlex.join(argv)
    manifest = PackManifest(
        id=name, name=f"{server} (MCP)", version=_version(info.get("version")),
        description=(instructions or "").strip().splitlines()[0][:300] if (instructions or "").strip()
        else f"The tools of the MCP server `{shown}`.",
        publisher=f"MCP server `{shown}`", vertical="mcp", sensitive=list(sensitive or []),
        disclaimers=[f"Answered by the MCP server `{shown}`, a third-party tool the terminal has not checked."],
        feature=FEATURE,
    )
    actions, by_id, taken = [], {}, set()
    for tool in tools:
        tname = str(tool.get("name") or "")
        if not tname:
            continue
        action_id = action_id_for(name, tname, taken)
        taken.add(action_id)
        schema = tool.get("inputSchema") or {"type": "object", "properties": {}}
        model = params_model_for(action_id, schema)
        slots = slot_specs(model)
        title = tool.get("title") or (tool.get("annotations") or {}).get("title")
        description = (tool.get("description") or "").strip() or f"The {_words(tname)} tool of {server}."
        samples, templates = utterances(tname, title, description, slots)
        output = tool.get("outputSchema") or {}
        fields = [f for f in (output.get("properties") or {}) if f != "basis"] + ["text"]
        actions.append(ActionSpec(
            id=action_id, pack=name, title=(title or _words(tname).capitalize())[:80], description=description[:2000],
            slots=slots, params_schema=model.model_json_schema(), result_fields=fields, samples=samples,
            templates=templates, risk=_risk(tool.get("annotations") or {}),
            render=Render(kind="record"), timeout_s=timeout_s + 40,  # dispatch's limit: start-up plus the call's own
        ))
        by_id[action_id] = {"name": tname, "input": schema, "output": output or None, "timeout_s": timeout_s}
    return PackSpec(manifest=manifest, actions=actions, entry_point=ENTRY_PREFIX + name), by_id


def _risk(annotations: dict[str, Any]):
    """MCP's hints, read as the spec says: without readOnlyHint a tool may change things, and without
    destructiveHint=false a tool that may change things may destroy them."""
    from intents.specs import Risk

    if annotations.get("readOnlyHint") is True:
        return Risk.READ_ONLY
    if annotations.get("destructiveHint") is False:
        return Risk.WRITES_FILES
    return Risk.DESTRUCTIVE


def _version(raw: Any) -> str:
    text = str(raw or "").strip().lstrip("v")
    return text if re.fullmatch(r"\d+(\.\d+)*([abrc.-]\w*)?", text) else "0"


# ---- add / remove ----------------------------------------------------------------------------------------
def inspect_server(home: Path, name: str, argv: list[str], env: dict[str, str] | None = None,
                   timeout_s: float = 30.0):
    """Start the server, list its tools, stop it: (server info, instructions, tools)."""
    from intents.errors import ActionFailed
    from intents.mcp_client import CONNECTIONS, ServerCommand, ServerError

    cmd = ServerCommand(command=argv[0], args=tuple(argv[1:]), env=tuple(sorted((env or {}).items())),
                        log=str(Path(home) / "logs" / f"mcp-{name}.log"))
    try:
        return CONNECTIONS.list_tools(cmd, timeout_s)
    except ServerError as err:
        raise ActionFailed(f"could not take in `{cmd.describe()}`: {err.message}", server=err.kind) from None
    finally:
        try:
            CONNECTIONS.stop(cmd)
        except Exception:
            pass


def add(session, name: str, argv: list[str], confirm=None, env: dict[str, str] | None = None,
        sensitive: list[str] | None = None, timeout_s: float = CALL_TIMEOUT_S):
    """Take a local MCP server in as pack NAME: inspect it, validate the pack, show the tools and ask
    (always: it runs a program of the person's choosing), record the consent, save it."""
    from intents.errors import BadParameters, UsageError
    from intents.pack_check import KNOWN_DATA_CLASSES, check_spec
    from intents.pack_install import InstallResult, audit, declaration, known_features

    reg = session.registry
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name or ""):
        raise BadParameters(f"'{name}' is not a pack id: lower-case letters, digits and _ (starting with a letter)",
                            param="name")
    if name in reg.packs or name in reg.broken:
        raise BadParameters(f"a pack called '{name}' already exists; choose another name or remove it first",
                            param="name")
    if not argv:
        raise UsageError("give the server's command after --: intent packs add-mcp NAME -- COMMAND [ARGS...]")
    bad = sorted(set(sensitive or []) - KNOWN_DATA_CLASSES)
    if bad:
        raise BadParameters(f"unknown data classes {bad} (known: {sorted(KNOWN_DATA_CLASSES)})", param="sensitive")
    info, instructions, tools = inspect_server(session.home, name, argv, env)
    spec, by_id = build_pack(name, argv, info, instructions, tools, sensitive, timeout_s)
    report = check_spec(spec, known_features(), {a.id for a in reg.actions()})
    if not report.ok:
        audit(session.home, "pack.install_refused", {"pack": name, "source": "mcp", "problems": report.problems})
        raise BadParameters("the MCP server's tools do not make a valid pack:\n  - " + "\n  - ".join(report.problems),
                            param="name", problems=report.problems)
    decl = declaration(spec)
    accepted = bool(confirm and confirm(decl, spec))
    audit(session.home, "pack.consent", {"pack": name, "accepted": accepted, "source": "mcp", "command": argv,
                                         **decl.model_dump()})
    if not accepted:
        raise UsageError(f"taking in {name} needs your consent (it runs `{' '.join(argv)}` and offers "
                         f"{len(spec.actions)} tool(s)); run interactively or pass --yes", pack=name)
    from intents.specs import to_dict

    data = read_store(session.home)
    data["packs"][name] = {
        "command": list(argv), "env": dict(env or {}), "cwd": None,
        "added_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "server": info, "spec": to_dict(spec), "tools": by_id,
    }
    data["version"] = VERSION
    _write_store(session.home, data)
    session.reload()
    decision = session.gate.check(FEATURE)
    upgrade = getattr(decision, "upgrade", None)
    audit(session.home, "pack.install", {"pack": name, "source": "mcp", "command": argv, "version": spec.manifest.version,
                                         "entitled": decision.allowed})
    return InstallResult(pack=name, installed=True, source="mcp", entitled=decision.allowed,
                         unlock=upgrade.plan if upgrade else None, declaration=decl)


def remove(session, name: str):
    from intents.errors import BadParameters
    from intents.pack_install import InstallResult, audit

    data = read_store(session.home)
    if name not in data["packs"]:
        raise BadParameters(f"no MCP pack called '{name}' was added", param="pack")
    del data["packs"][name]
    _write_store(session.home, data)
    audit(session.home, "pack.remove", {"pack": name, "how": "removed", "source": "mcp"})
    session.reload()
    return InstallResult(pack=name, installed=False, source="removed")
