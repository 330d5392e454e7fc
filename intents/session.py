"""A Session ties the parts together for a front end: registry, resolver, gate, history, dispatcher.

Each part is built on first use, so `intent resolve` never opens the store and `intent do` never
builds the resolver index.
"""
from __future__ import annotations

import dataclasses
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intents import paths

if TYPE_CHECKING:  # a type only: `intent do` never imports the resolver
    from intents.resolver import Match


class Session:
    def __init__(self, home: Path | None = None, out_dir: Path | None = None, mode: str = "auto") -> None:
        self.home = home or paths.home()
        self.out_dir = out_dir
        self.mode = mode  # resolver tiers: auto (local, then LLM when unsure), local, llm

    @cached_property
    def registry(self):
        from intents.registry import Registry

        return Registry.load(self.home)

    @cached_property
    def resolver(self):
        from intents.resolver import local_resolver

        local = local_resolver(self.registry)
        if self.mode == "local":
            return local
        from intents.resolver.cascade import cascade_for

        return cascade_for(self, local)  # the local resolver itself unless an LLM is configured and entitled

    @cached_property
    def specs(self) -> dict:
        """Action id -> spec of every installed action (for reading follow-ups)."""
        return {a.id: a for a in self.registry.actions()}

    @cached_property
    def gate(self):
        from entitlements import open_gate

        return open_gate(self.home)

    @cached_property
    def history(self):
        from intents.history import History

        return History(self.home)

    @cached_property
    def dispatcher(self):
        from intents.dispatch import Dispatcher
        from intents.sdk import ActionContext

        # Files go to one place: --out DIR when given, else documents/ under the data dir (never the cwd)
        ctx = ActionContext(home=self.home, out_dir=Path(self.out_dir or paths.documents_dir(self.home)))
        # The system pack's actions get these by name (intents.system_pack.SystemContext); no other pack does.
        services = {"registry": lambda: self.registry, "gate": lambda: self.gate,
                    "history": lambda: self.history, "session": lambda: self}
        return Dispatcher(self.registry, self.gate, self.history, ctx, system_services=services)

    def reload(self, registry: bool = True) -> None:
        """Forget what was built from the installed packs (after an install or removal); the next use
        rebuilds it. With registry=False only the resolver and dispatcher are rebuilt."""
        for name in (("registry",) if registry else ()) + ("resolver", "dispatcher", "specs"):
            self.__dict__.pop(name, None)

    def resolve(self, text: str, follow: bool = False, last=None, local_only: bool = False) -> Match:
        """What `text` maps to. A compound request ("X, then Y") comes back as the last step's match with
        every step in `steps`; with `follow` (or an explicit `last` Turn) a request that continues the
        last run is read against it (`follows`, `changed`). With `local_only` the LLM tier is never asked:
        milliseconds, for a preview on every keystroke (the TUI asks the LLM on Enter)."""
        from intents import compound

        if follow and last is None:
            last = self.last_turn()
        if compound.may_be(text):
            steps = compound.split(self.local_tier, self.specs, text)  # splitting never asks an LLM
            if steps:
                if last is not None:
                    steps[0] = self._follow(last, steps[0].text, steps[0])
                return dataclasses.replace(steps[-1], text=text, steps=steps)
        if local_only:
            from intents.resolver import interactive

            match = interactive(self.resolver).resolve_local(text)
            return match if last is None else self._follow(last, text, match)
        return self._first_look(text, last)

    def _first_look(self, text: str, last) -> Match:
        """With a last turn, the local tier answers first and the follow-up is read from it; the LLM (when
        configured and unsure) is asked afterwards, with the previous turn as context."""
        if last is None:
            return self.resolver.resolve(text)
        if not hasattr(self.resolver, "refine"):
            return self._follow(last, text, self.resolver.resolve(text))
        first = self.resolver.resolve_local(text)
        match = self._follow(last, text, first)
        if match is not first or match.follows is not None:
            return match  # read as a follow-up (a turn with no history id has follows None)
        params = ", ".join(f"{k}={v!r}" for k, v in last.params.items())
        refined = self.resolver.refine(match, context=f"{last.action}({params}) from {last.text!r}")
        return self._follow(last, text, refined)

    def _follow(self, last, text: str, match: Match) -> Match:
        from intents.conversation import continue_match

        # the local tier: its re-readings of parts of the words must never ask an LLM (a keystroke's
        # preview would), and its lexicon converts carried values between units (a creatinine in umol/L
        # is not one in mg/dL); the LLM, when wanted, is asked once, in _first_look
        return continue_match(self.local_tier, self.specs, last, text, match)

    @property
    def local_tier(self):
        """The local resolver, also when an LLM tier is configured in front of it (a Cascade)."""
        return getattr(self.resolver, "local", self.resolver)

    def last_turn(self):
        """The last run recorded in this home's history that a follow-up can continue, or None."""
        from intents.conversation import Turn
        from intents.history_last import last_run

        row = last_run(self.home)  # not self.history: a cold `-c` reads one row and needs no write path
        if row is None or not row.get("action"):
            return None
        return Turn(id=row["id"], action=row["action"], params=row.get("params") or {},
                    result=row.get("result"), text=row.get("text") or "",
                    earlier=lambda: self._steps_before(row["id"]))

    def _steps_before(self, entry_id: int) -> list:
        """The steps of entry `entry_id`'s compound request before it, as Turns (read only when a follow-up
        gives nothing to the last step: one more query then, none for the common follow-up)."""
        from intents.conversation import Turn

        return [Turn(id=e["id"], action=e["action"], params=e.get("params") or {}, result=e.get("result"),
                     text=e.get("text") or "") for e in self.history.chain(entry_id)
                if e.get("action") and e["id"] < entry_id]

    def run_text(self, text: str, ask=None, source: str = "cli", follow: bool = False):
        match = self.resolve(text, follow=follow)
        if match.steps:
            return self.run_steps(match, ask=ask, source=source)
        return self.dispatcher.run_match(match, ask=ask, source=source)

    def run_steps(self, match: Match, ask=None, source: str = "cli"):
        """Run a compound request's steps in order; each later step takes what it lacks from the step
        before it (its values, and its result's headline for "it"/"that"). Each step passes the gate on
        its own; a refused or failed step stops the chain, and the error says which step it was."""
        from intents.conversation import Turn, inherit
        from intents.errors import IntentError

        specs = self.specs
        outcomes = []
        chain = None
        prev = None
        for n, step in enumerate(match.steps, 1):
            if prev is not None:
                last = Turn(id=prev_id, action=prev.action, params=prev.params, result=prev.result, text="")
                step = inherit(specs, last, step, getattr(self.local_tier, "lexicon", None))
            try:
                # every step is recorded with the whole request, so re-running any of them re-runs the chain
                outcome = self.dispatcher.run_action(step.action, dict(step.slots), text=match.text, source=source,
                                                     ask=ask, follows=step.follows, chain=chain)
            except IntentError as err:
                _name_step(err, n, len(match.steps), step.action, step.action or repr(step.text), outcomes)
                raise
            outcomes.append(outcome)
            prev, prev_id = outcome, outcome.history_id
            if chain is None:
                chain = outcome.history_id
        return _chain_outcome(outcomes)

    def rerun(self, entry_id: int, ask=None, source: str = "cli"):
        """Run history entry `entry_id` again with the values it ran with; a step of a compound request
        re-runs the whole chain, its steps in order, each through the gate (a refused or failed step stops
        it and says which). Values are not re-read from the words: what ran is what runs."""
        from intents.errors import IntentError, UsageError

        steps = [e for e in self.history.chain(entry_id) if e.get("action")]
        if not steps:
            raise UsageError(f"there is no run #{entry_id} with an action in this history (see `intent history`)")
        outcomes, chain = [], None
        for n, entry in enumerate(steps, 1):
            try:
                outcome = self.dispatcher.run_action(entry["action"], dict(entry.get("params") or {}),
                                                     text=entry.get("text"), source=source, ask=ask, chain=chain)
            except IntentError as err:
                if len(steps) > 1:
                    _name_step(err, n, len(steps), entry["action"], entry["action"], outcomes)
                raise
            outcomes.append(outcome)
            if len(steps) > 1 and chain is None:
                chain = outcome.history_id
        return outcomes[0] if len(outcomes) == 1 else _chain_outcome(outcomes)

    def run_action(self, action_id: str, values: dict[str, Any], source: str = "cli", ask=None):
        return self.dispatcher.run_action(action_id, values, source=source, ask=ask)


def _name_step(err, n: int, total: int, action, label: str, completed: list) -> None:
    """A chain's step failed: the error says which step (`label`: its action, or its words when it had
    none), and carries the steps that ran before it."""
    err.extra.update(step=n, steps=total, step_action=action, completed=[o.to_json() for o in completed])
    err.message = f"step {n} of {total} ({label}): {err.message}"


def _chain_outcome(outcomes: list):
    """The last step's outcome, with every step's in `steps` (what `run --json` prints for a chain)."""
    return outcomes[-1].model_copy(update={"steps": [o.to_json() for o in outcomes]})
