"""Compound requests: "X, then Y" and "X and Y" with two actions run both, in order.

A split is only ever taken when every part names an action of its own and neighbouring parts name
different ones, so "draft an NDA between Acme and Bob" or "loan of 300k and 6.5% over 30 years" stay one
request. Values said once for several actions at the end ("bmi and bsa for 80 kg, 180 cm") are shared
backwards: a step takes what it lacks from the words of the steps after it, never from those before it
(those belong to earlier actions, whose results carry forward instead: "..., then convert it to euros").
"""
from __future__ import annotations

import dataclasses
import re

from intents.resolver import Match

# "then" joins steps for sure; "and", "&" and "plus" only when both sides are whole requests (a bare comma
# never: "kidney function for a 50 yo man, creatinine 1.3" is one request)
_THEN = re.compile(r"\s*(?:[,;.]\s*|\s)(?:and\s+then|then|after\s+that|afterwards|next)\s*[,:]?\s+|\s*;\s*", re.I)
_AND = re.compile(r",?\s+(?:and|plus|&)\s+", re.I)
MAX_STEPS = 4
_STEP_SURE = 0.6  # each part of a "then" must name its action at least this surely ...
_AND_SURE = 0.8  # ... and of an "and", where a wrong split costs more


def may_be(text: str) -> bool:
    """Cheap test: is there a joint at which the text could be two requests?"""
    return len(text) <= 600 and bool(_THEN.search(text) or _AND.search(text))


def split(resolver, text: str) -> list[Match] | None:
    """The steps of a compound request, each resolved on its own words (plus values said after it), or
    None when the text is one request."""
    if len(text) > 600:
        return None  # a pasted document is one request, whatever its sentences say
    parts = [p for p in _THEN.split(text) if p and p.strip()]
    if 1 < len(parts) <= MAX_STEPS:
        steps = _steps(resolver, parts, _STEP_SURE)
        if steps:
            return steps
    for m in _AND.finditer(text):
        left, right = text[: m.start()], text[m.end():]
        steps = _steps(resolver, [left, right], _AND_SURE)
        if steps:
            return steps
    return None


def _words_only(part: str, lexicon=None) -> str:
    """The part without the values in it: what is left must still name the action ("irr of ..."), not
    merely describe values ("weight 160 lbs, height 5 foot 8" is the rest of a BSA request)."""
    from intents.resolver import entities

    tagged = entities.tag(part, lexicon=lexicon)  # the catalog's kinds: a pack's units are values too
    out, pos = [], 0
    for e in sorted(tagged.entities, key=lambda e: e.start):
        a, b = e.start, e.end
        if a >= pos:
            out.append(tagged.text[pos:a])
            pos = b
    out.append(tagged.text[pos:])
    return " ".join(" ".join(out).split())


def _steps(resolver, parts: list[str], sure: float) -> list[Match] | None:
    matches = [resolver.resolve(p.strip()) for p in parts]
    for i, m in enumerate(matches):
        if m.action is None or m.confidence < sure:
            return None
        bare = resolver.resolve(_words_only(parts[i], getattr(resolver, "lexicon", None)))
        if bare.action != m.action or bare.confidence < sure:
            return None
        if m.action.startswith("system."):
            return None  # "help, then ..." is a question about the terminal, not a chain of work
        if i and m.action == matches[i - 1].action:
            return None
    out = []
    for i, m in enumerate(matches):
        if m.missing and i + 1 < len(parts):
            later = " ".join(parts[i + 1:])
            values, _ = resolver.fill_for(m.action, later)
            taken = {k: v for k, v in values.items() if k in m.missing}
            if taken:
                slots = dict(m.slots, **taken)
                m = dataclasses.replace(m, slots=slots, missing=[n for n in m.missing if n not in taken])
        out.append(m)
    return out
