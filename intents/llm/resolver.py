"""The LLM resolver: offer a few candidate actions as tools, read back which one and with what arguments.

It proposes; it does not decide. The Match it returns carries the model's raw arguments, and the cascade
(intents/resolver/cascade.py) validates them, drops what the words do not support, and falls back to the
local answer on any fault. Tool calling first; schema-constrained JSON (response_format json_schema) for
servers without it, chosen by `tool_mode` or learnt when a server rejects tools.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any

from intents.llm import tools as toolkit
from intents.llm.client import Client, LLMFault
from intents.resolver import Match

SYSTEM = (
    "You route a professional's request to exactly one tool of a terminal. Pick the tool that does what the "
    "person asks and give only the arguments the request states, converted to the units the parameter names "
    "(300k -> 300000, 18 months -> 1.5 years). Leave out every argument the request does not state: never "
    "guess, compute or fill in values. If no tool fits, choose none_of_these."
)
JSON_SYSTEM = SYSTEM + (
    " Answer with one JSON object only: {\"action\": <action id or \"none_of_these\">, \"arguments\": {...}}."
    " The actions and their parameters (JSON schema):\n"
)


class LLMResolver:
    """Thread-safe and synchronous; callers may run it in a worker. One instance per configured server."""

    def __init__(self, cfg, registry=None, client: Client | None = None) -> None:
        self.cfg = cfg
        self.registry = registry
        self.client = client or Client(cfg)
        self._tools_rejected = cfg.tool_mode == "json"  # learnt: this server refuses tool calling

    def resolve(self, text: str, candidates: list | None = None, sent_text: str | None = None) -> Match:
        """The model's pick among `candidates` (default: the closest installed actions), as a Match with
        source "llm" and unvalidated slots. Raises LLMFault on any failure, within `cfg.timeout` seconds."""
        if candidates is None:
            if self.registry is None:
                raise LLMFault("no candidate actions to offer")
            candidates = [s for _, s in toolkit.lexical_rank(text, self.registry.actions())[: self.cfg.top_k]]
        try:
            self.client.prepare()
        except Exception as exc:  # openai missing or broken: the optional tier is simply unavailable
            raise LLMFault(f"the openai client is not usable ({type(exc).__name__}: {str(exc)[:80]}); "
                           "pip install 'intent-terminal[llm]'") from None
        box: dict[str, Any] = {}
        deadline = time.monotonic() + self.cfg.timeout

        def work() -> None:
            try:
                box["match"] = self._exchange(text, sent_text or text, candidates, deadline)
            except BaseException as exc:  # handed to the caller's thread below
                box["error"] = exc

        worker = threading.Thread(target=work, name="llm-resolve", daemon=True)
        worker.start()
        worker.join(self.cfg.timeout + 0.25)
        if worker.is_alive():  # a server trickling bytes can outlive httpx's per-read timeout
            raise LLMFault(f"the LLM server did not answer within {self.cfg.timeout:g} s")
        if "error" in box:
            exc = box["error"]
            if isinstance(exc, LLMFault):
                raise exc
            raise LLMFault(f"the LLM answer could not be used ({type(exc).__name__}: {str(exc)[:100]})")
        return box["match"]

    # ---- one exchange ----------------------------------------------------------------------------
    def _exchange(self, text: str, sent: str, candidates: list, deadline: float) -> Match:
        started = time.perf_counter()
        names = {toolkit.function_name(s.id): s.id for s in candidates}
        via = "json"
        if self.cfg.tool_mode != "json" and not self._tools_rejected:
            try:
                action, args = self._by_tools(sent, candidates, names, deadline)
                via = "tools"
            except LLMFault as fault:
                if not (fault.reject and self.cfg.tool_mode == "auto"):
                    raise
                self._tools_rejected = True  # remember: ask this server for JSON from now on
                action, args = self._by_json(sent, candidates, deadline)
        else:
            action, args = self._by_json(sent, candidates, deadline)
        offered = {s.id for s in candidates}
        if action is not None and action not in offered:
            raise LLMFault(f"the model chose '{action}', which was not offered")
        return Match(
            text=text, action=action, slots=args, confidence=0.0, source="llm",
            explain={"tier": "llm", "via": via, "model": self.cfg.model, "server": self.cfg.url,
                     "offered": sorted(offered), "elapsed_ms": round((time.perf_counter() - started) * 1000, 1)},
        )

    def _by_tools(self, sent: str, candidates: list, names: dict[str, str], deadline: float):
        strict = self.cfg.use_strict and self.registry is not None
        extra = {"parallel_tool_calls": False} if strict else {}  # strict decoding holds for one call at a time
        response = self.client.chat(
            [{"role": "system", "content": SYSTEM}, {"role": "user", "content": sent}],
            timeout=deadline - time.monotonic(),
            tools=toolkit.tools_for(candidates, strict=strict, registry=self.registry),
            tool_choice="required",
            temperature=0,
            **extra,
        )
        message = _message(response)
        calls = getattr(message, "tool_calls", None) or []
        if calls:
            fn = calls[0].function
            name = getattr(fn, "name", None) or ""
            if name == toolkit.NONE_OF_THESE:
                return None, {}
            if name not in names:
                raise LLMFault(f"the model called a tool that was not offered ('{name[:60]}')")
            return names[name], _object(getattr(fn, "arguments", None), "tool-call arguments")
        content = (getattr(message, "content", None) or "").strip()
        if content:  # some servers put the call in the text; accept it only if it is the JSON shape we asked for
            return _from_json(content, names)
        raise LLMFault("the model answered without choosing a tool", reject=True)

    def _by_json(self, sent: str, candidates: list, deadline: float):
        catalog = "\n".join(
            f"- {s.id}: {toolkit.describe(s)} parameters: {json.dumps(toolkit.parameters(s), separators=(',', ':'))}"
            for s in candidates
        )
        response = self.client.chat(
            [{"role": "system", "content": JSON_SYSTEM + catalog}, {"role": "user", "content": sent}],
            timeout=deadline - time.monotonic(),
            response_format=toolkit.response_format(candidates),
            temperature=0,
        )
        content = (getattr(_message(response), "content", None) or "").strip()
        names = {s.id: s.id for s in candidates} | {toolkit.function_name(s.id): s.id for s in candidates}
        return _from_json(content, names)


def _message(response):
    choices = getattr(response, "choices", None)
    if not choices:
        raise LLMFault("the LLM server sent an answer with no choices")
    choice = choices[0]
    if getattr(choice, "finish_reason", None) == "length":
        raise LLMFault("the LLM answer was cut off (max tokens)")
    message = getattr(choice, "message", None)
    if message is None:
        raise LLMFault("the LLM server sent an answer with no message")
    return message


def _object(raw: Any, what: str) -> dict[str, Any]:
    if raw is None or raw == "":
        return {}
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
        if isinstance(value, str) and value.lstrip().startswith("{"):  # some models encode the JSON twice
            value = json.loads(value)
    except (TypeError, ValueError):
        raise LLMFault(f"the model's {what} are not valid JSON") from None
    if not isinstance(value, dict):
        raise LLMFault(f"the model's {what} are not a JSON object")
    return value


def _from_json(content: str, names: dict[str, str]):
    if content.startswith("```"):  # a fenced block from chatty models
        content = content.strip("`").removeprefix("json").strip()
    data = _object(content, "answer")
    name = data.get("action", data.get("name"))
    if not isinstance(name, str):
        raise LLMFault("the model's answer names no action")
    if name == toolkit.NONE_OF_THESE:
        return None, {}
    if name not in names:
        raise LLMFault(f"the model chose '{name[:60]}', which was not offered")
    args = data.get("arguments", data.get("parameters", {}))
    return names[name], _object(args, "arguments")
