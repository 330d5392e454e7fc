"""The cascade over the real openai client and a scripted OpenAI-compatible server on 127.0.0.1."""
from __future__ import annotations

import dataclasses

import json
import threading
import time

import pytest

from intents.resolver import Alternative, Match
from tests.test_llm_server import llm_env, llm_server  # noqa: F401 - fixtures

LOAN = "what would I pay each month borrowing three hundred grand for thirty years at six and a half"


@pytest.fixture
def llm_session(unlocked, llm_env, tmp_path):  # noqa: F811
    from intents.session import Session

    return Session(home=unlocked, out_dir=tmp_path / "out", mode="llm")


def local_answer(session, text: str) -> Match:
    from intents.session import Session

    return Session(home=session.home, mode="local").resolve(text)


class FixedLocal:
    """The local tier's answer pinned, so a test decides whether it is sure or abstains."""

    def __init__(self, match: Match) -> None:
        self.match = match

    def resolve(self, text: str) -> Match:
        return self.match.model_copy(update={"text": text})


def cascade(session, local: Match, mode: str = "auto"):
    from intents.llm import config
    from intents.resolver.cascade import Cascade

    return Cascade(FixedLocal(local), session.registry, session.gate, config.load(), session.home, mode=mode)


# ---- the happy paths -----------------------------------------------------------------------------------
def test_llm_answer_is_validated_and_coerced(llm_session, llm_env):  # noqa: F811
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": "6.5", "years": 30})
    match = llm_session.resolve(LOAN)
    assert match.source == "llm"
    assert match.action == "finance.loan_payment"
    assert match.slots == {"principal": 300000.0, "rate_pct": 6.5, "years": 30.0}  # validated and coerced
    assert match.missing == []
    assert match.to_json()["source"] == "llm"
    sent = llm_env.requests[0]
    names = [t["function"]["name"] for t in sent["tools"]]
    assert "finance__loan_payment" in names and names[-1] == "none_of_these"
    assert len(names) <= 5 + 1  # top-k candidates plus none_of_these, not the whole catalog
    loan_tool = next(t for t in sent["tools"] if t["function"]["name"] == "finance__loan_payment")
    params = loan_tool["function"]["parameters"]
    # issue 17 added the optional extra_monthly and timing: offered, not required
    assert set(params["properties"]) == {"principal", "rate_pct", "years", "extra_monthly", "timing"}
    assert params["required"] == ["principal", "rate_pct", "years"]
    assert "kind" not in params["properties"]["principal"]  # SDK hints folded into the description
    assert sent["messages"][-1] == {"role": "user", "content": LOAN}


def test_the_matched_request_runs_through_dispatch(llm_session, llm_env):  # noqa: F811
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    outcome = llm_session.run_text(LOAN)
    assert outcome.action == "finance.loan_payment"
    assert outcome.result["monthly_payment"] == pytest.approx(1896.20, abs=0.01)


ABSTAIN = Match(text="", confidence=0.0)  # a local tier that understood nothing, so only the LLM's slots count


def test_invented_numbers_are_missing_not_believed(llm_session, llm_env):  # noqa: F811
    text = "loan payment on 300k at 6.5%"
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    match = cascade(llm_session, ABSTAIN, mode="llm").resolve(text)
    assert match.source == "llm"
    assert match.slots == {"principal": 300000.0, "rate_pct": 6.5}
    assert match.missing == ["years"]  # 30 is not in the words: it will be asked for
    assert match.explain["dropped"] == {"years": "not stated in the request"}


def test_wrong_types_and_out_of_range_values_are_dropped(llm_session, llm_env):  # noqa: F811
    llm_env.tool("finance.loan_payment", {"principal": "lots", "rate_pct": 650, "years": 30})
    match = cascade(llm_session, ABSTAIN, mode="llm").resolve(LOAN)
    assert match.action == "finance.loan_payment"
    assert match.slots == {"years": 30.0}
    assert set(match.missing) == {"principal", "rate_pct"}
    assert match.explain["dropped"]["principal"].startswith("invalid")
    assert match.explain["dropped"]["rate_pct"].startswith("invalid")


def test_extra_arguments_cannot_smuggle_a_confirmation(llm_session, llm_env):  # noqa: F811
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30,
                                          "confirm": True, "confirmed": "yes"})
    match = llm_session.resolve(LOAN)
    assert set(match.slots) == {"principal", "rate_pct", "years"}
    assert set(match.explain["dropped"]) == {"confirm", "confirmed"}
    names = {f.name for f in dataclasses.fields(Match)}
    assert names >= {"action", "slots"} and "confirmed" not in names


