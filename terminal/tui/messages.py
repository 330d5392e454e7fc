"""Typed messages between the TUI's widgets, screens and workers (no widget reaches into another).

Plain classes rather than dataclasses: nine @dataclass decorations cost ~5 ms of the first frame.
"""
from __future__ import annotations

from typing import Any

from textual.message import Message


class RunRequested(Message):
    """Run an action with known values (history re-run, palette, an alternative picked)."""

    def __init__(self, action: str, values: dict[str, Any], text: str = "") -> None:
        super().__init__()
        self.action, self.values, self.text = action, values, text


class UtteranceRequested(Message):
    """Put an utterance in the intent line (palette example, voice transcript); `run` submits it."""

    def __init__(self, text: str, run: bool = False) -> None:
        super().__init__()
        self.text, self.run = text, run


class RunFinished(Message):
    """A worker finished an action; `run_id` lets a cancelled run's late answer be ignored."""

    def __init__(self, run_id: int, outcome: Any, spec: Any, text: str = "") -> None:  # Outcome, ActionSpec
        super().__init__()
        self.run_id, self.outcome, self.spec, self.text = run_id, outcome, spec, text


class ChainRequested(Message):
    """Re-run a compound request from history: its recorded steps (history rows), in order."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__()
        self.rows = rows


class RunFailed(Message):
    def __init__(self, run_id: int, error: Exception, action: str, values: dict[str, Any], text: str) -> None:
        super().__init__()
        self.run_id, self.error, self.action, self.values, self.text = run_id, error, action, values, text


class Refined(Message):
    """The LLM tier's answer for a request the local tier was unsure of."""

    def __init__(self, run_id: int, match: Any, text: str) -> None:  # match: intents.resolver.Match
        super().__init__()
        self.run_id, self.match, self.text = run_id, match, text


class VoiceHeard(Message):
    """A transcript, put in the intent line for the person to check or edit before Enter."""

    def __init__(self, text: str, engine: str = "") -> None:
        super().__init__()
        self.text, self.engine = text, engine


class VoiceLevel(Message):
    """Input level 0-1 while recording, for the level meter."""

    def __init__(self, level: float) -> None:
        super().__init__()
        self.level = level


class VoiceUnavailable(Message):
    def __init__(self, reason: str, heard_nothing: bool = False) -> None:
        super().__init__()
        self.reason, self.heard_nothing = reason, heard_nothing


class PacksChanged(Message):
    """A pack was installed or removed: the resolver must be rebuilt over the new catalog."""

    def __init__(self, pack: str, installed: bool) -> None:
        super().__init__()
        self.pack, self.installed = pack, installed
