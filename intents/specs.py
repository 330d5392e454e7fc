"""What the registry knows of packs and actions without importing them: plain dataclasses.

These are the cached, JSON-able descriptions the resolver and front ends read. They are stdlib dataclasses,
not pydantic models, because `intent resolve` must start in under 300 ms and pydantic's first model costs
~200 ms of that. pydantic still validates them wherever they enter from outside: a pack's declaration
(intents.sdk) and a pack inspected before install (`validate_pack`). The cache, written by us, is read
with `pack_from_dict`; anything malformed there makes the registry rebuild it. The user can edit it, so
nothing read from it is trusted for a decision: the gate takes feature keys and metering from the
pack's code (intents.registry, docs/security.md).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Any, List, Literal

from intents.kinds import KindSpec, kind_from_dict, new_list


class Risk(str, Enum):
    """MCP-style annotation: what running the action may do to the user's world."""

    READ_ONLY = "read-only"
    WRITES_FILES = "writes-files"
    DESTRUCTIVE = "destructive"


@dataclass
class Chart:
    """A picture of a result, declared by its action (Render.charts); front ends draw it their way (the
    TUI as a plot beside the numbers). Kinds:

    - "line": columns `y` of the table field `table` against its column `x` (a balance over time);
    - "stacked": the same as stacked bars (principal and interest in each payment);
    - "bands": the scalar result field `value` placed among labelled ranges `bands` ([{label, from, to}],
      an eGFR among the CKD stages)."""

    kind: Literal["line", "stacked", "bands"] = "line"
    title: str = ""
    table: str | None = None
    x: str | None = None
    y: list[str] = field(default_factory=new_list)
    value: str | None = None
    bands: list[dict[str, Any]] = field(default_factory=new_list)
    unit: str = ""


@dataclass
class Render:
    """Hints for front ends: which field is the headline, which is a table, which is a document."""

    kind: Literal["headline", "table", "document", "list", "record"] = "record"
    headline: str | None = None  # field name shown large
    headline_format: Literal["money", "percent", "number", "text", "date"] = "number"
    table: str | None = None  # field name holding a list of row dicts
    list: str | None = None  # field name holding a list of items
    document: str | None = None  # field name holding a file path or Markdown text
    units: dict[str, str] = field(default_factory=dict)  # field -> unit label
    # field -> the words people call it by, when its name is an abbreviation ("ibw_kg": "ideal body weight"):
    # a follow-up that names it ("dose 5 mg/kg on the ideal weight") takes that field of the last result
    labels: dict[str, str] = field(default_factory=dict)
    # typing.List and a lambda: this class has a field named `list`, which a bare `list` here would mean
    charts: List[Chart] = field(default_factory=lambda: [])  # pictures of the result (see Chart)


@dataclass
class SlotSpec:
    """A parameter of an action, as the resolver and front ends see it."""

    name: str
    type: str = "string"  # JSON-schema type: number, integer, string, boolean, array
    kind: str | None = None
    unit: str | None = None
    description: str = ""
    question: str | None = None
    required: bool = True
    default: Any = None
    choices: list[Any] | None = None
    minimum: float | None = None
    maximum: float | None = None
    cues: list[str] = field(default_factory=new_list)  # words that, near a value, say it is this slot's
    synonyms: dict[str, str] = field(default_factory=dict)  # other words for its choices: word -> choice
    qualifies: str | None = None  # a choice read only from the words just before another slot's value
    elements: dict[str, int] = field(default_factory=dict)  # a list's elements by the pack's words: word -> index
    yearless: str | None = None  # a date slot: a date said without its year is the "next" or "last" one

    def choice_words(self) -> list[str]:
        """The words it declares for its values: its choices that are words, then their synonyms."""
        return [str(c) for c in (self.choices or ()) if isinstance(c, str)] + list(self.synonyms or {})

    def ask(self) -> str:
        return self.question or (self.description.rstrip(".") + "?" if self.description else f"{self.name}?")