def test_none_of_these_means_not_understood(llm_session, llm_env):  # noqa: F811
    llm_env.tool("none_of_these", {"reason": "weather is not an action"})
    match = llm_session.resolve("will it rain in Lisbon tomorrow")
    assert match.action is None and match.source == "llm"


# ---- local first ---------------------------------------------------------------------------------------
def test_auto_does_not_call_when_the_local_tier_is_sure(llm_session, llm_env):  # noqa: F811
    sure = Match(text="", action="finance.loan_payment", confidence=0.95,
                 slots={"principal": 1000.0, "rate_pct": 5.0, "years": 2.0})
    match = cascade(llm_session, sure).resolve("loan payment 1000 at 5% for 2 years")
    assert match.source == "local" and llm_env.requests == []
    sure_but_incomplete = Match(text="", action="finance.loan_payment", confidence=0.95, missing=["years"],
                                slots={"principal": 1000.0, "rate_pct": 5.0})
    match = cascade(llm_session, sure_but_incomplete).resolve("loan payment 1000 at 5%")
    assert match.source == "local" and match.missing == ["years"] and llm_env.requests == []


def test_auto_calls_when_the_local_tier_abstains_or_is_unsure(llm_session, llm_env):  # noqa: F811
    llm_env.tool("finance.loan_payment", {"principal": 1000, "rate_pct": 5, "years": 2})
    llm_env.tool("finance.loan_payment", {"principal": 1000, "rate_pct": 5, "years": 2})
    text = "I borrow 1000 at 5% for 2 years, what do I pay monthly"
    abstain = cascade(llm_session, Match(text="", confidence=0.1)).resolve(text)
    unsure = cascade(llm_session, Match(text="", action="finance.amortization", confidence=0.5,
                                        alternatives=[Alternative(action="finance.loan_payment", confidence=0.45)]))
    unsure = unsure.resolve(text)
    assert abstain.source == unsure.source == "llm" and abstain.action == unsure.action == "finance.loan_payment"
    assert len(llm_env.requests) == 2
    offered = [t["function"]["name"] for t in llm_env.requests[1]["tools"]]
    assert offered[:2] == ["finance__amortization", "finance__loan_payment"]  # the local tier's picks first
    assert unsure.alternatives[0].action == "finance.amortization"


def test_local_mode_never_calls(unlocked, llm_env):  # noqa: F811
    from intents.session import Session

    session = Session(home=unlocked, mode="local")
    assert session.resolve(LOAN).source == "local"
    assert llm_env.requests == []


def test_plan_without_llm_feature_never_calls(home, llm_env):  # noqa: F811
    from intents.session import Session

    session = Session(home=home, mode="auto")  # a fresh install is on the free plan: no `llm`
    assert not session.gate.check("llm").allowed
    match = session.resolve(LOAN)
    assert match.source == "local" and match.notice is None and llm_env.requests == []
    forced = Session(home=home, mode="llm").resolve(LOAN)
    assert forced.source == "local" and "plan" in forced.notice and llm_env.requests == []


def test_no_llm_configured_means_the_plain_local_resolver(unlocked, monkeypatch):
    from intents.session import Session

    monkeypatch.delenv("INTENT_LLM_MODEL", raising=False)
    session = Session(home=unlocked, mode="auto")
    assert type(session.resolver).__name__ != "Cascade"
    forced = Session(home=unlocked, mode="llm").resolve(LOAN)
    assert forced.source == "local" and "no LLM is configured" in forced.notice


# ---- what the model may pick ---------------------------------------------------------------------------
def test_an_action_that_was_not_offered_is_refused(llm_session, llm_env):  # noqa: F811
    llm_env.tool("system.remove_pack", {"pack": "finance"})
    match = llm_session.resolve(LOAN)
    assert match.source == "local" and "not offered" in match.notice
    offered = {t["function"]["name"] for t in llm_env.requests[0]["tools"]}
    assert "system__remove_pack" not in offered


def test_uninstalled_pack_is_never_offered(llm_session, llm_env):  # noqa: F811
    llm_session.registry.set_installed("finance", False)
    llm_session.__dict__.pop("resolver", None)
    llm_env.tool("finance.loan_payment", {"principal": 300000})
    match = llm_session.resolve(LOAN)
    assert match.action != "finance.loan_payment" and match.source == "local"
    if llm_env.requests:
        assert not any(t["function"]["name"].startswith("finance__") for t in llm_env.requests[0]["tools"])


