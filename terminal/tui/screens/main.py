"""The main screen: results above, the live preview, the intent line at the bottom.

Flow: every keystroke resolves locally and previews; Enter asks the missing slots inline one at a time,
asks confirmation for risky actions, then runs the action in a thread worker (Escape cancels).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from terminal.tui.format import parse_answer
from terminal.tui.messages import (
    Refined,
    RunFailed,
    RunFinished,
    RunRequested,
    UtteranceRequested,
    VoiceHeard,
    VoiceLevel,
    VoiceUnavailable,
)
from terminal.tui.widgets.intent_line import IntentLine
from terminal.tui.widgets.preview import MatchPreview
from terminal.tui.widgets.panels import DenialPanel, Notice
from terminal.tui.widgets.title_bar import TitleBar

RISKY = ("writes-files", "destructive")


@dataclass
class Asking:
    """An action waiting for answers to its missing slots, asked one field at a time."""

    spec: Any
    values: dict[str, Any]
    missing: list[str]
    text: str
    total: int = 0
    error: str = ""


class MainScreen(Screen):
    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        Binding("ctrl+n", "next_alternative", "next alternative", show=False),
        Binding("ctrl+y", "copy_result", "copy", show=False),
        Binding("ctrl+s", "export_result", "export", show=False),
        Binding("f1", "help", "help"),
        Binding("f2,ctrl+space,ctrl+at", "voice", "voice"),
        Binding("f3", "app.show_packs", "packs"),
        Binding("f4", "app.show_plan", "plan"),
        Binding("f5", "app.show_history", "history"),
        Binding("pageup", "scroll_results(-1)", "scroll up", show=False),
        Binding("pagedown", "scroll_results(1)", "scroll down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ready = False
        self.match = None  # the resolver's latest Match for the intent line's text
        self.alt_index = 0  # 0: the top match; n: the n-th alternative
        self.asking: Asking | None = None
        self.run_id = 0
        self.running = False
        self.last = None  # (Outcome, ActionSpec) of the result on screen
        self.preview_ms: list[float] = []  # keystroke -> preview updated (bench/tui_startup.py)
        self.paint_ms: list[float] = []  # keystroke -> the frame with the new preview painted

    @property
    def session(self):
        return self.app.session

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield VerticalScroll(id="results")
        with Vertical(id="bottom"):
            yield MatchPreview(id="preview")
            yield IntentLine(placeholder="say what you want…", id="intent")
        # The Footer comes with the frame after the first (add_footer): its styles and key widgets cost
        # ~50 ms of start-up here, and the first thing a person needs is the line to type in.

    def add_footer(self) -> None:
        if not self.query(Footer):
            self.mount(Footer(compact=True))
            # a Footer lists keys when the screen's bindings are next published: publish them once mounted
            self.call_after_refresh(self.refresh_bindings)

    def on_mount(self) -> None:
        self.query_one(MatchPreview).show_hint()
        line = self.query_one(IntentLine)
        line.on_edit = self._edited
        line.cursor_blink = not self.app.is_headless  # headless (tests, screenshots): a steady cursor
        line.focus()

    # ---- start-up: registry, resolver index and plan load off the UI thread ---------------------
    @work(thread=True, group="warm", exit_on_error=False)
    def warm_up(self) -> None:
        started = time.perf_counter()
        session = self.session
        try:
            samples = [s for spec in session.registry.actions() for s in spec.samples]
            session.resolver  # noqa: B018  (builds the index now rather than on the first keystroke)
        except Exception as exc:  # a damaged cache or store: say so instead of "loading" forever
            self.app.call_from_thread(self.show, Notice(f"Could not load the installed packs: {_reason(exc)}",
                                                        "Check INTENT_HOME, then restart (ctrl+q)."))
            return
        try:
            plan = session.gate.summary().get("plan", "?")
        except Exception as exc:  # a broken store must not stop typing; the Plan screen shows the error
            plan = f"unknown ({type(exc).__name__})"
        self.app.call_from_thread(self._ready, samples, plan, (time.perf_counter() - started) * 1000)

    def _ready(self, samples: list[str], plan: str, ms: float) -> None:
        self.ready = True
        self.app.sub_title = f"plan: {plan}"
        self.app.log_timing("warm-up (registry, resolver, plan)", ms)
        line = self.query_one(IntentLine)
        line.set_samples(samples)
        if line.value.strip() and not self.asking:
            self._preview(line.value)

    def refresh_catalog(self) -> None:
        """Packs changed: rebuild the resolver and completions over the new set of installed actions."""
        self.session.reload(registry=False)  # the catalog key changed: rebuild the resolver
        self.ready = False
        self.warm_up()

    # ---- live preview ---------------------------------------------------------------------------
    def _edited(self, value: str) -> None:
        """The intent line's text changed (IntentLine.on_edit): preview it now, within the keystroke."""
        if self.asking:
            return
        self.alt_index = 0
        self._preview(value)
        line = self.query_one(IntentLine)
        if line.key_time is not None:
            key_time, line.key_time = line.key_time, None
            self.preview_ms.append((time.monotonic() - key_time) * 1000)
            self.call_after_refresh(lambda: self.paint_ms.append((time.monotonic() - key_time) * 1000))

    def _preview(self, text: str) -> None:
        preview = self.query_one(MatchPreview)
        if not text.strip():
            self.match = None
            preview.show_hint()
            return
        if not self.ready:
            preview.show_loading()
            return
        self.match = self._resolve_local(text)
        match = self._current()
        preview.show_match(match, self._spec(match.action))

    def _spec(self, action_id: str | None):
        if not action_id:
            return None
        try:
            return self.session.registry.spec(action_id)
        except Exception:
            return None

    def _current(self):
        """The match as the person sees it: the top one, or the alternative picked with ctrl+n."""
        match = self.match
        if match is None or self.alt_index == 0 or not match.alternatives:
            return match
        alt = match.alternatives[(self.alt_index - 1) % len(match.alternatives)]
        spec_from, spec_to = self._spec(match.action), self._spec(alt.action)
        slots = _carry_slots(match.slots, spec_from, spec_to)
        others = [a for a in match.alternatives if a.action != alt.action]
        from intents.resolver import Alternative

        others.insert(0, Alternative(action=match.action, confidence=match.confidence))
        return match.model_copy(update={
            "action": alt.action, "confidence": alt.confidence, "slots": slots, "alternatives": others,
            "missing": [n for n in (spec_to.required if spec_to else []) if n not in slots],
        })

    def action_next_alternative(self) -> None:
        if self.asking or not self.match or not self.match.alternatives:
            self.notify("no alternatives for this text", severity="warning", timeout=2)
            return
        self.alt_index = (self.alt_index + 1) % (len(self.match.alternatives) + 1)
        match = self._current()
        self.query_one(MatchPreview).show_match(match, self._spec(match.action))

    # ---- Enter ----------------------------------------------------------------------------------
    @on(Input.Submitted, "#intent")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.asking:
            self._answer(event.value)
            return
        text = event.value.strip()
        if not text:
            return
        if self.running:
            self.notify("still running the last request (Esc cancels it)", severity="warning", timeout=2)
            return
        if not self.ready:
            self.notify("still loading the installed packs…", timeout=2)
            return
        if self.match is None or self.match.text != event.value:
            self.match = self._resolve_local(event.value)
        match = self._current()
        resolver = self.session.resolver
        if self.alt_index == 0 and hasattr(resolver, "wants_llm") and resolver.wants_llm(match):
            self._refine(match, text)  # unsure locally: the LLM tier, in a worker
            return
        self._proceed(match, text)

    def _resolve_local(self, text: str):
        """The local tier only: milliseconds, so it can run on every keystroke."""
        resolver = self.session.resolver
        return getattr(resolver, "resolve_local", resolver.resolve)(text)

    def _proceed(self, match, text: str) -> None:
        if match.action is None:
            self._not_understood(match)
            return
        self.prepare(match.action, dict(match.slots), text)

    def _refine(self, match, text: str) -> None:
        self.run_id += 1
        self.running = True
        self.show(_busy("asking the LLM tier… Esc cancels"))
        self.run_worker(partial(self._work_refine, self.run_id, match, text), thread=True, group="run",
                        exclusive=True, exit_on_error=False, name="refine")

    def _work_refine(self, run_id: int, match, text: str) -> None:
        try:
            refined = self.session.resolver.refine(match)
        except Exception as exc:  # refine promises not to raise; a broken tier still must not crash us
            refined = match.model_copy(update={"notice": f"LLM tier failed: {type(exc).__name__}"})
        self.post_message(Refined(run_id, refined, text))

    @on(Refined)
    def _refined(self, message: Refined) -> None:
        if message.run_id != self.run_id:
            return
        self.running = False
        self.query_one("#results", VerticalScroll).remove_children()
        match = message.match
        if getattr(match, "notice", None):
            self.notify(match.notice, severity="warning", timeout=5)
        self.match = match
        self._proceed(match, message.text)

    def _not_understood(self, match) -> None:
        from intents.errors import NotUnderstood

        try:  # dispatch records the miss in history, like the CLI does
            self.session.dispatcher.run_match(match, source="tui")
        except NotUnderstood:
            pass
        except Exception:  # history trouble must not hide the answer
            pass
        alts = ", ".join(a.action for a in match.alternatives[:3])
        body = f"closest: {alts}\n" if alts else ""
        self.show(Notice(f"Not understood: “{match.text[:120]}”",
                         body + "No installed action fits. Rephrase, press F1 for what you can ask, or F3 for packs.",
                         variant="warning"))

    def prepare(self, action_id: str, values: dict[str, Any], text: str = "") -> None:
        """Ask what is missing, confirm if risky, then run."""
        spec = self._spec(action_id)
        if spec is None:
            self.show(Notice(f"No installed action is called {action_id}", "F3 opens the Packs screen."))
            return
        values = {k: v for k, v in values.items() if spec.slot(k) is not None}
        missing = [n for n in spec.required if n not in values]
        if missing:
            self.ask(spec, values, missing, text)
            return
        self.confirm_and_run(spec, values, text)

    # ---- inline questions, one slot at a time ---------------------------------------------------
    def ask(self, spec, values, missing, text, error: str = "") -> None:
        missing = [m for m in missing if spec.slot(m) is not None]
        if not missing:
            self.show(Notice(error or f"{spec.id} could not run", "Rephrase the request or press F1.", variant="warning"))
            return
        self.asking = Asking(spec, values, list(missing), text, total=len(missing), error=error)
        self._ask_next()

    def _ask_next(self) -> None:
        state = self.asking
        slot = state.spec.slot(state.missing[0])
        line = self.query_one(IntentLine)
        line.value = ""
        line.placeholder = f"{slot.ask()}  (Esc cancels)"
        if slot.choices:  # Tab completes one of the allowed values
            line.set_samples([str(c) for c in slot.choices])
        else:
            line.suggester = None
        step = state.total - len(state.missing) + 1
        self.query_one(MatchPreview).show_question(state.spec, slot, step, state.total)
        if state.error:
            self.show(Notice(state.error, "Answer again below.", variant="warning"))
            state.error = ""

    def _answer(self, raw: str) -> None:
        state = self.asking
        slot = state.spec.slot(state.missing[0])
        value = parse_answer(slot, raw)
        if value is None or value == []:
            self.notify(f"{slot.name} is needed; type an answer or press Esc", severity="warning", timeout=3)
            return
        state.values[slot.name] = value
        state.missing.pop(0)
        if state.missing:
            self._ask_next()
            return
        self._end_asking()
        self.confirm_and_run(state.spec, state.values, state.text)

    def _end_asking(self, restore: str = "") -> None:
        self.asking = None
        line = self.query_one(IntentLine)
        line.placeholder = "say what you want…"
        line.set_samples([s for spec in self.session.registry.actions() for s in spec.samples])
        line.value = restore
        if not restore:
            self.query_one(MatchPreview).show_hint()

    # ---- running ---------------------------------------------------------------------------------
    def confirm_and_run(self, spec, values, text) -> None:
        if spec.risk.value in RISKY:
            denied = self._denied(spec)
            if denied is not None:  # no point confirming what the plan refuses anyway
                self.show(DenialPanel(denied))
                return
            from terminal.tui.screens.confirm import ConfirmScreen

            self.app.push_screen(ConfirmScreen.for_action(spec, values),
                                 callback=lambda ok: self.run(spec, values, text) if ok else self._declined(spec))
            return
        self.run(spec, values, text)

    def _denied(self, spec):
        """The NotEntitled dispatch would raise for this action, checked without consuming anything."""
        from intents.errors import NotEntitled

        try:
            # from the pack's code, like the dispatcher's gate: the cached spec is the user's to edit
            for feature in self.session.registry.gate_features(spec.id):
                decision = self.session.gate.check(feature, 1)
                if not decision.allowed:
                    return NotEntitled.from_decision(decision, feature)
        except Exception:  # the run itself will report a store problem properly
            return None
        return None

    def _declined(self, spec) -> None:
        self.show(Notice(f"Not run: {spec.title}", "You declined the confirmation.", variant="info"))

    def run(self, spec, values, text) -> None:
        self.run_id += 1
        self.running = True
        self.show(_busy(f"running {spec.id}… Esc cancels"))
        self.run_worker(partial(self._work, self.run_id, spec, dict(values), text), thread=True, group="run",
                        exclusive=True, exit_on_error=False, name=f"run {spec.id}")

    def _work(self, run_id: int, spec, values, text) -> None:
        try:
            outcome = self.session.dispatcher.run_action(spec.id, values, text=text or None, source="tui")
        except Exception as exc:  # every failure becomes a panel, never a traceback
            self.post_message(RunFailed(run_id, exc, spec.id, values, text))
        else:
            self.post_message(RunFinished(run_id, outcome, spec))

    @on(RunFinished)
    def _finished(self, message: RunFinished) -> None:
        if message.run_id != self.run_id:
            return  # cancelled: its late answer is dropped
        self.running = False
        self.last = (message.outcome, message.spec)
        self.query_one(IntentLine).value = ""
        from terminal.tui.widgets.result_view import ResultView  # Markdown/DataTable load on first result

        self.show(ResultView(message.outcome, message.spec, classes="result"))
        if message.spec.id in ("system.install_pack", "system.remove_pack"):
            self.refresh_catalog()

    @on(RunFailed)
    def _failed(self, message: RunFailed) -> None:
        if message.run_id != self.run_id:
            return
        self.running = False
        from intents.errors import BadParameters, IntentError, MissingParameters, NotEntitled

        err = message.error
        spec = self._spec(message.action)
        if isinstance(err, MissingParameters) and spec is not None:
            self.ask(spec, message.values, err.extra.get("missing") or [], message.text)
        elif isinstance(err, NotEntitled):
            self.show(DenialPanel(err))
        elif isinstance(err, BadParameters) and spec is not None and spec.slot(_slot_name(err)):
            param = _slot_name(err)
            values = {k: v for k, v in message.values.items() if k != param}
            self.ask(spec, values, [param], message.text, error=f"{param}: {err.message}")
        elif isinstance(err, IntentError):
            self.show(Notice(f"{err.kind.replace('_', ' ')}: {err.message}", variant="error"))
        else:
            self.show(Notice(f"Unexpected error: {type(err).__name__}: {err}", variant="error"))

    @on(RunRequested)
    def _run_requested(self, message: RunRequested) -> None:
        if self.running:
            self.notify("still running the last request (Esc cancels it)", severity="warning")
            return
        if self.asking:
            self._end_asking()
        self.prepare(message.action, dict(message.values), message.text)

    @on(UtteranceRequested)
    def _utterance(self, message: UtteranceRequested) -> None:
        if self.asking:
            self._end_asking()
        line = self.query_one(IntentLine)
        line.value = message.text
        line.cursor_position = len(message.text)
        line.focus()
        if message.run:
            line.action_submit()

    def action_cancel(self) -> None:
        if self.running:
            self.run_id += 1  # the worker's result, if it ever comes, no longer matches
            self.running = False
            self.workers.cancel_group(self, "run")
            self.show(Notice("Cancelled", "The request was stopped; nothing was shown from it.", variant="info"))
        elif self.asking:
            text = self.asking.text
            self._end_asking(restore=text)
            self.show(Notice("Cancelled", "No answer given; nothing was run.", variant="info"))
        else:
            line = self.query_one(IntentLine)
            line.value = ""
            line.focus()  # Escape also brings the focus back from a result table

    # ---- results area ----------------------------------------------------------------------------
    def show(self, widget) -> None:
        results = self.query_one("#results", VerticalScroll)
        results.remove_children()
        results.mount(widget)
        results.scroll_home(animate=False)

    def action_scroll_results(self, direction: int) -> None:
        """Page the results while the intent line keeps the focus (no mouse needed)."""
        results = self.query_one("#results", VerticalScroll)
        (results.scroll_page_down if direction > 0 else results.scroll_page_up)(animate=False)

    def action_help(self) -> None:
        self.prepare("system.help", {}, "help")

    def action_copy_result(self) -> None:
        if not self.last:
            self.notify("nothing to copy yet", severity="warning", timeout=2)
            return
        from terminal.tui.format import as_text

        outcome, spec = self.last
        self.app.copy_to_clipboard(as_text(outcome.to_json(), spec.title))
        self.notify("result copied to the clipboard (OSC 52)", timeout=2)

    def action_export_result(self) -> None:
        if not self.last:
            self.notify("nothing to export yet", severity="warning", timeout=2)
            return
        from terminal.tui.format import as_csv

        outcome, spec = self.last
        data = outcome.to_json()
        try:
            ctx = self.session.dispatcher.context
            stem = spec.id.replace(".", "-")
            json_path = ctx.output_path(f"{stem}.json")
            import json

            json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
            csv_path = ctx.output_path(f"{stem}.csv")
            csv_path.write_text(as_csv(data, spec.render.table))
        except OSError as exc:
            self.notify(f"export failed: {exc}", severity="error")
            return
        self.exported = (json_path, csv_path)
        self.notify(f"exported {csv_path.name} and {json_path.name} to {csv_path.parent}", timeout=4)

    # ---- voice -----------------------------------------------------------------------------------
    def action_voice(self) -> None:
        if self.running:
            return
        self.run_id += 1
        self.running = True
        self.show(_busy("listening… speak your request · Esc cancels", label_id="voice-level"))
        self.run_worker(partial(self._listen, self.run_id), thread=True, group="run", exclusive=True,
                        exit_on_error=False, name="voice")

    def _listen(self, run_id: int) -> None:
        def level(value: float) -> None:  # called from the recording thread
            if run_id == self.run_id:
                self.post_message(VoiceLevel(max(0.0, min(1.0, float(value)))))

        try:
            from terminal.voice.capture import transcribe_microphone  # speech libraries load only here

            heard = transcribe_microphone(on_level=level, registry=self.session.registry)
            text = getattr(heard, "normalized", "") or getattr(heard, "text", heard)
            if not isinstance(text, str) or not text.strip():
                raise LookupError("nothing was heard")
        except BaseException as exc:  # no module, no microphone, no audio backend: say so, never crash
            if run_id == self.run_id:
                self.post_message(VoiceUnavailable(_reason(exc), heard_nothing=_is_no_speech(exc)))
            return
        if run_id == self.run_id:
            self.post_message(VoiceHeard(text.strip(), engine=str(getattr(heard, "engine", ""))))

    @on(VoiceLevel)
    def _voice_level(self, message: VoiceLevel) -> None:
        meter = "▮" * round(message.level * 20)
        for label_widget in self.query("#voice-level"):
            label_widget.update(f"listening… {meter:<20} · Esc cancels")

    @on(VoiceUnavailable)
    def _voice_unavailable(self, message: VoiceUnavailable) -> None:
        self.running = False
        if message.heard_nothing:
            self.show(Notice(f"Nothing was heard: {message.reason}", "Press F2 to try again, or type.",
                             variant="warning"))
            return
        self.show(Notice(f"voice not available on this machine: {message.reason}",
                         "Type your request instead.", variant="warning"))

    @on(VoiceHeard)
    def _voice_heard(self, message: VoiceHeard) -> None:
        self.running = False
        self.query_one("#results", VerticalScroll).remove_children()
        self.notify(f"heard ({message.engine or 'voice'}): check or edit it, then Enter", timeout=4)
        self.post_message(UtteranceRequested(message.text))


