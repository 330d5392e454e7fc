"""Value kinds: what a slot's value is, how the resolver finds it in words, and what range is plausible.

The core keeps general kinds only (numbers, money, percent, durations, dates, quantities with a unit,
choices, booleans, lists, text, documents, names). A pack registers its own kinds through the SDK
(`pack.kind(...)`), with the same fields the core kinds use, and a slot can declare cue words and
synonyms itself (`Slot(..., cues=[...], synonyms={...})`). Everything here is plain data, so the
resolver reads it from the registry cache without importing any pack's code.

    pack.kind("creatinine", base="quantity", unit="mg/dL",
              units={"mg/dL": 1, "umol/L": 1 / 88.42}, minimum=0.1, maximum=20,
              cues=["creatinine", "scr"], spoken=["milligrams per decilitre"])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


def new_list() -> list:
    """A new empty list: the default of the spec dataclasses' list fields. Not the builtin `list` itself:
    pydantic reads a default factory's signature when it builds a validator for one of these classes (a
    pack's declaration is validated so, on every run), and the builtin's means tokenising its text
    signature: ~0.4 ms a field, and ~3 ms to compile the tokenizer's pattern on first use (issue 20)."""
    return []


@dataclass
class KindSpec:
    """A value kind. `base` is the general kind it refines (quantity, number, integer, text, choice,
    code); `unit` the unit values are given to the action in; `units` written units and their factor
    into `unit` (for units pint does not know, such as mg/dL of creatinine); `ranges` the unit a bare
    number is read in by its size ({"umol/L": [20, 2000]}: creatinine 88 is µmol/L); `pattern` a
    regular expression that recognises a value written without a number (a code), its group `value`
    (or the whole match) the value; `extract` regular expressions whose group `value` fills a slot of
    this kind once the action is chosen ("look up {value}"); `strip` patterns removed from what they
    found; `values` words and the value each stands for (a state's name -> its code); `minimum` and
    `maximum` the plausible range of a bare number; `cues` words that, near a value, say it is this
    kind's (for a party kind: words that end a name, "between A and B governed by ..."); `pairs`, for a
    party kind, patterns naming two parties at once with groups `a` and `b`, which may use the building
    blocks %NAME%, %NAME_REST%, %CAPITALISED%, %NOT_A_NAME% and %END% (where a name ends); `synonyms` other words for values; `spoken` how the units are said aloud (voice grammar)."""

    name: str
    base: str = "number"
    unit: str | None = None
    units: dict[str, float | str] = field(default_factory=dict)  # a str value: another spelling of that unit
    ranges: dict[str, list[float]] = field(default_factory=dict)
    pattern: str | None = None
    extract: list[str] = field(default_factory=new_list)
    pairs: list[str] = field(default_factory=new_list)  # party kinds: patterns naming two parties (groups a, b)
    strip: list[str] = field(default_factory=new_list)
    values: dict[str, str] = field(default_factory=dict)
    normalise: Literal["upper", "lower", "title"] | None = None  # how a recognised value is written
    minimum: float | None = None
    maximum: float | None = None
    cues: list[str] = field(default_factory=new_list)
    synonyms: dict[str, str] = field(default_factory=dict)
    spoken: list[str] = field(default_factory=new_list)
    description: str = ""
    examples: list[str] = field(default_factory=new_list)
    pack: str | None = None


def _core(name: str, description: str, examples: list[str], **kw: Any) -> KindSpec:
    return KindSpec(name=name, description=description, examples=examples, **kw)


