"""`intent listen`: a spoken command, from a WAV file or the microphone -> transcript -> resolve (-> run)."""
from __future__ import annotations

import time
from pathlib import Path

from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("listen", help="transcribe a spoken command (a WAV file or the microphone), resolve it, "
                                      "and with --run run it")
    p.add_argument("--file", type=Path, metavar="WAV", help="a recording (WAV, AIFF or FLAC; at most 30 s)")
    p.add_argument("--json", action="store_true",
                   help="print JSON: {transcript, engine, timings, resolve[, run]} or {error}")
    p.add_argument("--run", action="store_true", help="run what was understood, through the same gate as typed input")
    p.add_argument("--engine", choices=("sphinx", "whisper", "openai"), default=None,
                   help="speech engine: sphinx (offline, default), whisper (offline, extra voice-whisper), "
                        "openai (cloud; opt in with INTENT_VOICE_CLOUD=1)")
    p.add_argument("--out", type=Path, metavar="DIR", help="directory for files the action writes (default: documents/ in the data dir, e.g. $INTENT_HOME/documents)")
    p.add_argument("-c", "--continue", dest="follow", action="store_true",
                   help="read what was said as a follow-up of the last run ('same for a man')")
    p.add_argument("--timeout", type=float, default=8.0, help="microphone: seconds to wait for speech")
    p.set_defaults(func=run)


def run(args) -> int:
    from intents.errors import IntentError, NotEntitled
    from intents.session import Session
    from terminal.voice.engines import get_engine

    session = Session(out_dir=args.out)
    decision = session.gate.check("voice")
    if not decision.allowed:
        raise NotEntitled.from_decision(decision, "voice", reason="voice input is not part of your plan")
    clip, load_ms = None, 0.0
    if args.file is not None:  # checked before any model loads, so a bad file is refused at once
        from terminal.voice.audio import load_wav

        t0 = time.perf_counter()
        clip = load_wav(args.file)
        load_ms = (time.perf_counter() - t0) * 1000
    started = time.perf_counter()
    engine = get_engine(args.engine, session.registry)
    setup_ms = (time.perf_counter() - started) * 1000
    if clip is not None:
        transcript = engine.transcribe(clip)
        transcript.timings["load_ms"] = round(load_ms, 1)
    else:
        from terminal.voice.capture import transcribe_microphone

        transcript = transcribe_microphone(engine, timeout_s=args.timeout)
    transcript.timings["setup_ms"] = round(setup_ms, 1)
    t0 = time.perf_counter()
    match = session.resolve(transcript.normalized or transcript.text, follow=args.follow)
    transcript.timings["resolve_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    data = {"transcript": transcript.text, "normalized": transcript.normalized, "engine": transcript.engine,
            "audio_s": transcript.audio_s, "timings": transcript.timings, "alternatives": transcript.alternatives,
            "resolve": match.to_json()}
    code = 0 if match.action else 3
    outcome = None
    if args.run:
        try:
            outcome = (session.run_steps(match, source="voice") if match.steps else
                       session.dispatcher.run_match(match, ask=None, source="voice"))
            data["run"] = outcome.to_json()
        except IntentError as err:
            data["run"] = err.to_json()
            code = err.exit_code
    if args.json:
        emit_json(data)
        return code
    _show(session, transcript, match, outcome, data, code)
    return code


def _show(session, transcript, match, outcome, data, code) -> None:
    from rich.text import Text

    from terminal import render
    from terminal.output import console, error

    con = console()
    con.print(Text("heard: ", style="bold") + Text(transcript.text, style="italic") +
              Text(f"  ({transcript.engine}, {transcript.timings.get('transcribe_ms', 0) / 1000:.2f} s)", style="dim"))
    if transcript.alternatives:  # the first reading named no action; say what was heard first
        con.print(Text(f"  first heard “{transcript.alternatives[0]}”, which names no action", style="dim"))
    if outcome is not None:
        render.outcome(outcome, session.registry.spec(outcome.action), con)
    elif "run" in data:
        render.match(match, con)
        from intents.errors import IntentError

        err = IntentError(data["run"]["error"]["message"])
        err.exit_code = code
        error(err, False)
    else:
        render.match(match, con)
