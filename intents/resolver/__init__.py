"""Resolvers turn words into a Match: which action, which typed slots, how sure, what is missing.

Every resolver (local, LLM) implements `resolve(text) -> Match`; front ends never know which one answered
except through `Match.source`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

# Match is a plain dataclass, not a pydantic model: it is on the path of every `intent resolve`, whose
# 300 ms cold-start budget cannot pay pydantic's ~200 ms first-model cost. Its fields are simple and
# built only by our resolvers; `model_copy` and `model_dump` keep the pydantic-style call sites working.


@dataclass
class Alternative:
    action: str
    confidence: float

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Match:
    text: str
    action: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    missing: list[str] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    source: Literal["local", "llm"] = "local"
    explain: dict[str, Any] | None = None  # only with --explain: tier, entity spans, slot reasons
    notice: str | None = None  # one line for the person, e.g. why the LLM tier was not used
    follows: int | None = None  # the history id this request continues (a follow-up), else None
    changed: list[str] = field(default_factory=list)  # in a follow-up: the slot names the new words set
    steps: list["Match"] | None = None  # a compound request: one match per step, in order

    def __post_init__(self) -> None:
        self.alternatives = [a if isinstance(a, Alternative) else Alternative(**a) for a in self.alternatives]

    def model_copy(self, update: dict[str, Any] | None = None) -> "Match":
        return dataclasses.replace(self, **(update or {}))

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        data = dataclasses.asdict(self)
        if self.steps is None:
            data.pop("steps")
        else:
            data["steps"] = [step.model_dump(mode) for step in self.steps]
        if mode == "json":  # slot values may be dates, paths or enums: make them JSON-ready
            data["slots"] = {k: _jsonable(v) for k, v in data["slots"].items()}
        return data

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if not explain:
            data.pop("explain", None)
        if data.get("notice") is None:
            data.pop("notice", None)
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return str(value)


class Resolver(Protocol):
    def resolve(self, text: str) -> Match: ...


class Interactive:
    """What an interactive front end (the TUI, the CLI's questions) asks of a resolver, beyond `resolve`:

    - `resolve_local(text)`: the local tier only, cheap enough for every keystroke;
    - `wants_llm(match)`: whether a slower tier should be asked on Enter (in a worker);
    - `refine(match, context=None)`: that slower tier's answer, given the previous turn (never raises);
    - `answer(spec, slot, text)`: an answer to one question, read by the same kind parsers as a request.

    Resolvers may inherit these defaults; `interactive(r)` gives any `resolve`-only resolver them too, so
    front ends call the interface rather than probing for methods."""

    packs: dict[str, str] | None = None

    def resolve(self, text: str) -> Match:  # pragma: no cover - every resolver defines it
        raise NotImplementedError

    def resolve_local(self, text: str) -> Match:
        return self.resolve(text)

    def wants_llm(self, match: Match) -> bool:
        return False

    def refine(self, match: Match, context: str | None = None) -> Match:
        """`context`: the previous turn, for a tier that can use it (a follow-up)."""
        return match

    def answer(self, spec, slot: str, text: str):
        """An `answers.Answer`: the value for `slot`, or one sentence saying what is expected."""
        from intents.resolver.answers import read

        return read(spec, slot, text, getattr(self, "packs", None))


class _Adapted(Interactive):
    def __init__(self, inner) -> None:
        self.inner = inner
        self.packs = getattr(inner, "packs", None)

    def resolve(self, text: str) -> Match:
        return self.inner.resolve(text)


def interactive(resolver) -> Interactive:
    """`resolver` with the whole Interactive interface (its own methods where it has them)."""
    if isinstance(resolver, Interactive):
        return resolver
    adapted = _Adapted(resolver)
    for name in ("resolve_local", "wants_llm", "refine", "answer"):  # its own, over the defaults
        if callable(getattr(resolver, name, None)):
            setattr(adapted, name, getattr(resolver, name))
    return adapted


def local_resolver(registry) -> Resolver:
    """The offline resolver over the installed packs' samples and templates."""
    from intents.resolver.local import LocalResolver

    return LocalResolver.for_registry(registry)
