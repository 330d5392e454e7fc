"""Local first, the LLM only when the local tier abstains or is unsure (or `--llm` asks for it).

The LLM proposes; this module decides what to believe:
- only installed, entitled actions the privacy policy allows are offered, and an answer naming anything
  else is refused;
- every argument is validated with the action's pydantic parameters model, and one the words do not
  support (a number that is not in the text) is dropped, so the slot is missing and gets asked for;
- the result is a Match like any other: confirmation and the entitlement gate still happen in dispatch;
- any fault (server down, timeout, 429/500, garbage, wrong types) gives the local answer back with a
  one-line `notice`, within the configured timeout.
"""
from __future__ import annotations

import dataclasses
import os
import threading
from typing import Annotated, Any

from intents.resolver import Alternative, Interactive, Match


def cascade_for(session, local):
    """The resolver a session should use: the local one alone unless an LLM is configured and entitled."""
    if session.mode != "llm" and not _maybe_configured():
        return local  # the cold path: no settings anywhere, so not even the config model is built
    from intents.llm import config

    cfg = config.load()
    reason = None
    if not cfg.configured:
        reason = "no LLM is configured (set a model: see `intent config`)"
    elif not _entitled(session):
        reason = "your plan does not include the LLM tier (llm)"
    if reason and session.mode != "llm":
        return local  # auto without an LLM: exactly the local resolver, nothing imported
    return Cascade(local, session.registry, session.gate, cfg, session.home, mode=session.mode, unavailable=reason)