@dataclass
class ActionSpec:
    id: str
    pack: str
    title: str
    description: str = ""
    slots: list[SlotSpec] = field(default_factory=new_list)
    params_schema: dict[str, Any] = field(default_factory=dict)
    result_fields: list[str] = field(default_factory=new_list)
    samples: list[str] = field(default_factory=new_list)
    templates: list[str] = field(default_factory=new_list)
    risk: Risk = Risk.READ_ONLY
    metered: bool = False
    feature: str | None = None  # extra feature key gating this action (metered ones default to the id)
    render: Render = field(default_factory=Render)
    timeout_s: float = 30.0
    formats: list[str] = field(default_factory=new_list)  # output formats its pack supplies (`--format NAME`)

    @property
    def required(self) -> list[str]:
        return [s.name for s in self.slots if s.required]

    def slot(self, name: str) -> SlotSpec | None:
        return next((s for s in self.slots if s.name == name), None)


@dataclass
class PackManifest:
    id: str
    name: str
    version: str
    description: str = ""
    publisher: str = "unknown"
    vertical: str = "general"
    sensitive: list[str] = field(default_factory=new_list)  # data classes: PHI, PII, privileged, financial
    disclaimers: list[str] = field(default_factory=new_list)
    feature: str | None = None  # entitlement feature key; default "pack.<id>"
    pack_api: str = ">=1,<2"
    homepage: str | None = None

    @property
    def feature_key(self) -> str:
        return self.feature or f"pack.{self.id}"


@dataclass
class PackSpec:
    """A pack's manifest plus its actions' specs: the unit of the registry cache."""

    manifest: PackManifest
    actions: list[ActionSpec] = field(default_factory=new_list)
    entry_point: str = ""
    distribution: str | None = None
    # Near-domain requests the pack does not serve ("pay my mortgage bill" for a pack that calculates
    # payments): the resolver learns them as examples of refusal, in the pack's own words.
    negatives: list[str] = field(default_factory=new_list)
    kinds: list[KindSpec] = field(default_factory=new_list)  # value kinds the pack registers (intents.kinds)
    # words the pack's users say: word -> the words it stands for (added beside it) or, in `synonyms`,
    # the word it is replaced by ("mortgage" -> "loan"); the resolver's index learns them
    vocabulary: dict[str, str] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)


def to_dict(spec: Any) -> dict[str, Any]:
    """JSON-ready dict of any spec dataclass (enums become their values)."""
    return asdict(spec, dict_factory=lambda items: {k: (v.value if isinstance(v, Enum) else v) for k, v in items})


_FIELD_NAMES: dict[type, frozenset[str]] = {}  # a spec class -> its field names (read once per class, not per record)


def _only_known(cls, data: dict[str, Any]) -> dict[str, Any]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} needs a mapping, not {type(data).__name__}")
    unknown = data.keys() - names
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    return data


def action_from_dict(data: dict[str, Any]) -> ActionSpec:
    d = dict(_only_known(ActionSpec, data))
    d["slots"] = [SlotSpec(**_only_known(SlotSpec, s)) for s in d.get("slots", [])]
    render = dict(_only_known(Render, d.get("render") or {}))
    render["charts"] = [c if isinstance(c, Chart) else Chart(**_only_known(Chart, c)) for c in render.get("charts") or []]
    d["render"] = Render(**render)
    d["risk"] = Risk(d.get("risk", Risk.READ_ONLY))
    return ActionSpec(**d)


def pack_from_dict(data: dict[str, Any]) -> PackSpec:
    """Rebuild a PackSpec from our own cache; raises (TypeError, KeyError, ValueError) when malformed."""
    return PackSpec(
        manifest=PackManifest(**_only_known(PackManifest, data["manifest"])),
        actions=[action_from_dict(a) for a in data.get("actions", [])],
        entry_point=data.get("entry_point", ""),
        distribution=data.get("distribution"),
        negatives=[str(n) for n in data.get("negatives", [])],
        kinds=[kind_from_dict(k) for k in data.get("kinds", [])],
        vocabulary=dict(data.get("vocabulary") or {}),
        synonyms=dict(data.get("synonyms") or {}),
    )


def validate_pack(data: dict[str, Any]) -> PackSpec:
    """Validate a pack spec that came from outside (pydantic checks every field's type)."""
    from pydantic import TypeAdapter

    return TypeAdapter(PackSpec).validate_python(data)
