"""A first local resolver: word overlap with sample utterances plus simple typed slots.

Deliberately thin: the resolver issue replaces its insides behind the same `resolve(text) -> Match`.
"""
from __future__ import annotations

import re
from typing import Any

from intents.resolver import Alternative, Match

MAX_CHARS = 2000
_WORD = re.compile(r"[a-z]+")
_NUM = re.compile(r"\$?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(k|m|million|thousand)?\b(\s*%|\s*percent)?", re.I)
_YEARS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-\s*)?(?:years?|yrs?)\b", re.I)
_STOP = {"a", "an", "the", "on", "of", "for", "at", "in", "to", "over", "with", "and", "is", "what", "me", "my"}


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


class LocalResolver:
    def __init__(self, actions: list) -> None:
        self.actions = actions
        self.bags = [(a, [_words(s) for s in (a.samples + [a.title])]) for a in actions]

    @classmethod
    def for_registry(cls, registry) -> "LocalResolver":
        return cls(registry.actions())

    def resolve(self, text: str) -> Match:
        clipped = text[:MAX_CHARS]
        words = _words(clipped)
        scored = []
        for spec, bags in self.bags:
            best = max((len(words & b) / max(len(b), 1) for b in bags if b), default=0.0)
            scored.append((best, spec))
        scored.sort(key=lambda x: -x[0])
        if not scored or scored[0][0] < 0.5:
            return Match(text=text, confidence=round(scored[0][0], 3) if scored else 0.0)
        score, spec = scored[0]
        slots = _fill(spec, clipped)
        missing = [n for n in spec.required if n not in slots]
        alts = [Alternative(action=s.id, confidence=round(c, 3)) for c, s in scored[1:4] if c >= 0.3]
        return Match(text=text, action=spec.id, slots=slots, confidence=round(min(score, 1.0), 3),
                     missing=missing, alternatives=alts)


def _fill(spec, text: str) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    kinds = {s.kind: s.name for s in spec.slots}
    m = _YEARS.search(text)
    if m and "years" in kinds:
        slots[kinds["years"]] = float(m.group(1))
        text = text[: m.start()] + text[m.end():]
    for m in _NUM.finditer(text):
        value = float(m.group(1).replace(",", ""))
        scale = (m.group(2) or "").lower()
        value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(scale, 1)
        if m.group(3) and "percent" in kinds and kinds["percent"] not in slots:
            slots[kinds["percent"]] = value
        elif "money" in kinds and kinds["money"] not in slots:
            slots[kinds["money"]] = value
    return slots