def test_not_entitled_pack_is_never_offered(home, llm_env, tmp_path):  # noqa: F811
    from tests.licensing import activate_plan

    from intents.session import Session

    activate_plan(home, "pro")  # pro has llm; take finance away by a gate that says no to it
    session = Session(home=home, mode="llm")
    real = session.gate

    class NoFinance:
        def check(self, feature, qty=1):
            decision = real.check(feature, qty)
            return decision.model_copy(update={"allowed": False}) if feature == "pack.finance" else decision

        def consume(self, *a, **k):
            return real.consume(*a, **k)

    session.__dict__["gate"] = NoFinance()
    llm_env.tool("finance.loan_payment", {"principal": 300000})
    match = session.resolve(LOAN)
    assert match.source == "local" and "not offered" in match.notice  # dispatch's gate still stops the local pick
    for request in llm_env.requests:
        assert not any(t["function"]["name"].startswith("finance__") for t in request["tools"])


# ---- faults: the local answer, a one-line notice, never beyond the timeout ------------------------------
FAULTS = {
    "500": lambda s: s.status(500),
    "429": lambda s: s.status(429, "slow down"),
    "garbage body": lambda s: s.raw(b"<html>not json</html>"),
    "truncated body": lambda s: s.raw(b'{"id": "x", "choices": [{"index": 0, "message": {"con',
                                      {"Content-Type": "application/json", "X-Cut": "1"}),
    "truncated arguments": lambda s: s.tool("finance.loan_payment", '{"principal": 3000'),
    "arguments not an object": lambda s: s.tool("finance.loan_payment", "[1, 2]"),
    "no choices": lambda s: s.raw(b'{"id": "x", "object": "chat.completion", "choices": []}'),
    "cut off by max tokens": lambda s: s.answer('{"action": "finance.loan', finish="length"),
    "unknown tool": lambda s: s.tool("rm_rf", {}),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_faults_fall_back_to_the_local_answer(llm_session, llm_env, fault):  # noqa: F811
    FAULTS[fault](llm_env)
    match = llm_session.resolve(LOAN)
    expected = local_answer(llm_session, LOAN)
    assert match.source == "local"
    assert (match.action, match.slots, match.missing) == (expected.action, expected.slots, expected.missing)
    assert match.notice and "\n" not in match.notice and match.notice.startswith("LLM tier failed")
    assert match.to_json()["notice"] == match.notice


def test_a_slow_server_is_cut_off_at_the_timeout(llm_session, llm_env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("INTENT_LLM_TIMEOUT", "0.5")
    llm_session.__dict__.pop("resolver", None)
    llm_session.resolver.llm.client.prepare()  # the import is not the server's time
    llm_env.sleep(3)
    started = time.monotonic()
    match = llm_session.resolve(LOAN)
    assert time.monotonic() - started < 1.5
    assert match.source == "local" and "within 0.5 s" in match.notice


def test_server_down_falls_back(unlocked, monkeypatch):
    import socket

    from intents.session import Session

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("INTENT_LLM_MODEL", "m")
    match = Session(home=unlocked, mode="llm").resolve(LOAN)
    assert match.source == "local" and "cannot reach" in match.notice


def test_faults_and_requests_are_in_the_audit_log(llm_session, llm_env):  # noqa: F811
    from entitlements.audit import events

    llm_env.status(500)
    llm_session.resolve(LOAN)
    request = events(llm_session.home, "llm.request")[0]["detail"]
    assert request["server"] == llm_env.url and request["text"] == LOAN and request["local_server"] is True
    assert "finance.loan_payment" in request["offered"]
    assert "500" in events(llm_session.home, "llm.fault")[0]["detail"]["error"]


# ---- servers without tool calling ----------------------------------------------------------------------
def test_json_schema_mode(llm_session, llm_env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("INTENT_LLM_TOOL_MODE", "json")
    llm_session.__dict__.pop("resolver", None)
    llm_env.answer({"action": "finance.loan_payment", "arguments": {"principal": 300000, "rate_pct": 6.5,
                                                                     "years": 30}})
    match = llm_session.resolve(LOAN)
    assert match.source == "llm" and match.missing == [] and match.explain["via"] == "json"
    sent = llm_env.requests[0]
    assert "tools" not in sent
    schema = sent["response_format"]["json_schema"]["schema"]
    assert {v["properties"]["action"]["const"] for v in schema["anyOf"]} >= {"finance.loan_payment", "none_of_these"}


def test_auto_falls_back_to_json_when_tools_are_rejected_and_remembers(llm_session, llm_env):  # noqa: F811
    llm_env.no_tools()
    llm_env.answer({"action": "finance.loan_payment", "arguments": {"principal": 300000}})
    llm_env.answer('```json\n{"action": "none_of_these"}\n```')
    resolver = cascade(llm_session, ABSTAIN, mode="llm")
    first = resolver.resolve(LOAN)
    assert first.source == "llm" and first.slots == {"principal": 300000.0} and first.explain["via"] == "json"
    second = resolver.resolve("something else entirely")
    assert second.action is None and second.source == "llm"
    assert ["tools" in r for r in llm_env.requests] == [True, False, False]


def test_a_tool_call_written_as_text_is_accepted(llm_session, llm_env):  # noqa: F811
    llm_env.answer(json.dumps({"name": "finance__loan_payment", "arguments": {"years": 30}}))
    match = cascade(llm_session, ABSTAIN, mode="llm").resolve(LOAN)
    assert match.source == "llm" and match.slots == {"years": 30.0}


# ---- concurrency ---------------------------------------------------------------------------------------
def test_concurrent_resolves_are_independent(llm_session, llm_env):  # noqa: F811
    for _ in range(4):
        llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    resolver = llm_session.resolver
    results: list[Match] = []

    def work():
        results.append(resolver.resolve(LOAN))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(results) == 4 and all(m.source == "llm" and m.missing == [] for m in results)


# ---- the split the TUI uses: local preview per keystroke, the LLM step in a worker ---------------------
def test_preview_is_local_and_refine_asks_the_llm(llm_session, llm_env):  # noqa: F811
    resolver = llm_session.resolver
    preview = resolver.resolve_local(LOAN)
    assert preview.source == "local" and llm_env.requests == []
    assert resolver.wants_llm(preview)  # mode llm: always
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    refined = resolver.refine(preview)
    assert refined.source == "llm" and len(llm_env.requests) == 1
    sure = Match(text=LOAN, action="finance.loan_payment", confidence=1.0, slots=refined.slots)
    assert not cascade(llm_session, sure).wants_llm(sure)


def test_double_encoded_arguments_and_long_text(llm_session, llm_env):  # noqa: F811
    llm_env.tool("finance.loan_payment", json.dumps(json.dumps({"years": 30})))
    long_text = LOAN + " " + "blah " * 5000
    match = cascade(llm_session, ABSTAIN, mode="llm").resolve(long_text)
    assert match.source == "llm" and match.slots == {"years": 30.0}
    assert len(llm_env.requests[0]["messages"][-1]["content"]) == 4000


def test_strict_tools_from_the_live_model_with_null_for_not_stated(llm_session, llm_env):  # noqa: F811
    (llm_session.home / "config.toml").write_text("[llm]\nstrict = true\n")
    llm_session.__dict__.pop("resolver", None)
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": None, "years": None})
    match = cascade(llm_session, ABSTAIN, mode="llm").resolve("a loan of 300k, what would the payment be")
    assert match.source == "llm" and match.slots == {"principal": 300000.0}
    assert match.missing == ["rate_pct", "years"] and match.explain["dropped"] == {}
    sent = llm_env.requests[0]
    assert sent["parallel_tool_calls"] is False
    loan = next(t["function"] for t in sent["tools"] if t["function"]["name"] == "finance__loan_payment")
    assert loan["strict"] is True
    params = loan["parameters"]
    # strict mode lists every property as required (optional ones accept null); issue 17 added two optional ones
    assert params["additionalProperties"] is False
    assert params["required"] == ["principal", "rate_pct", "years", "extra_monthly", "timing"]
    principal = params["properties"]["principal"]["anyOf"]
    assert {"type": "null"} in principal and any(p.get("exclusiveMinimum") == 0 for p in principal)
    assert all(t["function"].get("strict") for t in sent["tools"])


def test_strict_is_on_for_openai_itself_only(home, monkeypatch):
    from intents.llm.config import LLMConfig

    assert LLMConfig(model="m").use_strict  # api.openai.com
    assert not LLMConfig(model="m", base_url="http://127.0.0.1:11434/v1").use_strict
    assert LLMConfig(model="m", base_url="http://127.0.0.1:11434/v1", strict=True).use_strict
