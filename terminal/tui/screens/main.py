"""The main screen: results above, the live preview, the intent line at the bottom.

Flow: every keystroke resolves locally and previews (with a lock when the plan refuses the action);
Enter asks the missing slots inline one at a time (widgets/questions.py), asks confirmation for risky
actions, then runs the action in a thread worker (Escape cancels). Every request is read against the last
result of this TUI (a follow-up: "what about at 7%?"); ctrl+l starts a fresh context. A compound request
("X, then Y") runs one step at a time through the same path, each step through the gate
(terminal/tui/conversation.py keeps that state). Voice is its own widget
(widgets/voice.py); copying and exporting live beside the formatting (export.py). The resolver is used
only through its interface (`intents.resolver.Interactive`).
"""
from __future__ import annotations

import time
from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from terminal.tui.messages import (
    ChainRequested,
    Refined,
    RunFailed,
    RunFinished,
    RunRequested,
    UtteranceRequested,
    VoiceHeard,
    VoiceUnavailable,
)
from terminal.tui.widgets.intent_line import IntentLine
from terminal.tui.widgets.preview import MatchPreview
from terminal.tui.widgets.panels import DenialPanel, Notice
from terminal.tui.widgets.questions import Questions
from terminal.tui.widgets.title_bar import TitleBar

RISKY = ("writes-files", "destructive")


class ResultsArea(VerticalScroll):
    """Where results show. It never takes the focus (a click in it, say in a browser tab, must not take
    the typing away from the intent line): the keys scroll it from the line, the mouse wheel as ever."""

    can_focus = False


