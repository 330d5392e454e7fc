"""Load and check a recording: one clear message for every way a file can be unusable.

The recognisers want 16 kHz, 16-bit mono PCM; anything else that speech_recognition can read (WAV, AIFF,
FLAC, 8-48 kHz, stereo, 8-32 bit) is converted. Length is checked from the header before any sample is
read, so a ten-minute file is refused at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from terminal.voice import BadAudio, NoSpeech

RATE = 16_000  # what pocketsphinx's en-us model and Whisper expect
WIDTH = 2  # bytes per sample
MAX_SECONDS = 30.0  # a spoken command; longer recordings are refused, not chewed on
MIN_RATE = 8_000  # below telephone quality nothing useful survives
MAX_BYTES = 64 * 1024 * 1024
SILENCE_DBFS = -50.0  # a recording whose loudest 30 ms frame is quieter than this holds no speech
_MAGIC = (b"RIFF", b"RIFX", b"FORM", b"fLaC")


@dataclass
class Clip:
    """A recording ready for the recognisers: 16 kHz, 16-bit, mono, little-endian PCM."""

    pcm: bytes
    seconds: float
    source_rate: int
    source: str = ""

    @property
    def audio_data(self):
        """The same samples as a speech_recognition.AudioData (for engines that take one)."""
        import speech_recognition as sr

        return sr.AudioData(self.pcm, RATE, WIDTH)

    def wav_bytes(self) -> bytes:
        return self.audio_data.get_wav_data()


def load_wav(path: str | Path, max_seconds: float = MAX_SECONDS) -> Clip:
    """Read a recording file and check it; raises BadAudio or NoSpeech with a message a person can act on."""
    path = Path(path)
    if not path.exists():
        raise BadAudio(f"no such audio file: {path}", path=str(path))
    if path.is_dir():
        raise BadAudio(f"{path} is a directory; give a WAV file", path=str(path))
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise BadAudio(f"cannot read {path}: {exc.strerror or exc}", path=str(path)) from None
    if size == 0:
        raise BadAudio(f"{path.name} is empty (0 bytes)", path=str(path))
    if size > MAX_BYTES:
        raise BadAudio(f"{path.name} is {size / 2**20:.0f} MB; a spoken command is at most {max_seconds:.0f} s",
                       path=str(path))
    if not head.startswith(_MAGIC):
        # Sniffing first keeps speech_recognition from piping arbitrary bytes through its FLAC decoder.
        raise BadAudio(f"{path.name} is not a WAV, AIFF or FLAC recording (it may be corrupt or another format)",
                       path=str(path))
    return _read(path, max_seconds)


def _read(path: Path, max_seconds: float) -> Clip:
    import struct
    import warnings
    import wave

    sr = speech_recognition()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # aifc: speech_recognition's own choice
        try:
            from aifc import Error as AifcError
        except ImportError:  # Python 3.13+: speech_recognition brings its own aifc
            AifcError = ValueError

    name = path.name
    try:
        source = sr.AudioFile(str(path))
        with source:
            rate, frames = source.SAMPLE_RATE, source.FRAME_COUNT
            seconds = frames / rate if rate else 0.0
            if rate < MIN_RATE:
                raise BadAudio(f"{name} is sampled at {rate} Hz; speech needs at least {MIN_RATE} Hz "
                               f"(16000 Hz is best)", path=str(path), sample_rate=rate)
            if seconds > max_seconds:
                raise BadAudio(f"{name} is {_duration(seconds)} long; a spoken command may be at most "
                               f"{max_seconds:.0f} s: trim it or say the command on its own",
                               path=str(path), seconds=round(seconds, 2))
            if frames == 0:
                raise BadAudio(f"{name} holds no audio (0 samples)", path=str(path))
            data = source.stream.read()  # raw frames, already mono
            width = source.SAMPLE_WIDTH
    except BadAudio:
        raise
    except (ValueError, AssertionError, EOFError, wave.Error, AifcError, struct.error, OSError) as exc:
        raise BadAudio(f"{name} could not be decoded as PCM audio (corrupt or an unsupported encoding): {exc}",
                       path=str(path)) from None
    if len(data) < width * 160:
        raise BadAudio(f"{name} is truncated: it holds {len(data)} bytes of audio", path=str(path))
    pcm = sr.AudioData(data[: len(data) - len(data) % width], rate, width).get_raw_data(convert_rate=RATE,
                                                                                      convert_width=WIDTH)
    clip = Clip(pcm=pcm, seconds=len(pcm) / (RATE * WIDTH), source_rate=rate, source=str(path))
    check_speech(clip)
    return clip


def speech_recognition():
    """The speech_recognition module, or a clear VoiceUnavailable when the voice extra is missing."""
    import warnings

    from terminal.voice import VoiceUnavailable

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # it imports audioop
            import speech_recognition as sr
    except ImportError:
        raise VoiceUnavailable("voice input needs the voice extra: pip install 'intent-terminal[voice]'") from None
    return sr


def clip_from_audio_data(audio) -> Clip:
    """A Clip from a speech_recognition.AudioData (the microphone path)."""
    pcm = audio.get_raw_data(convert_rate=RATE, convert_width=WIDTH)
    clip = Clip(pcm=pcm, seconds=len(pcm) / (RATE * WIDTH), source_rate=audio.sample_rate, source="microphone")
    check_speech(clip)
    return clip


def peak_dbfs(pcm: bytes, frame_ms: int = 30) -> float:
    """Loudness of the loudest short frame, in dB relative to full scale."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    n = RATE * frame_ms // 1000
    usable = len(samples) - len(samples) % n
    if usable == 0:
        return -120.0
    rms = np.sqrt((samples[:usable].reshape(-1, n) ** 2).mean(axis=1)).max()
    return float(20 * np.log10(max(rms, 1e-9) / 32768.0))


def check_speech(clip: Clip) -> None:
    level = peak_dbfs(clip.pcm)
    if level < SILENCE_DBFS:
        raise NoSpeech(f"no speech heard: the recording is silent (loudest {level:.0f} dBFS); "
                       f"speak closer to the microphone or check the input level",
                       peak_dbfs=round(level, 1))


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