# The general kinds. Aliases (years, days, weight, height, age, source, number_list) are the same kinds
# with a fixed unit, kept because packs and the catalog name them.
CORE_KINDS: dict[str, KindSpec] = {k.name: k for k in [
    _core("number", "Any number, as digits or words (\"3.5\", \"forty two\", \"1,200\")", ["3.5", "forty two", "-12"]),
    _core("integer", "A whole number, over its whole range (bounded only by the slot's ge/le)", ["12000", "9k", "seven"],
          base="integer"),
    _core("money", "An amount of money, with its currency when said (ISO 4217)", ["$300k", "1.2 million euros", "£450"],
          unit="currency units", minimum=1, maximum=1e12),
    _core("percent", "A percentage, in percent (\"6.5%\" is 6.5)", ["6.5%", "7 percent", "3,8 pct"], unit="%",
          minimum=0, maximum=40),
    _core("duration", "A length of time, in years", ["30 years", "18 months", "a decade"], unit="years",
          minimum=0.25, maximum=60),
    _core("years", "A length of time in years (duration)", ["30 years", "18 months"], unit="years", minimum=0.25,
          maximum=60),
    _core("days", "A number of days (duration), with a qualifier said before 'days' kept", ["10 days", "3 weeks"],
          unit="days", minimum=1, maximum=100000),
    _core("date", "A calendar date, ISO 8601", ["March 3 2026", "2026-11-20", "tomorrow"], unit="ISO date",
          base="date"),
    _core("date_list", "Several dates, in the order said (with the amount said before each, for a list of "
                       "numbers beside it)", ["2024-01-15, 2024-06-30"], base="list"),
    _core("quantity", "A physical quantity in the slot's `unit`: any unit pint knows is converted to it; a "
                      "dimension mismatch is refused", ["8 m/s", "30 km/h", "4 metres", "2.5 kWh"], base="quantity"),
    _core("weight", "A body weight (quantity, kg)", ["70 kg", "154 lb", "11 stone 4"], base="quantity", unit="kg",
          minimum=2, maximum=350, units={"kg": 1, "lb": 0.45359237, "st": 6.35029318, "g": 0.001}),
    _core("height", "A body height (quantity, cm)", ["170 cm", "5'7\"", "1.75 m"], base="quantity", unit="cm",
          minimum=40, maximum=250, units={"cm": 1, "m": 100}, ranges={"m": [1.2, 2.5]}),
    _core("age", "A person's age in years", ["60 year old", "aged 45", "45f"], unit="years", minimum=1, maximum=120),
    _core("sex", "A person's sex: female or male", ["woman", "male", "45f"], base="choice"),
    _core("choice", "One of the slot's Literal/enum values, or a synonym the slot declares", ["single", "head of household"],
          base="choice"),
    _core("boolean", "Yes or no: the slot's name or cue words said (or negated)", ["mutual", "one-way"],
          base="boolean"),
    _core("list", "A list of words from the slot's choices", ["emails and phones"], base="list"),
    _core("number_list", "A list of numbers (cash flows): three or more, or two with a comma",
          ["-1000, 300, 400, 500"], base="list"),
    _core("currency", "A currency, as an ISO 4217 code", ["euros", "USD", "yen"], base="text"),
    _core("text", "Free text, from a template capture", ["about deadlines"], base="text"),
    _core("document", "A document: a file path, quoted text or text pasted after a colon", ["brief.pdf"],
          base="document"),
    _core("source", "A document (alias of document)", ["brief.pdf", "\"text ...\""], base="document"),
    _core("party", "A name of a person or organisation; two of them from 'between A and B'",
          ["Acme Corp", "between Acme and Beta"], base="party"),
    _core("name", "A name (alias of party)", ["Robert Kim"], base="party"),
    _core("unit", "The unit a value is written in, from the kind's `units`", ["mg/dL"], base="unit"),
    _core("pack", "An installed pack's id or name (system pack)", ["finance"], base="text"),
]}


def closest(name: str, known: list[str] | set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    return found[0] if found else None


def known_kinds(pack_kinds: list[KindSpec] | None = None) -> dict[str, KindSpec]:
    out = dict(CORE_KINDS)
    for k in pack_kinds or ():
        out[k.name] = k
    return out


def kind_from_dict(data: dict[str, Any]) -> KindSpec:
    names = set(KindSpec.__dataclass_fields__)
    unknown = set(data) - names
    if unknown:
        raise TypeError(f"KindSpec has no field(s) {sorted(unknown)}")
    return KindSpec(**data)


def canonical_unit(kind: KindSpec, written: str) -> tuple[str, float] | None:
    """The declared unit a spelling stands for and its factor into the kind's unit."""
    seen = 0
    while isinstance(kind.units.get(written), str) and seen < 5:
        written, seen = kind.units[written], seen + 1
    factor = kind.units.get(written)
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        return written, float(factor)
    return None
