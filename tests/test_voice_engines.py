"""Spoken commands (synthesized with espeak-ng at test time) through the engines, the resolver and the CLI."""
from __future__ import annotations

import os

import pytest

pytest.importorskip("pocketsphinx", reason="the voice extra (pocketsphinx) is not installed")

from bench.voice import COMMANDS, VOICES, espeak, slot_ok, synthesize  # noqa: E402
from terminal.voice import VoiceUnavailable  # noqa: E402

needs_espeak = pytest.mark.skipif(espeak() is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")

# A small, fast subset of the benchmark set: one per pack plus system actions, two voices/speeds.
SUBSET = [c for c in COMMANDS if c[0] in {
    "monthly payment on a three hundred thousand dollar loan at six point five percent over thirty years",
    "convert one hundred euros to dollars",
    "bmi for seventy kilograms and one hundred seventy five centimeters",
    "deadline thirty days after march third twenty twenty six",
    "install the legal pack",
    "show history",
}]


@pytest.fixture(scope="module")
def voice_home(tmp_path_factory):
    return tmp_path_factory.mktemp("voice-home")


@pytest.fixture(scope="module")
def wavs(tmp_path_factory):
    if espeak() is None:
        pytest.skip("espeak-ng is not installed")
    cache = tmp_path_factory.mktemp("speech")
    # Each command in one voice, alternating the two voices and speeds; the first in both (the CLI tests).
    pairs = [(text, *(VOICES[0] if i % 2 == 0 else VOICES[3])) for i, (text, _, _) in enumerate(SUBSET)]
    pairs.append((SUBSET[0][0], *VOICES[3]))
    pairs += [(t, *VOICES[0]) for t, _, _ in SUBSET if t == "install the legal pack"]
    return {key: synthesize(key[0], key[1], key[2], cache) for key in dict.fromkeys(pairs)}


@pytest.fixture(scope="module")
def vsession(voice_home):
    from intents.session import Session

    return Session(home=voice_home, mode="local")


@needs_espeak
def test_sphinx_gets_the_commands_right(vsession, wavs):
    from terminal.voice.audio import load_wav
    from terminal.voice.engines import get_engine

    engine = get_engine("sphinx", vsession.registry)
    right_action = right_slots = 0
    seconds = audio = 0.0
    for (text, voice, speed), path in wavs.items():
        action, slots = next((a, s) for t, a, s in SUBSET if t == text)
        heard = engine.transcribe(load_wav(path))
        match = vsession.resolve(heard.normalized)
        right_action += match.action == action
        right_slots += match.action == action and all(slot_ok(v, match.slots.get(k)) for k, v in slots.items())
        seconds += heard.timings["transcribe_ms"] / 1000
        audio += heard.audio_s
    n = len(wavs)
    assert right_action / n >= 0.75, (right_action, n)
    assert right_slots / n >= 0.5, (right_slots, n)
    assert seconds / audio < 1.0  # real-time factor (the bench measures the target, < 0.5, on an idle machine)


@needs_espeak
def test_the_decoder_is_built_once_and_reused(vsession, wavs):
    from terminal.voice.audio import load_wav
    from terminal.voice.engines import get_engine

    engine = get_engine("sphinx", vsession.registry)
    first = engine.decoder()
    path = next(iter(wavs.values()))
    a = engine.transcribe(load_wav(path)).text
    b = get_engine("sphinx", vsession.registry).transcribe(load_wav(path)).text
    assert engine.decoder() is first
    assert a == b  # the same recording, the same words, second call included


@needs_espeak
def test_whisper_when_local_weights_exist(vsession, wavs):
    from terminal.voice.audio import load_wav
    from terminal.voice.engines import get_engine

    try:
        engine = get_engine("whisper", vsession.registry)
    except VoiceUnavailable as exc:
        pytest.skip(f"whisper unavailable here: {exc.message}")
    text, action, slots = SUBSET[0]
    heard = engine.transcribe(load_wav(wavs[(text, *VOICES[0])]))
    match = vsession.resolve(heard.normalized)
    assert match.action == action
    assert all(slot_ok(v, match.slots.get(k)) for k, v in slots.items()), match.slots


def test_whisper_never_downloads(vsession, monkeypatch, tmp_path):
    pytest.importorskip("faster_whisper", reason="the voice-whisper extra is not installed")
    from terminal.voice.engines import get_engine

    monkeypatch.setenv("INTENT_WHISPER_MODEL", str(tmp_path / "no-model-here"))
    with pytest.raises(VoiceUnavailable, match="no local Whisper weights"):
        get_engine("whisper", vsession.registry)


def test_openai_needs_opt_in_and_a_second_one_for_sensitive_packs(vsession, monkeypatch):
    from terminal.voice.engines import get_engine

    monkeypatch.delenv("INTENT_VOICE_CLOUD", raising=False)
    monkeypatch.delenv("INTENT_VOICE_CLOUD_SENSITIVE", raising=False)
    with pytest.raises(VoiceUnavailable, match="opt in with INTENT_VOICE_CLOUD=1"):
        get_engine("openai", vsession.registry)
    monkeypatch.setenv("INTENT_VOICE_CLOUD", "1")
    sensitive = [p.manifest.id for p in vsession.registry.installed_packs() if p.manifest.sensitive]
    assert sensitive, "healthcare and legal declare sensitive data"
    with pytest.raises(VoiceUnavailable, match="INTENT_VOICE_CLOUD_SENSITIVE=1") as err:
        get_engine("openai", vsession.registry)
    assert set(err.value.extra["sensitive"]) == set(sensitive)


def test_no_microphone_is_a_clear_error(vsession, monkeypatch):
    from terminal.voice import capture

    monkeypatch.setattr(capture, "input_devices", lambda: [])
    try:
        import speech_recognition as sr

        def no_pyaudio():
            raise AttributeError("Could not find PyAudio; check installation")

        monkeypatch.setattr(sr.Microphone, "get_pyaudio", staticmethod(no_pyaudio))
    except ImportError:
        pass
    with pytest.raises(VoiceUnavailable, match="intent listen --file WAV") as err:
        capture.transcribe_microphone("sphinx", registry=vsession.registry, timeout_s=0.5)
    assert "microphone" in err.value.message or "audio input" in err.value.message


def test_cli_listen_without_a_microphone(cli):
    res = cli("listen", "--json", env={"INTENT_VOICE_ENGINE": "sphinx"})
    if res.code == 0:  # pragma: no cover - a machine with a real microphone
        pytest.skip("this machine has a microphone")
    assert res.code == 1 and res.json["error"]["kind"] == "voice_unavailable"
    assert "Traceback" not in res.err


@needs_espeak
def test_cli_listen_json_and_run(cli, wavs, unlocked):
    text = SUBSET[0][0]
    res = cli("listen", "--file", str(wavs[(text, *VOICES[0])]), "--json", "--run")
    data = res.json
    assert {"transcript", "engine", "timings", "resolve", "run"} <= set(data)
    assert data["engine"] == "sphinx"
    assert data["timings"]["transcribe_ms"] > 0 and data["audio_s"] > 1
    assert set(data["resolve"]) >= {"text", "action", "slots", "confidence", "missing", "alternatives", "source"}
    assert data["resolve"]["action"] == "finance.loan_payment"
    run = data["run"]
    if res.code == 0:
        assert run["action"] == "finance.loan_payment" and run["result"]["monthly_payment"] > 0
    else:  # a slot misheard: the run's error says which, with the catalog exit code
        assert res.code in (2, 4) and run["error"]["kind"] in ("missing_parameters", "bad_parameters")


@needs_espeak
def test_cli_listen_human_output(cli, wavs):
    text = "install the legal pack"
    res = cli("listen", "--file", str(wavs[(text, *VOICES[0])]))
    assert res.code == 0, res.err
    assert "heard:" in res.out and "system.install_pack" in res.out


def test_cli_unknown_engine_is_usage_error(cli, tmp_path):
    res = cli("listen", "--engine", "nope")
    assert res.code == 2 and "Traceback" not in res.err


def test_listen_checks_the_voice_feature(home, tmp_path, monkeypatch, capsys):
    """A plan without `voice` is refused before any audio is read or model loaded (exit 5)."""
    import json

    import entitlements
    from entitlements.decision import Decision, Upgrade
    from terminal.cli import main

    class NoVoice:
        def check(self, feature, qty=1):
            allowed = feature != "voice"
            return Decision(feature=feature, allowed=allowed, kind="ok" if allowed else "not_entitled",
                            reason="" if allowed else "voice input is not part of this plan",
                            upgrade=None if allowed else Upgrade(plan="pro", how="intent license activate FILE"))

        def consume(self, feature, qty=1, idempotency_key=None):
            return self.check(feature, qty)

        def summary(self):
            return {}

    monkeypatch.setattr(entitlements, "open_gate", lambda home=None, clock=None: NoVoice())
    code = main(["listen", "--file", str(tmp_path / "never-read.wav"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 5
    assert out["error"]["kind"] == "not_entitled" and out["error"]["feature"] == "voice"


class _Heard:
    """A recogniser with fixed readings, to check how the engine chooses among them."""

    def __init__(self, registry, first: str, readings: list[str]):
        from terminal.voice.engines import Engine

        class Fixed(Engine):
            name = "fixed"
            calls = 0

            def _transcribe(self, clip):
                return first

            def _readings(self, clip):
                Fixed.calls += 1
                if readings == ["boom"]:
                    raise RuntimeError("the decoder's internals changed")
                return readings

        self.engine = Fixed()
        self.engine.registry = registry

    def __call__(self):
        from terminal.voice.audio import Clip

        return self.engine.transcribe(Clip(pcm=b"\0\0" * 1600, seconds=0.1, source_rate=16000))


def test_a_first_reading_naming_no_action_gives_way_to_the_next_that_names_one(vsession):
    heard = _Heard(vsession.registry, "Show my son's crib, shunt.",
                   ["Show my son's crib, shunt.", "Show my sunscreen.", "Show my subscription.", "Show my plan."])()
    assert heard.text == "Show my subscription."  # the recogniser's order: the first that names an action
    assert vsession.resolve(heard.normalized).action == "system.plan"
    assert heard.alternatives[0] == "Show my son's crib, shunt." and "Show my subscription." not in heard.alternatives
    assert "second_reading_ms" in heard.timings


def test_a_reading_that_names_an_action_is_never_replaced(vsession):
    probe = _Heard(vsession.registry, "list packs", ["show history"])
    heard = probe()
    assert heard.text == "list packs" and heard.alternatives == [] and probe.engine.calls == 0


@pytest.mark.parametrize("readings", [[], ["nothing at all", "blah blah"], ["boom"]])
def test_without_a_better_reading_the_first_stands(vsession, readings):
    heard = _Heard(vsession.registry, "what's going on", readings)()
    assert heard.text == "what's going on" and heard.alternatives == []
