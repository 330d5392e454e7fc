"""Typed messages between the TUI's widgets, screens and workers (no widget reaches into another)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class RunRequested(Message):
    """Run an action with known values (history re-run, palette, an alternative picked)."""

    action: str
    values: dict[str, Any]
    text: str = ""


@dataclass
class UtteranceRequested(Message):
    """Put an utterance in the intent line (palette example, voice transcript); `run` submits it."""

    text: str
    run: bool = False


@dataclass
class RunFinished(Message):
    """A worker finished an action; `run_id` lets a cancelled run's late answer be ignored."""

    run_id: int
    outcome: Any  # intents.dispatch.Outcome
    spec: Any  # intents.sdk.ActionSpec


@dataclass
class RunFailed(Message):
    run_id: int
    error: Exception
    action: str
    values: dict[str, Any]
    text: str


@dataclass
class Refined(Message):
    """The LLM tier's answer for a request the local tier was unsure of."""

    run_id: int
    match: Any  # intents.resolver.Match
    text: str


@dataclass
class VoiceHeard(Message):
    """A transcript, put in the intent line for the person to check or edit before Enter."""

    text: str
    engine: str = ""


@dataclass
class VoiceLevel(Message):
    """Input level 0-1 while recording, for the level meter."""

    level: float


@dataclass
class VoiceUnavailable(Message):
    reason: str
    heard_nothing: bool = False


@dataclass
class PacksChanged(Message):
    """A pack was installed or removed: the resolver must be rebuilt over the new catalog."""

    pack: str
    installed: bool
