"""Voice input: audio in, a transcript out, then the same resolve/run path as typed words.

Modules: `audio` (load and check a recording), `capture` (the microphone), `grammar` (the recogniser's
vocabulary, generated from the installed packs), `engines` (sphinx, whisper, openai), `spoken` (spoken
numbers to digits). Nothing here is imported by the core; every heavy library is imported lazily.
"""
from __future__ import annotations

from pydantic import BaseModel, Field

from intents.errors import EXIT_ACTION_FAILED, EXIT_NOT_UNDERSTOOD, EXIT_USAGE, IntentError

ENGINES = ("sphinx", "whisper", "openai")
DEFAULT_ENGINE = "sphinx"


class VoiceError(IntentError):
    kind = "voice"
    exit_code = EXIT_ACTION_FAILED


class BadAudio(VoiceError):
    """The recording cannot be used: unreadable, too long, wrong format. Exit 2 (bad input)."""

    kind = "bad_audio"
    exit_code = EXIT_USAGE


class NoSpeech(VoiceError):
    """The recording is readable but holds no speech (silence) or nothing was recognised."""

    kind = "no_speech"
    exit_code = EXIT_NOT_UNDERSTOOD


class VoiceUnavailable(VoiceError):
    """An engine or the microphone cannot be used on this machine (missing package, no device, not opted in)."""

    kind = "voice_unavailable"
    exit_code = EXIT_ACTION_FAILED


class Transcript(BaseModel):
    text: str  # what the engine heard, as it heard it
    normalized: str = ""  # spoken numbers turned into digits: what the resolver gets
    engine: str
    audio_s: float = 0.0  # length of the recording
    timings: dict[str, float] = Field(default_factory=dict)  # milliseconds: load, transcribe, ...
    # The engine's other readings of the same audio, most likely first, when its first reading named no
    # action and one of these was taken instead (the first reading is then among them)
    alternatives: list[str] = Field(default_factory=list)

    @property
    def rtf(self) -> float:
        """Real-time factor: transcription time over audio length."""
        return (self.timings.get("transcribe_ms", 0.0) / 1000) / self.audio_s if self.audio_s else 0.0
