"""Answers to one question ("years?" -> "thirty"), read by the same kind parsers as a whole request.

A front end that asks for a missing slot hands the answer here: it is tagged and filled exactly as the
words of a request would be, with the action narrowed to that one slot, so "thirty", "6 and a half
percent", "5 ft 9" and "1.1 mg/dl" mean what they mean on the main line. A wrong answer gets one sentence
saying what is expected (never pydantic's wording twice over).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# Kinds whose answer is the words themselves when no recogniser claims them (a name, a topic, a path).
_FREE_TEXT = {"text", "party", "query", "source", "jurisdiction", "pack", "document", "name"}

# What a number of each general kind is, for the sentence about a wrong answer (pack kinds fall back to
# their unit: "a number in mg/dL").
_NUMBER_OF = {"years": "a number of years", "days": "a number of days", "age": "an age in years",
              "money": "an amount", "percent": "a percentage"}
_EXAMPLE = {"years": "30 or “thirty”", "days": "30 or “thirty”", "age": "60 or “sixty”",
            "money": "300k or 250,000", "percent": "6.5% or “six and a half percent”"}


@dataclass
class Answer:
    value: Any = None
    error: str = ""  # one sentence for the person when the answer could not be used

    @property
    def ok(self) -> bool:
        return not self.error


def read(spec, name: str, raw: str, packs: dict[str, str] | None = None) -> Answer:
    """The value `raw` gives slot `name` of `spec`, or the sentence saying what is expected."""
    from intents.resolver import entities, slots as slot_roles

    slot = spec.slot(name)
    text = (raw or "").strip()
    if slot is None:
        return Answer(error=f"{spec.id} has no parameter {name}.")
    if not text:
        return Answer(error=f"{_label(name).capitalize()} is needed: type {expected(slot)}, or press Esc.")
    one = dataclasses.replace(spec, slots=[dataclasses.replace(slot, required=True)])
    values, reasons = slot_roles.fill(one, entities.tag(text[: entities.MAX_CHARS]), {}, packs)
    if name in values:
        return Answer(values[name])
    said = _said(slot, text)
    if said is not None:
        return Answer(said)
    if reasons.get(name, "").startswith("rejected") or not _free(slot, text):
        return Answer(error=wrong(slot, text))
    return Answer(_plain(slot, text))


def expected(slot) -> str:
    """What a slot takes, in words: "a number of years above 0, like 30 or “thirty”"."""
    if slot.choices:
        return "one of " + ", ".join(map(str, slot.choices))
    kind, typ = slot.kind or "", slot.type
    if typ == "boolean":
        return "yes or no"
    if kind == "date":
        return "a date, like 2026-03-01 or “next Friday”"
    if kind == "sex":
        return "female or male"
    if typ == "array":
        if kind == "number_list":
            return "numbers separated by commas, like -1000, 300, 400"
        return "one or more values separated by commas"
    if typ in ("number", "integer"):
        what = _NUMBER_OF.get(kind) or ("a whole number" if typ == "integer" else "a number")
        if slot.unit and kind not in _NUMBER_OF:
            what += f" in {slot.unit}"
        what += _bounds(slot)
        example = _EXAMPLE.get(kind)
        return what + (f", like {example}" if example else "")
    return "some text"


def wrong(slot, given: Any) -> str:
    """The one sentence for a value that does not fit `slot`."""
    shown = str(given).strip()
    if len(shown) > 40:
        shown = shown[:39] + "…"
    return f"{_label(slot.name).capitalize()} should be {expected(slot)} (not “{shown}”)."


def _bounds(slot) -> str:
    low, high = slot.minimum, slot.maximum
    if low is not None and high is not None:
        return f" from {_num(low)} to {_num(high)}"
    if low is not None:
        return f" above {_num(low)}" if low == 0 else f" of at least {_num(low)}"
    if high is not None:
        return f" up to {_num(high)}"
    return ""


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _free(slot, text: str) -> bool:
    """Whether the words themselves can be the value (a name, a topic; not a number nobody could read)."""
    if slot.choices or slot.type in ("number", "integer", "boolean"):
        return False
    if (slot.kind or "") in ("date", "sex", "currency", "number_list", "lab_unit"):
        return False
    return slot.type in ("string", "array") and ((slot.kind or "text") in _FREE_TEXT or slot.kind is None
                                                 or slot.type == "array")


_YES = {"y", "yes", "yeah", "true", "on", "1"}
_NO = {"n", "no", "nope", "false", "off", "0"}


def _said(slot, text: str) -> Any:
    """Short answers that only make sense as the answer to a question: "y", "no", "f", a choice's prefix."""
    low = text.lower().strip(" .!")
    if slot.type == "boolean":
        return True if low in _YES else False if low in _NO else None
    if (slot.kind or "") == "sex":
        return {"f": "female", "m": "male"}.get(low)
    if slot.choices:
        hits = [c for c in slot.choices if str(c).lower() == low] or \
               [c for c in slot.choices if len(low) >= 2 and str(c).lower().startswith(low)]
        return hits[0] if len(hits) == 1 else None
    return None


def _plain(slot, text: str) -> Any:
    if slot.type == "array":
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return text


def _label(name: str) -> str:
    return name.replace("_", " ")