class MainScreen(Screen):
    BINDINGS = [
        Binding("escape", "cancel", "cancel", show=False),  # the preview, questions and spinners say "Esc cancels"
        Binding("ctrl+n", "next_alternative", "next alternative", show=False),
        # offered only while there is a last result to continue; named in the preview's hint and the
        # palette rather than the footer, which is full at 80 columns
        Binding("ctrl+l", "new_context", "fresh context", show=False),
        Binding("ctrl+y", "copy_result", "copy", show=False),
        Binding("ctrl+s", "export_result", "export", show=False),
        Binding("ctrl+o", "open_folder", "open folder", show=False),
        Binding("f1", "help", "help"),
        Binding("f2,ctrl+space,ctrl+at", "voice", "voice"),
        Binding("f3", "app.show_packs", "packs"),
        Binding("f4", "app.show_plan", "plan"),
        Binding("f5", "app.show_history", "history"),
        # The result scrolls from the keyboard while the intent line keeps the focus for typing: PgUp/PgDn
        # and the arrows (IntentLine's bindings), Home/End on an empty line, ctrl+home/ctrl+end always.
        Binding("ctrl+end", "scroll_results('end', 1)", "end of result", show=False),
        Binding("ctrl+home", "scroll_results('end', -1)", "top of result", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ready = False
        self.match = None  # the resolver's latest Match for the intent line's text
        self.alt_index = 0  # 0: the top match; n: the n-th alternative
        self.locks: dict[str, Any] = {}  # action id -> the NotEntitled its run would raise (preview, F1)
        self.run_id = 0
        self.running = False
        self.last = None  # (Outcome, ActionSpec) of the result on screen
        self.context = None  # the Turn (intents.conversation) the next request continues; None: fresh
        self.forgot = False  # ctrl+l was pressed: the hint says the context is fresh
        self.chain = None  # the compound request being run step by step (conversation.ChainRun)
        self._links: dict[str, Any] = {}  # follows/chain for the history row of the run being prepared
        self.preview_ms: list[float] = []  # keystroke -> preview updated (bench/tui_startup.py)
        self.paint_ms: list[float] = []  # keystroke -> the frame with the new preview painted

    @property
    def session(self):
        return self.app.session

    @property
    def resolver(self):
        from intents.resolver import interactive

        return interactive(self.session.resolver)

    @property
    def asking(self) -> Questions | None:
        """The questions being answered in the intent line (missing slots), or None: it takes requests."""
        questions = self.query(Questions)
        return questions.first() if questions and questions.first().active else None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield ResultsArea(id="results")
        with Vertical(id="bottom"):
            yield MatchPreview(id="preview")
            yield IntentLine(placeholder="say what you want…", id="intent")
        # Questions is mounted on the first question (ask), not in the first frame
        # The Footer comes with the frame after the first (add_footer): its styles and key widgets cost
        # ~50 ms of start-up here, and the first thing a person needs is the line to type in.

    def add_footer(self) -> None:
        if not self.query(Footer):
            self.mount(Footer(compact=True))
            # a Footer lists keys when the screen's bindings are next published: publish them once mounted
            self.call_after_refresh(self.refresh_bindings)

    def on_mount(self) -> None:
        self.query_one(MatchPreview).show_hint(self.context, fresh=self.forgot)
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
        plan, locks = self._plan_state()
        self.app.call_from_thread(self._ready, samples, plan, locks, (time.perf_counter() - started) * 1000)

    def _plan_state(self) -> tuple[str, dict[str, Any]]:
        """The title bar's plan line (marked when the licence is not in effect) and the locked actions."""
        from terminal.tui.locks import locked_actions, plan_line

        try:
            plan = plan_line(self.session.gate.summary())
        except Exception as exc:  # a broken store must not stop typing; the Plan screen shows the error
            plan = f"plan: unknown ({type(exc).__name__})"
        try:
            locks = locked_actions(self.session)
        except Exception:  # no locks shown beats no preview; the run itself reports the store's error
            locks = {}
        return plan, locks

    @work(thread=True, group="locks", exclusive=True, exit_on_error=False)
    def refresh_plan(self) -> None:
        """Again after a run (quota used) or back from another screen (a licence activated)."""
        plan, locks = self._plan_state()
        self.app.call_from_thread(self._plan_changed, plan, locks)

    def _plan_changed(self, plan: str, locks: dict[str, Any]) -> None:
        self.app.sub_title = plan
        self.locks = locks
        line = self.query_one(IntentLine)
        if self.ready and line.value.strip() and not self.asking:
            self._preview(line.value)

    def on_screen_resume(self) -> None:
        if self.ready:
            self.refresh_plan()

    def _ready(self, samples: list[str], plan: str, locks: dict[str, Any], ms: float) -> None:
        self.ready = True
        self.app.sub_title = plan
        self.locks = locks
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
            preview.show_hint(self.context, fresh=self.forgot)
            return
        if not self.ready:
            preview.show_loading()
            return
        self.match = self._resolve_local(text)
        self._show_match()

    def _show_match(self) -> None:
        match = self._current()
        preview = self.query_one(MatchPreview)
        if match.steps:
            preview.show_steps(match, self.session.specs, self.locks, context=self.context)
            return
        preview.show_match(match, self._spec(match.action), lock=self.locks.get(match.action), context=self.context)

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
        if match is None or self.alt_index == 0 or not match.alternatives or match.steps:
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
        if self.asking or not self.match or not self.match.alternatives or self.match.steps:
            self.notify("no alternatives for this text", severity="warning", timeout=2)
            return
        self.alt_index = (self.alt_index + 1) % (len(self.match.alternatives) + 1)
        self._show_match()

    # ---- Enter ----------------------------------------------------------------------------------
    @on(Input.Submitted, "#intent")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.asking:
            self.query_one(Questions).answer(event.value)
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
        # a follow-up or a compound request was read locally for sure; the LLM is for the unsure rest
        if self.alt_index == 0 and not match.steps and match.follows is None and self.resolver.wants_llm(match):
            self._refine(match, text)  # unsure locally: the LLM tier, in a worker
            return
        self._proceed(match, text)

    def _resolve_local(self, text: str):
        """The local tier only, read against the last result (a follow-up) and split when it is a
        compound request: milliseconds, so it can run on every keystroke."""
        return self.session.resolve(text, last=self.context, local_only=True)

    def _proceed(self, match, text: str) -> None:
        if match.steps:
            from terminal.tui.conversation import ChainRun

            self.chain = ChainRun.from_match(match)
            self._next_step()
            return
        if match.action is None:
            self._not_understood(match)
            return
        self.prepare(match.action, dict(match.slots), text, links={"follows": match.follows})

    def _refine(self, match, text: str) -> None:
        self.run_id += 1
        self.running = True
        self.show(_busy("asking the LLM tier… Esc cancels"))
        self.run_worker(partial(self._work_refine, self.run_id, match, text, self.context), thread=True,
                        group="run", exclusive=True, exit_on_error=False, name="refine")

    def _work_refine(self, run_id: int, match, text: str, context=None) -> None:
        try:
            # with a last result, the LLM is given the previous turn as context (the session does that)
            refined = self.session.resolve(text, last=context) if context is not None else self.resolver.refine(match)
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

    def prepare(self, action_id: str, values: dict[str, Any], text: str = "", links: dict | None = None,
                keep_chain: bool = False) -> None:
        """Ask what is missing, confirm if risky, then run. `links`: the history links of the run
        (`follows`, `chain`); `keep_chain`: this is the next step of the compound request being run."""
        if not keep_chain:
            self.chain = None
        self._links = dict(links or {})
        spec = self._spec(action_id)
        if spec is None:
            self._stop_chain(Notice(f"No installed action is called {action_id}", "F3 opens the Packs screen."))
            return
        values = {k: v for k, v in values.items() if spec.slot(k) is not None}
        missing = [n for n in spec.required if n not in values]
        if missing:
            self.ask(spec, values, missing, text)
            return
        self.confirm_and_run(spec, values, text)

    # ---- inline questions, one slot at a time (widgets/questions.py) ------------------------------
    def ask(self, spec, values, missing, text, error: str = "") -> None:
        if not self.query(Questions):
            self.mount(Questions())
        if not self.query_one(Questions).start(spec, values, missing, text, error):
            self.show(Notice(error or f"{spec.id} could not run", "Rephrase the request or press F1.", variant="warning"))

    @on(Questions.Asked)
    def _asked(self, message: Questions.Asked) -> None:
        slot = message.slot
        line = self.query_one(IntentLine)
        line.value = ""
        line.placeholder = f"{slot.ask()}  (Esc cancels)"
        if slot.choices:  # Tab completes one of the allowed values
            line.set_samples([str(c) for c in slot.choices])
        else:
            line.suggester = None
        chain = self.chain
        self.query_one(MatchPreview).show_question(message.spec, slot, message.step, message.total,
                                                   chain=chain.label() if chain is not None else "")
        if message.error:
            notice = Notice(message.error, "Answer again below.", variant="warning")
            if chain is not None and chain.done:
                self._show_chain(notice)  # the steps that ran stay in view
            else:
                self.show(notice)

    @on(Questions.Answered)
    def _answered(self, message: Questions.Answered) -> None:
        self._end_asking()
        self.confirm_and_run(message.spec, message.values, message.text)

    @on(Questions.Cancelled)
    def _asking_cancelled(self, message: Questions.Cancelled) -> None:
        chain = self.chain
        self._end_asking(restore=chain.text if chain else message.text)
        if chain is not None and chain.done:
            self._stop_chain(Notice(f"Cancelled at {chain.label()}", "No answer given; the steps before it ran.",
                                    variant="info"))
            return
        self.chain = None
        self.show(Notice("Cancelled", "No answer given; nothing was run.", variant="info"))

    def _end_asking(self, restore: str = "") -> None:
        for questions in self.query(Questions):
            questions.stop()
        line = self.query_one(IntentLine)
        line.placeholder = "say what you want…"
        line.set_samples([s for spec in self.session.registry.actions() for s in spec.samples])
        line.value = restore
        if not restore:
            self.query_one(MatchPreview).show_hint(self.context, fresh=self.forgot)

    # ---- running ---------------------------------------------------------------------------------
    def confirm_and_run(self, spec, values, text) -> None:
        if spec.risk.value in RISKY:
            denied = self._denied(spec)
            if denied is not None:  # no point confirming what the plan refuses anyway
                self._stop_chain(DenialPanel(denied, step=f"{self.chain.label()}: " if self.chain else ""))
                return
            from terminal.tui.screens.confirm import ConfirmScreen

            self.app.push_screen(ConfirmScreen.for_action(spec, values, out_dir=self._documents()),
                                 callback=lambda ok: self.run(spec, values, text) if ok else self._declined(spec))
            return
        self.run(spec, values, text)

    def _denied(self, spec):
        """The NotEntitled dispatch would raise for this action, checked without consuming anything."""
        try:
            return self.session.dispatcher.refusal(spec.id)
        except Exception:  # the run itself will report a store problem properly
            return None

    def _declined(self, spec) -> None:
        notice = Notice(f"Not run: {spec.title}", "You declined the confirmation.", variant="info")
        if self.chain is not None:
            notice = Notice(f"Not run: {self.chain.label()}", "You declined the confirmation; the rest of the "
                            "request stopped here.", variant="info")
        self._stop_chain(notice)

    def run(self, spec, values, text) -> None:
        self.run_id += 1
        self.running = True
        if self.chain is not None:
            self._show_chain(_busy(f"running {self.chain.label()}… Esc cancels"))
        else:
            self.show(_busy(f"running {spec.id}… Esc cancels"))
        self.run_worker(partial(self._work, self.run_id, spec, dict(values), text, dict(self._links)), thread=True,
                        group="run", exclusive=True, exit_on_error=False, name=f"run {spec.id}")

    def _work(self, run_id: int, spec, values, text, links: dict | None = None) -> None:
        links = links or {}
        try:
            outcome = self.session.dispatcher.run_action(spec.id, values, text=text or None, source="tui",
                                                         follows=links.get("follows"), chain=links.get("chain"))
        except Exception as exc:  # every failure becomes a panel, never a traceback
            self.post_message(RunFailed(run_id, exc, spec.id, values, text))
        else:
            self.post_message(RunFinished(run_id, outcome, spec, text))

    @on(RunFinished)
    def _finished(self, message: RunFinished) -> None:
        if message.run_id != self.run_id:
            return  # cancelled: its late answer is dropped
        from terminal.tui.conversation import turn_of

        self.running = False
        self.last = (message.outcome, message.spec)
        turn = turn_of(message.outcome, message.text)
        if turn is not None:
            self.context = turn  # the next request continues this result (ctrl+l starts fresh)
        if message.spec.metered:
            self.refresh_plan()  # a use of the quota may have locked it
        chain = self.chain
        if chain is not None:
            if turn is not None and chain.done:  # "and 15 years" after the chain may change an earlier step
                turn.earlier = [t for t in (turn_of(o) for o, _ in chain.done) if t is not None]
            chain.finish_step(message.outcome, message.spec)
            if not chain.finished:
                self._next_step()
                return
        self.query_one(IntentLine).value = ""
        if not self.asking:
            self.query_one(MatchPreview).show_hint(self.context, fresh=self.forgot)
        self.call_after_refresh(self.refresh_bindings)  # "ctrl+l fresh context" now applies
        from terminal.tui.widgets.result_view import ResultView  # Markdown/DataTable load on first result

        if chain is not None:
            self._show_chain()
            self.chain = None
        else:
            self.show(ResultView(message.outcome, message.spec, locks=self.locks, classes="result"))
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
        # in a compound request a refused or failed step stops the rest, and says which step it was
        step = f"{self.chain.label()}: " if self.chain is not None else ""
        if isinstance(err, MissingParameters) and spec is not None:
            self.ask(spec, message.values, err.extra.get("missing") or [], message.text)
        elif isinstance(err, NotEntitled):
            self._stop_chain(DenialPanel(err, step=step))
        elif isinstance(err, BadParameters) and spec is not None and spec.slot(_slot_name(err)):
            param = _slot_name(err)
            values = {k: v for k, v in message.values.items() if k != param}
            self.ask(spec, values, [param], message.text, error=_bad_value(spec.slot(param), err, message.values))
        elif isinstance(err, IntentError):
            self._stop_chain(Notice(f"{step}{err.kind.replace('_', ' ')}: {err.message}", variant="error"))
        else:
            self._stop_chain(Notice(f"{step}Unexpected error: {type(err).__name__}: {err}", variant="error"))

    # ---- compound requests: one step at a time, each through the same path as a single request -------
    def _next_step(self) -> None:
        chain = self.chain
        try:
            action, values, follows = chain.current(self.session.specs,
                                                    getattr(self.session.local_tier, "lexicon", None))
        except Exception as exc:  # a step the core cannot read against the one before: stop, say which
            self._stop_chain(Notice(f"{chain.label()} could not start: {_reason(exc)}", variant="error"))
            return
        self.prepare(action, values, chain.text, links={"follows": follows, "chain": chain.chain}, keep_chain=True)

    def _show_chain(self, tail=None) -> None:
        """The steps run so far, each with its result, and `tail` (a spinner, the refusal) below them."""
        from terminal.tui.widgets.result_view import ResultView, StepResults

        chain = self.chain
        parts = []
        for n, (outcome, spec) in enumerate(chain.done):
            parts.append(Static(f"step {n + 1} of {chain.total} · {spec.id} · done", classes="step-title"))
            parts.append(ResultView(outcome, spec, locks=self.locks, classes="result"))
        if tail is not None:
            parts.append(tail)
        self.show(StepResults(*parts))

    def _stop_chain(self, panel) -> None:
        """Show `panel` (below the steps that ran, in a compound request) and run no further step."""
        if self.chain is not None and self.chain.done:
            self._show_chain(panel)
        else:
            self.show(panel)
        self.chain = None

    @on(ChainRequested)
    def _chain_requested(self, message: ChainRequested) -> None:
        """Re-run a compound request from history: its recorded steps in order."""
        if self.running:
            self.notify("still running the last request (Esc cancels it)", severity="warning")
            return
        if self.asking:
            self._end_asking()
        from terminal.tui.conversation import ChainRun

        chain = ChainRun.from_history(message.rows)
        if not chain.steps:
            return
        self.chain = chain
        self._next_step()

    def action_new_context(self) -> None:
        """Forget the last result: the next request starts from nothing, as in a fresh terminal."""
        self.context = None
        self.forgot = True  # the hint says "fresh context" from now on, until a result is continued again
        self.notify("fresh context: the next request starts from nothing", timeout=3)
        line = self.query_one(IntentLine)
        if self.ready and not self.asking:
            self._preview(line.value)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "new_context":
            return self.context is not None
        return super().check_action(action, parameters)

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
            if self.chain is not None and self.chain.done:
                self._stop_chain(Notice(f"Cancelled at {self.chain.label()}",
                                        "It was stopped; the steps before it ran.", variant="info"))
                return
            self.chain = None
            self.show(Notice("Cancelled", "The request was stopped; nothing was shown from it.", variant="info"))
        elif self.asking:
            self.asking.cancel()  # posts Questions.Cancelled: the request goes back in the line
        elif self.query("VoiceInput"):
            self.query("VoiceInput").remove()
            self.running = False
            self.show(Notice("Cancelled", "Stopped listening.", variant="info"))
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
        self.call_after_refresh(self.refresh_bindings)  # "PgUp/PgDn scroll result" when it overflows

    def action_scroll_results(self, how: str, direction: int) -> None:
        """Scroll the result while the intent line keeps the focus (no mouse, no focus change needed).

        A long table is as tall as the results area (ResultView.fit_tables) and scrolls inside it, with
        its header in view: scrolling down, the area brings the table's top to the top, then the table
        scrolls to its last row, then the area goes on to what is below it; scrolling up the reverse."""
        from textual.widgets import DataTable

        area = self.query_one("#results", VerticalScroll)
        table = next((t for t in area.query(DataTable) if t.max_scroll_y > 0), None)
        if how == "end":
            for view in filter(None, (table, area)):
                (view.scroll_end if direction > 0 else view.scroll_home)(animate=False, immediate=True)
            return
        page = how == "page"

        def step(view) -> int:
            return max(1, view.scrollable_content_region.height - 1) if page else 1

        def move(view, y: float) -> None:
            view.scroll_to(y=max(0, min(view.max_scroll_y, y)), animate=False, immediate=True)

        if table is None:
            move(area, area.scroll_y + direction * step(area))
            return
        top = table.region.y - area.scrollable_content_region.y + area.scroll_y  # the table's place in the area
        if direction > 0:
            if area.scroll_y < top:
                move(area, min(top, area.scroll_y + step(area)))
            elif table.scroll_y < table.max_scroll_y:
                move(table, table.scroll_y + step(table))
            else:
                move(area, area.scroll_y + step(area))
        else:
            if area.scroll_y > top:
                move(area, max(top, area.scroll_y - step(area)))
            elif table.scroll_y > 0:
                move(table, table.scroll_y - step(table))
            else:
                move(area, area.scroll_y - step(area))

    def on_resize(self) -> None:
        for view in self.query("ResultView"):
            view.fit_tables()

    @property
    def can_scroll_results(self) -> bool:
        from textual.widgets import DataTable

        results = self.query_one("#results", VerticalScroll)
        return results.max_scroll_y > 0 or any(t.max_scroll_y > 0 for t in results.query(DataTable))

    def action_help(self) -> None:
        self.prepare("system.help", {}, "help")

    # ---- what leaves the terminal: clipboard, exports, the folder of a written file (export.py) ---
    def _documents(self):
        return self.session.dispatcher.context.out_dir

    def action_copy_result(self) -> None:
        if not self.last:
            self.notify("nothing to copy yet", severity="warning", timeout=2)
            return
        from terminal.tui.export import copy_text
        from terminal.tui.format import as_text

        outcome, spec = self.last
        text = as_text(outcome.to_json(), spec.title)
        self.app.copy_to_clipboard(text)  # OSC 52 as well: it reaches the clipboard where the terminal allows
        self.copied = copy_text(text, self._documents())
        self.notify(self.copied.message + ("" if self.copied.ok else " (also sent as OSC 52)"),
                    severity="information" if self.copied.ok else "warning", timeout=6)

    def action_export_result(self) -> None:
        if not self.last:
            self.notify("nothing to export yet", severity="warning", timeout=2)
            return
        from terminal.tui.export import export_charts, export_result

        outcome, spec = self.last
        output_path = self.session.dispatcher.context.output_path
        try:
            json_path, csv_path = export_result(outcome.to_json(), spec.render.table, output_path)
            images = export_charts(outcome.to_json(), spec.render.charts, output_path)
        except OSError as exc:
            self.notify(f"export failed: {exc}", severity="error")
            return
        self.exported = (json_path, csv_path, *images)
        names = [csv_path.name, json_path.name, *(p.name for p in images)]
        self.notify(f"exported {', '.join(names[:-1])} and {names[-1]} to {csv_path.parent}", timeout=5)

    def action_open_folder(self) -> None:
        """Open the folder of the file the result wrote (else the documents folder)."""
        from terminal.tui.export import open_folder, written_files

        files = written_files(self.last[0].result) if self.last else []
        folder = files[0].parent if files else self._documents()
        self.notify(open_folder(folder), timeout=5)

    # ---- voice (widgets/voice.py) -----------------------------------------------------------------
    def action_voice(self) -> None:
        if self.running:
            return
        from terminal.tui.widgets.voice import VoiceInput

        self.run_id += 1
        self.running = True
        self.show(VoiceInput(registry=self.session.registry))

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


def _busy(label: str) -> Vertical:
    """A spinner with what is going on under it."""
    from textual.widgets import LoadingIndicator

    return Vertical(LoadingIndicator(), Static(label, classes="busy-label"), classes="busy")


def _slot_name(err) -> str:
    """The slot a BadParameters error is about ("cash_flows.2" is about cash_flows)."""
    return str(err.extra.get("param") or "").split(".", 1)[0]


def _bad_value(slot, err, values: dict[str, Any]) -> str:
    """One sentence for a value the action refused: what the slot takes (pydantic's wording says the
    same thing less plainly), or the action's own reason without the parameter's name twice."""
    from intents.resolver.answers import wrong

    if err.extra.get("errors"):  # the parameters model refused it: a type or a bound
        return wrong(slot, values.get(slot.name, ""))
    message = err.message
    prefix = f"{slot.name}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _reason(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__
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
