"""Microphone capture through speech_recognition.Microphone (PyAudio) or sounddevice.

No microphone (no audio library, no input device, a device that fails to open) is a VoiceUnavailable
with a message saying what to do, never a traceback. `on_level` receives 0-1 input levels while
recording, for a level meter.
"""
from __future__ import annotations

import time
from typing import Callable

from terminal.voice import NoSpeech, Transcript, VoiceUnavailable
from terminal.voice.audio import RATE, WIDTH, Clip, check_speech

Level = Callable[[float], None]
DEFAULT_TIMEOUT_S = 8.0  # wait this long for speech to start
PHRASE_LIMIT_S = 15.0  # a command is never longer


def input_devices() -> list[str]:
    """Names of the input devices the audio library sees ([] when there is none or no library)."""
    try:
        import sounddevice as sd

        return [d["name"] for d in sd.query_devices() if d.get("max_input_channels", 0) > 0]
    except (ImportError, OSError):
        pass
    try:
        import speech_recognition as sr

        return list(sr.Microphone.list_microphone_names())
    except (ImportError, AttributeError, OSError):
        return []


def record(timeout_s: float = DEFAULT_TIMEOUT_S, on_level: Level | None = None) -> Clip:
    """Record one command: until a pause after speech, at most PHRASE_LIMIT_S."""
    try:
        import speech_recognition as sr

        sr.Microphone.get_pyaudio()
        return _record_sr(sr, timeout_s, on_level)
    except (ImportError, AttributeError):
        pass
    return _record_sounddevice(timeout_s, on_level)


def _record_sr(sr, timeout_s: float, on_level: Level | None) -> Clip:
    from terminal.voice.audio import clip_from_audio_data

    recognizer = sr.Recognizer()
    try:
        with sr.Microphone(sample_rate=RATE) as source:
            recognizer.adjust_for_ambient_noise(source, duration=0.3)
            audio = recognizer.listen(source, timeout=timeout_s, phrase_time_limit=PHRASE_LIMIT_S)
    except sr.WaitTimeoutError:
        raise NoSpeech(f"no speech heard within {timeout_s:.0f} s") from None
    except (OSError, AssertionError) as exc:
        raise VoiceUnavailable(f"no usable microphone: {exc}; connect one or use: intent listen --file WAV") from None
    if on_level:
        on_level(0.0)
    return clip_from_audio_data(audio)


def _record_sounddevice(timeout_s: float, on_level: Level | None) -> Clip:
    try:
        import numpy as np
        import sounddevice as sd
    except (ImportError, OSError):
        raise VoiceUnavailable("no audio input library: install PyAudio or sounddevice (and libportaudio2), "
                               "or use: intent listen --file WAV") from None
    if not input_devices():
        raise VoiceUnavailable("no microphone found (no audio input device); connect one or use: "
                               "intent listen --file WAV")
    chunks: list = []
    started = time.monotonic()
    heard_at = None
    block = RATE // 10  # 100 ms
    try:
        with sd.InputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=block) as stream:
            while True:
                data, _ = stream.read(block)
                chunks.append(data.copy())
                level = float(np.sqrt((data.astype(np.float64) ** 2).mean()) / 32768.0)
                if on_level:
                    on_level(min(1.0, level * 8))
                now = time.monotonic()
                if level > 0.01:
                    heard_at = now
                if heard_at is None and now - started > timeout_s:
                    raise NoSpeech(f"no speech heard within {timeout_s:.0f} s")
                if heard_at is not None and (now - heard_at > 0.8 or now - started > PHRASE_LIMIT_S + timeout_s):
                    break
    except (sd.PortAudioError, OSError) as exc:
        raise VoiceUnavailable(f"the microphone could not be opened: {exc}; or use: intent listen --file WAV") from None
    pcm = np.concatenate(chunks).astype("<i2").tobytes()
    clip = Clip(pcm=pcm, seconds=len(pcm) / (RATE * WIDTH), source_rate=RATE, source="microphone")
    check_speech(clip)
    return clip


def transcribe_microphone(engine=None, on_level: Level | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
                          registry=None) -> Transcript:
    """Record one command and transcribe it. `engine` is an Engine, an engine name or None (the default).

    The TUI calls this from a worker thread and shows the transcript for the person to confirm or edit.
    """
    from terminal.voice.engines import Engine, get_engine

    if not isinstance(engine, Engine):
        if registry is None:
            from intents.session import Session

            registry = Session().registry
        engine = get_engine(engine, registry)
    started = time.perf_counter()
    clip = record(timeout_s=timeout_s, on_level=on_level)
    record_ms = (time.perf_counter() - started) * 1000
    transcript = engine.transcribe(clip)
    transcript.timings["record_ms"] = round(record_ms, 1)
    return transcript
