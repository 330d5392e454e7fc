"""Listening for a spoken request: a spinner, the input level and what is happening, in the results area.

Mounted by the screen on F2; it records and transcribes in a thread worker from the moment it is mounted
and posts `VoiceHeard` (the transcript, for the person to check before Enter) or `VoiceUnavailable`.
Removing it (Escape) cancels: a late transcript of a removed listener is dropped. Speech libraries are
imported only inside the worker.
"""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import LoadingIndicator, Static

from terminal.tui.messages import VoiceHeard, VoiceLevel, VoiceUnavailable


class VoiceInput(Vertical):
    DEFAULT_CSS = """
    VoiceInput {
        height: 5;
        margin-top: 1;
    }

    VoiceInput LoadingIndicator {
        height: 3;
    }

    VoiceInput .busy-label {
        content-align: center middle;
        width: 100%;
        color: $text-muted;
    }
    """

    def __init__(self, registry=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.registry = registry
        self.stage = "loading the speech model…"

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Static(self._label(), id="voice-level", classes="busy-label")

    def on_mount(self) -> None:
        self.run_worker(self._listen, thread=True, group="voice", exclusive=True, exit_on_error=False,
                        name="voice")

    def _label(self, level: float | None = None) -> str:
        if level is None:
            return f"{self.stage} · Esc cancels"
        return f"listening… {'▮' * round(level * 20):<20} · Esc cancels"

    def _listen(self) -> None:
        def level(value: float) -> None:  # called from the recording thread
            self.post_message(VoiceLevel(max(0.0, min(1.0, float(value)))))

        try:
            from terminal.voice.capture import transcribe_microphone  # speech libraries load only here

            self.app.call_from_thread(self._stage, "listening… speak your request")
            heard = transcribe_microphone(on_level=level, registry=self.registry)
            text = getattr(heard, "normalized", "") or getattr(heard, "text", heard)
            if not isinstance(text, str) or not text.strip():
                raise LookupError("nothing was heard")
        except BaseException as exc:  # no module, no microphone, no audio backend: say so, never crash
            self._post(VoiceUnavailable(_reason(exc), heard_nothing=_is_no_speech(exc)))
            return
        self._post(VoiceHeard(text.strip(), engine=str(getattr(heard, "engine", ""))))

    def _post(self, message) -> None:
        """To the screen, unless this listener was removed (cancelled) meanwhile."""
        if self.is_attached:
            self.post_message(message)

    def _stage(self, stage: str) -> None:
        self.stage = stage
        for label in self.query("#voice-level"):
            label.update(self._label())

    @on(VoiceLevel)
    def _level(self, message: VoiceLevel) -> None:
        message.stop()
        for label in self.query("#voice-level"):
            label.update(self._label(message.level))


def _reason(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__


def _is_no_speech(exc: BaseException) -> bool:
    return type(exc).__name__ == "NoSpeech" or isinstance(exc, LookupError)
