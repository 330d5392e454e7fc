"""Recordings that cannot be used give one clear message each (never a traceback), quickly."""
from __future__ import annotations

import io
import math
import struct
import time
import wave

import numpy as np
import pytest

from terminal.voice import BadAudio, NoSpeech
from terminal.voice.audio import RATE, load_wav, peak_dbfs


def write_wav(path, samples: np.ndarray, rate: int, channels: int = 1, width: int = 2):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def tone(rate: int, seconds: float, freq: float = 440.0, amp: float = 8000) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return amp * np.sin(2 * math.pi * freq * t)


def test_a_good_recording_is_converted_to_16k_mono(tmp_path):
    clip = load_wav(write_wav(tmp_path / "ok.wav", tone(RATE, 1.0), RATE))
    assert clip.source_rate == RATE
    assert clip.seconds == pytest.approx(1.0, abs=0.01)
    assert len(clip.pcm) == RATE * 2


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_other_sample_rates_are_resampled(tmp_path, rate):
    clip = load_wav(write_wav(tmp_path / f"r{rate}.wav", tone(rate, 1.5), rate))
    assert clip.source_rate == rate
    assert clip.seconds == pytest.approx(1.5, abs=0.02)
    # the tone survives resampling: its loudness is about the same
    assert peak_dbfs(clip.pcm) == pytest.approx(20 * math.log10(8000 / math.sqrt(2) / 32768), abs=1.0)


def test_stereo_is_mixed_to_mono(tmp_path):
    both = np.repeat(tone(RATE, 1.0), 2)
    clip = load_wav(write_wav(tmp_path / "st.wav", both, RATE, channels=2))
    assert clip.seconds == pytest.approx(1.0, abs=0.01)


def test_a_sample_rate_too_low_for_speech_is_refused(tmp_path):
    with pytest.raises(BadAudio, match="4000 Hz"):
        load_wav(write_wav(tmp_path / "low.wav", tone(4000, 1.0, freq=200), 4000))


def test_silence_is_no_speech(tmp_path):
    with pytest.raises(NoSpeech, match="silent"):
        load_wav(write_wav(tmp_path / "silence.wav", np.zeros(RATE * 2), RATE))


def test_a_ten_minute_file_is_refused_at_once(tmp_path):
    path = write_wav(tmp_path / "long.wav", tone(8000, 600.0, amp=3000), 8000)
    started = time.perf_counter()
    with pytest.raises(BadAudio, match=r"10 min 0 s long.*at most 30 s"):
        load_wav(path)
    assert time.perf_counter() - started < 1.0  # the header says how long it is; no sample is read


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"hello, this is text and not audio at all", "not a WAV, AIFF or FLAC"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00garbage-garbage-garbage", "could not be decoded"),
    (b"RIFF" + bytes(range(256)) * 4, "could not be decoded"),
])
def test_corrupt_files_are_named_clearly(tmp_path, content, message):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(BadAudio, match=message):
        load_wav(path)


def test_truncated_wav_is_refused(tmp_path):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack("<h", 1000) * 40)  # 40 samples: 2.5 ms
    (tmp_path / "short.wav").write_bytes(buf.getvalue())
    with pytest.raises(BadAudio, match="truncated|no audio"):
        load_wav(tmp_path / "short.wav")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(BadAudio, match="no such audio file"):
        load_wav(tmp_path / "nope.wav")
    with pytest.raises(BadAudio, match="directory"):
        load_wav(tmp_path)


@pytest.mark.parametrize("make, kind, code", [
    (lambda p: p.write_bytes(b"RIFF" + bytes(300)), "bad_audio", 2),
    (lambda p: write_wav(p, np.zeros(RATE), RATE), "no_speech", 3),
    (lambda p: write_wav(p, tone(8000, 600.0, amp=3000), 8000), "bad_audio", 2),
])
def test_cli_reports_bad_audio_without_traceback(cli, tmp_path, make, kind, code):
    path = tmp_path / "in.wav"
    make(path)
    res = cli("listen", "--file", str(path), "--json")
    assert res.code == code, res.err
    assert res.json["error"]["kind"] == kind
    assert "Traceback" not in res.err
    human = cli("listen", "--file", str(path))
    assert human.code == code
    assert "error:" in human.err and "Traceback" not in human.err