def _busy(label: str, label_id: str | None = None) -> Vertical:
    """A spinner with what is going on under it."""
    from textual.widgets import LoadingIndicator

    return Vertical(LoadingIndicator(), Static(label, id=label_id, classes="busy-label"), classes="busy")


def _slot_name(err) -> str:
    """The slot a BadParameters error is about ("cash_flows.2" is about cash_flows)."""
    return str(err.extra.get("param") or "").split(".", 1)[0]


def _reason(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__


def _is_no_speech(exc: BaseException) -> bool:
    return type(exc).__name__ == "NoSpeech" or isinstance(exc, LookupError)


def _carry_slots(slots: dict[str, Any], spec_from, spec_to) -> dict[str, Any]:
    """Keep the values already understood when the person picks another action: by name, else by kind."""
    if spec_to is None:
        return {}
    out = {k: v for k, v in slots.items() if spec_to.slot(k) is not None}
    if spec_from is None:
        return out
    kinds = {}
    for slot in spec_to.slots:
        kinds.setdefault(slot.kind, []).append(slot.name)
    for name, value in slots.items():
        if name in out:
            continue
        src = spec_from.slot(name)
        targets = [t for t in kinds.get(src.kind if src else None, []) if t not in out]
        if src is not None and src.kind and len(targets) == 1:
            out[targets[0]] = value
    return out
