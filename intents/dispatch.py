"""Dispatch: the one path every run takes, whatever front end started it.

resolve -> missing slots? -> entitlement gate -> validate params -> run (timeout, isolated errors)
-> typed result -> history -> back to the front end for rendering.
"""
from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel, Field

from intents import params as params_mod
from intents.errors import (
    ActionFailed,
    ActionTimeout,
    BadParameters,
    IntentError,
    MissingParameters,
    NonFiniteResult,
    NotEntitled,
    NotUnderstood,
    PackBroken,
)
from intents.sdk import ActionContext, ParameterError

if TYPE_CHECKING:  # a type only: `intent do` never imports the resolver
    from intents.resolver import Match

Asker = Callable[[Any, str], Any]  # (SlotSpec, action id) -> value, or None to give up


class Outcome(BaseModel):
    """A finished run, as `intent run --json` prints it."""

    action: str
    params: dict[str, Any]
    result: dict[str, Any]
    steps: list[dict[str, Any]] | None = None  # a compound request: every step's {action, params, result}
    elapsed_ms: float = Field(default=0.0, exclude=True)
    history_id: int | None = Field(default=None, exclude=True)  # the history row this run was recorded as

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=False, exclude={"steps"} if self.steps is None else None)


class Dispatcher:
    def __init__(self, registry, gate, history=None, context: ActionContext | None = None,
                 system_services: dict[str, Callable[[], Any]] | None = None) -> None:
        self.registry = registry
        self.gate = gate
        self.history = history
        self.context = context  # the front end's output folder and clock; each action gets its own from it
        self.system_services = dict(system_services or {})  # only the built-in system pack's actions see these

    # ---- entry points ----------------------------------------------------------------------------
    def run_match(self, match: Match, ask: Asker | None = None, source: str = "cli", chain: int | None = None) -> Outcome:
        """Run what a resolver understood; `ask` fills missing slots interactively."""
        if match.action is None:
            err = NotUnderstood(
                "no installed action fits that; try `intent help` or rephrase",
                text=match.text[:200],
                alternatives=[a.model_dump() for a in match.alternatives],
            )
            self._record(match.text, None, {}, err, 0.0, source)
            raise err
        return self.run_action(match.action, dict(match.slots), text=match.text, source=source, ask=ask,
                               follows=match.follows, chain=chain)

    def run_action(
        self, action_id: str, values: dict[str, Any], text: str | None = None, source: str = "cli",
        ask: Asker | None = None, follows: int | None = None, chain: int | None = None,
    ) -> Outcome:
        """Run with explicit values; `ask` fills missing required slots one at a time, in order."""
        if ask is not None:
            values = self._ask_missing(self.registry.spec(action_id), dict(values), ask)
        started = time.perf_counter()
        try:
            outcome = self._run(action_id, values)
        except IntentError as err:
            self._record(text, action_id, values, err, (time.perf_counter() - started) * 1000, source,
                         follows=follows, chain=chain)
            raise
        outcome.elapsed_ms = (time.perf_counter() - started) * 1000
        if self.history is not None:
            try:
                outcome.history_id = self.history.record(
                    text=text, action=action_id, params=outcome.params, status="ok", exit_code=0,
                    result=outcome.result, elapsed_ms=outcome.elapsed_ms, source=source,
                    follows=follows, chain=chain,
                )
            except Exception as exc:  # the answer matters more than its history line; say so, lose nothing
                import logging

                logging.getLogger("intent.history").warning("could not record this run in history: %s", exc)
        return outcome

    @staticmethod
    def _ask_missing(spec, values: dict[str, Any], ask: Asker) -> dict[str, Any]:
        for name in [n for n in spec.required if n not in values]:
            answer = ask(spec.slot(name), spec.id)
            if answer is None or answer == "":
                break  # the person gave up: what is still missing is reported (exit 4)
            values[name] = answer
        return values

    # ---- the steps -------------------------------------------------------------------------------
    def _run(self, action_id: str, values: dict[str, Any]) -> Outcome:
        spec = self.registry.spec(action_id)
        values = params_mod.coerce(spec, {k: v for k, v in values.items() if v is not None})
        missing = [n for n in spec.required if n not in values]
        if missing:
            questions = {n: spec.slot(n).ask() for n in missing}
            raise MissingParameters(
                f"{spec.id} needs {', '.join(missing)}", action=spec.id, missing=missing, questions=questions
            )
        # Feature keys and metering come from the pack's own code (the live action and pack), never from
        # the cached spec: that file is the user's to edit (issue 13).
        action = self.registry.action(action_id)
        self._built(action)
        pack = self.registry.live_pack(action.declared("pack"))
        feature, metered = action.declared("feature"), action.declared("metered")
        self._gate(pack.manifest.feature_key, consume=False)
        params = params_mod.validate(action.params_model, values)
        key = uuid.uuid4().hex
        if feature:
            self._gate(feature, consume=metered, key=key)
        try:
            result = self._call(action, params)
            check_finite(spec.id, result)
        except ActionTimeout:
            self._settle(feature, metered, key)  # it may still finish and deliver (a file, say): the use stays counted
            raise
        except IntentError:
            if metered and hasattr(self.gate, "refund"):
                self.gate.refund(feature, key)  # a failed run does not use up the quota
            raise
        self._settle(feature, metered, key)
        data = result.model_dump(mode="json")
        if pack.manifest.disclaimers:
            data.setdefault("disclaimer", " ".join(pack.manifest.disclaimers))
        return Outcome(action=spec.id, params=params.model_dump(mode="json"), result=data)

    @staticmethod
    def _built(action) -> None:
        """The action's parameters and result models built: the SDK builds them on first use, so a
        declaration pydantic cannot build fails here as it would have when the pack was imported (the
        pack is broken), never as a traceback or as the action's own failure. The spec's JSON schema is
        not built for a run: discovery and `intent packs check` build it (Pack.spec)."""
        try:
            action.build_models()
        except Exception as exc:
            from intents.registry import _describe

            pack_id = action.id.split(".", 1)[0]
            raise PackBroken(f"pack '{pack_id}' failed to load: {_describe(exc)}", pack=pack_id) from exc

    def context_for(self, action) -> ActionContext:
        """The context one action gets: its pack's own data folder, settings and logger. Only the built-in
        system pack (loaded through our own entry point) gets the terminal's parts, by name."""
        import logging  # here, not at the top: most actions take no context (~2 ms of every run)

        base = self.context or ActionContext(home=self.registry.home)
        pack_id = action.declared("pack")
        root = getattr(self.registry, "home", base.home)
        from intents.paths import shared_cache_dir

        common = dict(home=Path(root) / "packs" / pack_id, out_dir=base.out_dir, now=base.now, pack=pack_id,
                      settings=pack_settings(pack_id), log=logging.getLogger(f"intent.pack.{pack_id}"),
                      shared_cache_dir=shared_cache_dir(pack_id))
        # live_pack("system") only ever loads our own entry point, so this is the built-in system pack.
        if pack_id == "system" and self.registry.live_pack("system").actions.get(action.id) is action:
            from intents.system_pack import SystemContext

            return SystemContext(**common, services=self.system_services)
        return ActionContext(**common)

    def refusal(self, action_id: str) -> NotEntitled | None:
        """The NotEntitled a run of `action_id` would raise now, checked without consuming anything
        (previews, help and confirmations say it before Enter); None when the plan allows it. The feature
        keys come from the pack's code, as the run's own gate takes them (the cache is the user's to edit)."""
        for feature in dict.fromkeys(self.registry.gate_features(action_id)):
            decision = self.gate.check(feature, 1)
            if not decision.allowed:
                return NotEntitled.from_decision(decision, feature)
        return None

    def _gate(self, feature: str, consume: bool, key: str | None = None) -> None:
        if consume:
            # reserve: counted now, given back by the next gate if this process dies before delivering
            count = getattr(self.gate, "reserve", None) or self.gate.consume
            decision = count(feature, 1, idempotency_key=key or uuid.uuid4().hex)
        else:
            decision = self.gate.check(feature, 1)
        if not decision.allowed:
            raise NotEntitled.from_decision(decision, feature)

    def _settle(self, feature: str | None, metered: bool, key: str) -> None:
        if feature and metered and hasattr(self.gate, "settle"):
            self.gate.settle(feature, key)

    def _call(self, action, params: BaseModel) -> BaseModel:
        """Run the action in a worker thread with its timeout; every exception becomes ActionFailed."""
        box: dict[str, Any] = {}
        ctx = self.context_for(action) if action.context_param else None

        def target() -> None:
            try:
                box["result"] = action.call(params, ctx)
            except BaseException as exc:  # isolate the pack: nothing it raises escapes unwrapped
                box["error"] = exc

        timeout_s = action.declared("timeout_s")
        worker = threading.Thread(target=target, name=f"action:{action.id}", daemon=True)
        worker.start()
        worker.join(timeout_s)
        if worker.is_alive():
            raise ActionTimeout(f"{action.id} did not finish within {timeout_s:g} s")
        exc = box.get("error")
        if exc is None:
            return box["result"]
        if isinstance(exc, ParameterError):
            raise BadParameters(f"{exc.param}: {exc.message}", param=exc.param)
        if isinstance(exc, IntentError):
            raise exc
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            raise ActionFailed(f"{action.id} returned a result that does not fit its model: {exc}")
        raise ActionFailed(f"{action.id} failed: {type(exc).__name__}: {exc}", exception=type(exc).__name__)

    def _record(self, text, action_id, values, err: IntentError, elapsed_ms: float, source: str,
                follows: int | None = None, chain: int | None = None) -> None:
        if self.history is None:
            return
        try:
            self.history.record(
                text=text, action=action_id, params={k: v for k, v in values.items()}, status=err.kind,
                exit_code=err.exit_code, error=err.to_json()["error"], elapsed_ms=elapsed_ms, source=source,
                follows=follows, chain=chain,
            )
        except Exception:  # a history failure never hides the real error
            pass


def check_finite(action_id: str, result: BaseModel) -> None:
    """Every number in a result is finite: inf or NaN (an overflow, a division by ~0) is an error that
    says where, for every pack, never an answer printed as `inf` or `null`."""
    path = params_mod.non_finite(result.model_dump())
    if path is not None:
        where, value = path
        raise NonFiniteResult(
            f"{action_id} could not compute a finite {where} (it came out as {value}); the inputs are "
            "probably outside what it can calculate: check them", field=where,
        )


def pack_settings(pack_id: str):
    """The `[packs.<id>]` table of config.toml, read-only: a pack sees its own settings and no one else's."""
    from intents import paths

    try:
        text = (paths.config_dir() / "config.toml").read_text(encoding="utf-8")
    except (OSError, ValueError):
        text = ""
    data = {}
    if text:  # most homes have no config.toml: then tomllib (a few ms of every run) is not imported
        import tomllib

        try:
            data = tomllib.loads(text)
        except ValueError:
            pass
    own = (data.get("packs") or {}).get(pack_id)
    return MappingProxyType(dict(own) if isinstance(own, dict) else {})
