"""Resolvers turn words into a Match: which action, which typed slots, how sure, what is missing.

Every resolver (local, LLM) implements `resolve(text) -> Match`; front ends never know which one answered
except through `Match.source`.
"""
from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field


class Alternative(BaseModel):
    action: str
    confidence: float


class Match(BaseModel):
    text: str
    action: str | None = None
    slots: dict[str, Any] = Field(default_factory=dict)
    confidence: float = 0.0
    missing: list[str] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    source: Literal["local", "llm"] = "local"
    explain: dict[str, Any] | None = None  # only with --explain: tier, entity spans, slot reasons
    notice: str | None = None  # one line for the person, e.g. why the LLM tier was not used

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if not explain:
            data.pop("explain", None)
        if data.get("notice") is None:
            data.pop("notice", None)
        return data


class Resolver(Protocol):
    def resolve(self, text: str) -> Match: ...


def local_resolver(registry) -> Resolver:
    """The offline resolver over the installed packs' samples and templates."""
    from intents.resolver.local import LocalResolver

    return LocalResolver.for_registry(registry)