class Cascade(Interactive):
    def __init__(self, local, registry, gate, cfg, home, mode: str = "auto", llm=None,
                 unavailable: str | None = None) -> None:
        self.local = local
        self.registry = registry
        self.gate = gate
        self.cfg = cfg
        self.home = home
        self.mode = mode
        self.unavailable = unavailable
        self._llm = llm
        self._lock = threading.Lock()
        self._adapters: dict[tuple[str, str], Any] = {}

    @property
    def llm(self):
        with self._lock:
            if self._llm is None:
                from intents.llm.resolver import LLMResolver

                self._llm = LLMResolver(self.cfg, self.registry)
            return self._llm

    # ---- the cascade -----------------------------------------------------------------------------
    def resolve(self, text: str) -> Match:
        """Local first, then the LLM if it is wanted: blocks up to the timeout when it calls the server."""
        return self.refine(self.local.resolve(text))

    def answer(self, spec, slot: str, text: str):
        return self.local.answer(spec, slot, text)  # one question's answer: the local kind parsers

    def resolve_local(self, text: str) -> Match:
        """The local tier's answer alone, in milliseconds: for previews on every keystroke."""
        return self.local.resolve(text)

    def fill_for(self, action_id: str, text: str):
        return self.local.fill_for(action_id, text)

    def foreign_words(self, action_id: str, text: str):
        return self.local.foreign_words(action_id, text)

    def wants_llm(self, local: Match) -> bool:
        """Whether `refine` would ask the server (or explain why it cannot) for this local answer."""
        if self.mode == "local":
            return False
        if self.unavailable:
            return self.mode == "llm"
        return self.mode == "llm" or not self.sure(local)

    def refine(self, local: Match, context: str | None = None) -> Match:
        """The LLM step for a local answer (the TUI runs this in an exclusive worker). Never raises.
        `context` is the previous turn, one line ("travel_time(distance=100, ...) from '...'"): the
        model reads the request against it, and values it carries count as said."""
        if not self.wants_llm(local):
            return local
        if self.unavailable:
            return _noticed(local, f"LLM tier not used: {self.unavailable}")
        from intents.llm.client import LLMFault
        from intents.llm.privacy import record

        try:
            return self._ask(local, context)
        except LLMFault as fault:
            record(self.home, "llm.fault", {"server": self.cfg.url, "error": fault.message})
            return _noticed(local, f"LLM tier failed, using the local answer: {fault.message}")
        except Exception as exc:  # never let the optional tier crash a resolve
            record(self.home, "llm.fault", {"server": self.cfg.url, "error": f"{type(exc).__name__}: {exc}"})
            return _noticed(local, f"LLM tier failed, using the local answer: {type(exc).__name__}")

    def _ask(self, local: Match, context: str | None = None) -> Match:
        from intents.llm.privacy import Policy, record
        from intents.llm.tools import candidates, lexical_rank

        text = local.text if not context else f"Previous request: {context}\nThis request: {local.text}"
        policy = Policy.for_server(self.registry, self.cfg)
        about = self._about(local, lexical_rank)
        if about is not None and not policy.allows(about):
            record(self.home, "llm.withheld", {"server": self.cfg.url, "pack": about,
                                               "reason": "sensitive pack not opted in"})
            return _noticed(local, policy.notice(about))
        offered = candidates(local, self.registry, lambda s: self._usable(s, policy), self.cfg.top_k,
                             ranker=getattr(self.local, "shortlist", None))
        if not offered:
            return _noticed(local, "LLM tier not used: no installed, entitled action to offer it")
        sent, redactions = policy.outgoing(text)
        record(self.home, "llm.request", {
            "server": self.cfg.url, "local_server": policy.local, "model": self.cfg.model, "text": sent,
            "redacted": redactions, "offered": [s.id for s in offered], "withheld_packs": sorted(policy.withheld),
        })
        proposal = self.llm.resolve(text, offered, sent_text=sent)
        settled = self._settle(local, proposal, text, offered)
        return dataclasses.replace(settled, text=local.text) if context else settled

    def sure(self, local: Match) -> bool:
        # Missing slots alone do not make the local tier unsure: people often leave them out, they are
        # asked for, and the model may not invent them anyway.
        return local.action is not None and local.confidence >= self.cfg.threshold

    def _about(self, local: Match, lexical_rank) -> str | None:
        """Which pack the request is most likely about, to keep sensitive ones from leaving the machine."""
        if local.action:
            return local.action.split(".", 1)[0]
        ranked = lexical_rank(local.text, self.registry.actions())
        if ranked and ranked[0][0] > 0:
            return ranked[0][1].pack
        return None

    def _usable(self, spec, policy) -> bool:
        if not policy.allows(spec.pack) or not self.registry.is_installed(spec.pack):
            return False
        try:
            # feature keys from the pack's code, not the user-writable cache (issue 13)
            return all(self.gate.check(f, 1).allowed for f in self.registry.gate_features(spec.id))
        except Exception:
            return False

    # ---- what to believe -------------------------------------------------------------------------
    def _settle(self, local: Match, proposal: Match, text: str, offered: list) -> Match:
        explain = dict(proposal.explain or {})
        explain["local"] = {"action": local.action, "confidence": local.confidence, "slots": local.slots}
        alternatives = _alternatives(local, proposal.action)
        if proposal.action is None:
            explain["answer"] = "none_of_these"
            return Match(text=text, action=None, confidence=0.0, alternatives=alternatives, source="llm",
                         explain=explain)
        if proposal.action not in {s.id for s in offered}:  # belt and braces: the resolver checks it too
            from intents.llm.client import LLMFault

            raise LLMFault(f"the model chose '{proposal.action}', which was not offered")
        spec = self.registry.spec(proposal.action)
        model = self.registry.action(proposal.action).params_model
        slots, dropped = self._validated(spec, model, proposal.slots, text)
        if proposal.action == local.action:
            for name, value in local.slots.items():  # the local tier's values are grounded by construction
                slots.setdefault(name, value)
        missing = [n for n in spec.required if n not in slots]
        explain["dropped"] = dropped
        confidence = max(0.5, 0.9 - 0.1 * len(dropped))
        if proposal.action == local.action:
            confidence = max(confidence, local.confidence)
        return Match(text=text, action=spec.id, slots=slots, confidence=round(confidence, 3), missing=missing,
                     alternatives=alternatives, source="llm", explain=explain)

    def _validated(self, spec, model, raw: dict[str, Any], text: str) -> tuple[dict[str, Any], dict[str, str]]:
        from pydantic import ValidationError

        from intents.llm.grounding import supported

        slots: dict[str, Any] = {}
        dropped: dict[str, str] = {}
        for name, value in raw.items():
            if value is None:
                continue
            field = model.model_fields.get(name)
            if field is None:
                dropped[str(name)[:60]] = "not a parameter of this action"
                continue
            adapter = self._adapter(spec.id, name, field)
            try:
                checked = adapter.validate_python(value)
            except ValidationError as exc:
                dropped[name] = "invalid: " + exc.errors(include_url=False)[0]["msg"]
                continue
            if not supported(spec.slot(name), checked, text):
                dropped[name] = "not stated in the request"
                continue
            slots[name] = adapter.dump_python(checked, mode="json")
        return slots, dropped

    def _adapter(self, action_id: str, name: str, field):
        key = (action_id, name)
        adapter = self._adapters.get(key)
        if adapter is None:
            from pydantic import TypeAdapter

            adapter = TypeAdapter(Annotated[field.annotation, field])
            self._adapters[key] = adapter
        return adapter


def _alternatives(local: Match, chosen: str | None) -> list[Alternative]:
    alts = []
    if local.action and local.action != chosen:
        alts.append(Alternative(action=local.action, confidence=local.confidence))
    alts += [a for a in local.alternatives if a.action != chosen and a.action != local.action]
    return alts


def _entitled(session) -> bool:
    try:
        return bool(session.gate.check("llm").allowed)
    except Exception:  # a store that cannot answer grants nothing, and must not break resolving
        return False


def _maybe_configured() -> bool:
    from intents.llm import FILE_NAME, MODEL_ENV

    if os.environ.get(MODEL_ENV, "").strip():
        return True
    from intents import paths

    return (paths.config_dir() / FILE_NAME).is_file()


def _noticed(match: Match, notice: str) -> Match:
    import logging

    # stderr for the CLI (stdout stays clean JSON); front ends also read Match.notice
    logging.getLogger("intents.llm").warning(notice)
    return match.model_copy(update={"notice": notice})
