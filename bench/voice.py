"""Voice benchmark: spoken commands synthesized with espeak-ng, through each engine, then the resolver.

    python bench/voice.py                      # every engine available here, the full set
    python bench/voice.py --engines sphinx --limit 10
    python bench/voice.py --engines whisper --half tune   # the half settings are tuned on (or: held)

Prints per engine: word error rate, the share of commands whose action is right and whose action and
slots are right, seconds per utterance and the real-time factor. The test set (COMMANDS) covers every
pack and the system actions; each command is spoken in VOICES (two voices at two speeds). The tests
(tests/test_voice_*.py) use a small subset of the same set.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# (what is said, the action, the slots that must come out; "~word" means the value contains word)
COMMANDS: list[tuple[str, str, dict]] = [
    ("monthly payment on a three hundred thousand dollar loan at six point five percent over thirty years",
     "finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30}),
    ("what is the payment on a two hundred thousand dollar mortgage at seven percent for fifteen years",
     "finance.loan_payment", {"principal": 200000, "rate_pct": 7, "years": 15}),
    ("loan payment for twenty five thousand at nine percent over five years",
     "finance.loan_payment", {"principal": 25000, "rate_pct": 9, "years": 5}),
    ("mortgage payment for four hundred fifty thousand at five percent over thirty years",
     "finance.loan_payment", {"principal": 450000, "rate_pct": 5, "years": 30}),
    ("amortization schedule for a four hundred thousand dollar loan at five percent over thirty years",
     "finance.amortization", {"principal": 400000, "rate_pct": 5, "years": 30}),
    ("export the amortization schedule for a three hundred thousand dollar loan at six percent over twenty years to csv",
     "finance.amortization_csv", {"principal": 300000, "rate_pct": 6, "years": 20}),
    ("what will ten thousand dollars grow to at five percent over ten years",
     "finance.compound_interest", {"principal": 10000, "rate_pct": 5, "years": 10}),
    ("compound interest on fifty thousand at four percent for twenty years",
     "finance.compound_interest", {"principal": 50000, "rate_pct": 4, "years": 20}),
    ("how much do I need to save each month to have fifty thousand dollars in eighteen years at six percent",
     "finance.savings_goal", {"target": 50000, "rate_pct": 6, "years": 18}),
    ("monthly savings to reach one million dollars in thirty years at seven percent",
     "finance.savings_goal", {"target": 1000000, "rate_pct": 7, "years": 30}),
    ("net present value at eight percent of minus forty thousand, five thousand, eight thousand, twelve thousand, "
     "thirty thousand", "finance.npv", {"rate_pct": 8, "cash_flows": [-40000, 5000, 8000, 12000, 30000]}),
    ("internal rate of return of minus one hundred, thirty nine, fifty nine, fifty five, twenty",
     "finance.irr", {"cash_flows": [-100, 39, 59, 55, 20]}),
    ("convert one hundred euros to dollars", "finance.convert_currency",
     {"amount": 100, "from_currency": "EUR", "to_currency": "USD"}),
    ("how much is five hundred dollars in yen", "finance.convert_currency",
     {"amount": 500, "from_currency": "USD", "to_currency": "JPY"}),
    ("convert two thousand british pounds to euros", "finance.convert_currency",
     {"amount": 2000, "from_currency": "GBP", "to_currency": "EUR"}),
    ("bmi for seventy kilograms and one hundred seventy five centimeters", "healthcare.bmi",
     {"weight_kg": 70, "height_cm": 175}),
    ("bmi for eighty two kilos and one hundred eighty centimeters", "healthcare.bmi",
     {"weight_kg": 82, "height_cm": 180}),
    ("body surface area for seventy kilograms and one hundred seventy centimeters", "healthcare.bsa",
     {"weight_kg": 70, "height_cm": 170}),
    ("qtc for qt four hundred milliseconds at heart rate seventy five", "healthcare.qtc",
     {"qt_ms": 400, "heart_rate_bpm": 75}),
    ("corrected qt interval four hundred forty milliseconds heart rate ninety fridericia", "healthcare.qtc",
     {"qt_ms": 440, "heart_rate_bpm": 90, "formula": "fridericia"}),
    ("dose for twenty kilograms at fifteen milligrams per kilogram", "healthcare.dose",
     {"weight_kg": 20, "dose_mg_per_kg": 15}),
    ("i c d ten code for type two diabetes", "healthcare.icd10_lookup", {"query": "~diabetes"}),
    ("convert glucose one hundred twenty six milligrams per deciliter to millimoles per liter",
     "healthcare.convert_lab", {"value": 126, "analyte": "glucose"}),
    ("e g f r for a sixty year old woman with creatinine one point one", "healthcare.egfr",
     {"creatinine_mg_dl": 1.1, "age": 60, "sex": "female"}),
    ("e g f r for a fifty five year old man with creatinine one point two", "healthcare.egfr",
     {"creatinine_mg_dl": 1.2, "age": 55, "sex": "male"}),
    ("creatinine clearance for a seventy year old man seventy two kilograms creatinine one point four",
     "healthcare.creatinine_clearance", {"age": 70, "weight_kg": 72, "creatinine_mg_dl": 1.4, "sex": "male"}),
    ("deadline thirty days after march third twenty twenty six", "legal.deadline",
     {"start_date": "2026-03-03", "days": 30}),
    ("answer due twenty one days after service on june second twenty twenty five", "legal.deadline",
     {"start_date": "2025-06-02", "days": 21}),
    ("draft a mutual nda between acme and globex for three years under new york law", "legal.draft_nda",
     {"party_a": "~acme", "party_b": "~globex", "term_years": 3}),
    ("draft an nda between acme and northwind", "legal.draft_nda", {"party_a": "~acme", "party_b": "~northwind"}),
    ("extract citations from brief dot pdf", "legal.extract_citations", {}),
    ("summarize the contract in lease dot docx", "legal.contract_summary", {}),
    ("redact exhibit dot txt", "legal.redact", {}),
    ("what plan am I on", "system.plan", {}),
    ("show my subscription", "system.plan", {}),
    ("list packs", "system.packs", {}),
    ("which packs are installed", "system.packs", {}),
    ("install the legal pack", "system.install_pack", {"pack": "legal"}),
    ("enable the healthcare pack", "system.install_pack", {"pack": "healthcare"}),
    ("remove the legal pack", "system.remove_pack", {"pack": "legal"}),
    ("uninstall the finance pack", "system.remove_pack", {"pack": "finance"}),
    ("show history", "system.history", {}),
    ("what did I run", "system.history", {}),
    ("help", "system.help", {}),
    ("what can you do", "system.help", {}),
]

# (espeak-ng voice, words per minute): two voices, two speeds
VOICES: list[tuple[str, int]] = [("en-us", 165), ("en-us", 130), ("en-us+f3", 165), ("en-us+f3", 130)]


def half(text: str) -> str:
    """A fixed split of COMMANDS: "tune" (settings may be chosen on it) or "held" (only measured)."""
    return "tune" if hashlib.sha1(text.encode()).digest()[0] % 2 == 0 else "held"


def espeak() -> str | None:
    return shutil.which("espeak-ng")


def synthesize(text: str, voice: str, speed: int, cache: Path) -> Path:
    """A WAV of `text` spoken by espeak-ng (cached by content, so reruns are instant)."""
    key = hashlib.sha1(f"{voice}|{speed}|{text}".encode()).hexdigest()[:16]
    path = cache / f"{key}.wav"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.wav")
        subprocess.run([espeak(), "-v", voice, "-s", str(speed), "-w", str(tmp), text], check=True,
                       capture_output=True, timeout=60)
        os.replace(tmp, path)
    return path


def default_cache() -> Path:
    return Path(os.environ.get("INTENT_VOICE_BENCH_CACHE", Path(tempfile.gettempdir()) / "intent-voice-bench"))


# ---- scoring -----------------------------------------------------------------------------------------

def words_for_wer(text: str) -> list[str]:
    """Both sides in one written form (digits for numbers, no punctuation), so engines that write
    "$300,000" and engines that write "three hundred thousand" are scored alike."""
    from terminal.voice.spoken import normalize

    text = normalize(text.lower())
    text = text.replace("%", " percent").replace("$", " ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.findall(r"-?\d+(?:\.\d+)?|[a-z']+", text)


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def slot_ok(expected, got) -> bool:
    if got is None:
        return False
    if isinstance(expected, str) and expected.startswith("~"):
        return expected[1:].lower() in str(got).lower()
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(slot_ok(e, g) for e, g in zip(expected, got))
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return math.isclose(float(got), float(expected), rel_tol=1e-3, abs_tol=1e-6)
        except (TypeError, ValueError):
            return False
    return str(got).lower() == str(expected).lower()


@dataclass
class Score:
    engine: str
    n: int = 0
    errors: int = 0  # word edits
    ref_words: int = 0
    action_ok: int = 0
    slots_ok: int = 0
    seconds: float = 0.0  # transcription time
    audio: float = 0.0
    failures: list[str] = field(default_factory=list)
    halves: dict = field(default_factory=dict)  # "tune"/"held" -> [right action, utterances]

    @property
    def wer(self) -> float:
        return self.errors / self.ref_words if self.ref_words else 0.0

    def row(self) -> str:
        n = max(self.n, 1)
        halves = "  ".join(f"{h} {ok / max(k, 1):.1%}" for h, (ok, k) in sorted(self.halves.items(), reverse=True))
        return (f"{self.engine:8} n={self.n:4d}  WER {self.wer:5.2f}  action {self.action_ok / n:6.1%}  "
                f"action+slots {self.slots_ok / n:6.1%}  {self.seconds / n:5.2f} s/utt  "
                f"RTF {self.seconds / max(self.audio, 1e-9):4.2f}  (action by half: {halves})")


def evaluate(engine, session, items, voices, cache: Path, verbose: bool = False) -> Score:
    """Run every (command, voice) through `engine` and the session's resolver."""
    from intents.errors import IntentError
    from terminal.voice.audio import load_wav

    score = Score(engine=engine.name)
    for text, action, slots in items:
        for voice, speed in voices:
            clip = load_wav(synthesize(text, voice, speed, cache))
            ref = words_for_wer(text)
            started = time.perf_counter()
            try:
                heard = engine.transcribe(clip)
                hyp_text, resolved_text = heard.text, heard.normalized
            except IntentError:
                hyp_text = resolved_text = ""
            score.seconds += time.perf_counter() - started
            score.audio += clip.seconds
            hyp = words_for_wer(hyp_text)
            score.errors += edit_distance(ref, hyp)
            score.ref_words += len(ref)
            score.n += 1
            match = session.resolve(resolved_text) if resolved_text else None
            got_action = match.action if match else None
            good_action = got_action == action
            good_slots = good_action and all(slot_ok(v, match.slots.get(k)) for k, v in slots.items())
            score.action_ok += good_action
            tally = score.halves.setdefault(half(text), [0, 0])
            tally[0] += good_action
            tally[1] += 1
            score.slots_ok += good_slots
            if not good_slots:
                line = f"[{voice}@{speed}] said: {text!r}\n    heard: {hyp_text!r} -> {got_action} " \
                       f"{match.slots if match else {}}"
                score.failures.append(line)
                if verbose:
                    print(line, file=sys.stderr)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="sphinx,whisper", help="comma-separated: sphinx,whisper,openai")
    parser.add_argument("--limit", type=int, default=0, help="only the first N commands")
    parser.add_argument("--voices", type=int, default=len(VOICES), help="only the first N voice/speed pairs")
    parser.add_argument("--cache", type=Path, default=default_cache(), help="where synthesized WAVs are kept")
    parser.add_argument("--half", choices=["tune", "held"], help="only the tuning or the held-out half (half())")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    if not espeak():
        print("espeak-ng is not installed (apt-get install espeak-ng); nothing to benchmark")
        return 1
    home = Path(tempfile.mkdtemp(prefix="intent-voice-bench-"))
    os.environ["INTENT_HOME"] = str(home)
    os.environ.setdefault("INTENT_LLM", "off")
    from intents.session import Session
    from terminal.voice import VoiceUnavailable
    from terminal.voice.engines import get_engine

    session = Session(home=home, mode="local")
    items = COMMANDS[: args.limit] if args.limit else COMMANDS
    if args.half:
        items = [c for c in items if half(c[0]) == args.half]
    voices = VOICES[: args.voices]
    packs = sorted({a.split(".")[0] for _, a, _ in items})
    print(f"{len(items)} commands ({', '.join(packs)}) x {len(voices)} voices/speeds "
          f"({', '.join(f'{v}@{s}wpm' for v, s in voices)}) = {len(items) * len(voices)} utterances")
    ceiling = sum(session.resolve(_spoken_to_written(t)).action == a for t, a, _ in items)
    print(f"resolver on the exact words (ceiling for every engine): action {ceiling / len(items):.1%}")
    for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
        try:
            started = time.perf_counter()
            engine = get_engine(name, session.registry)
            warm = _warm(engine, voices, args.cache)
            setup = time.perf_counter() - started
        except VoiceUnavailable as exc:
            print(f"{name:8} unavailable: {exc.message}")
            continue
        score = evaluate(engine, session, items, voices, args.cache, verbose=args.verbose)
        print(score.row() + f"  (setup {setup:.1f} s incl. warm-up {warm:.1f} s)")
    return 0


def _spoken_to_written(text: str) -> str:
    from terminal.voice.spoken import normalize

    return normalize(text)


def _warm(engine, voices, cache: Path) -> float:
    """Load the model once before timing (the CLI pays this once per process, the TUI once per session)."""
    from terminal.voice.audio import load_wav

    started = time.perf_counter()
    engine.transcribe(load_wav(synthesize("help", voices[0][0], voices[0][1], cache)))
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
