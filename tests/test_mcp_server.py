"""`intent mcp` over real stdio with the MCP SDK's client: list, call, refusal, missing slot, elicitation,
confirmation, history and audit, and tools/list_changed when the packs or the plan change."""
from __future__ import annotations

import subprocess
import sys

import anyio
import pytest

pytest.importorskip("mcp")

import mcp.types as types  # noqa: E402

from tests.mcp_helpers import connect, run, server_env  # noqa: E402

LOAN = {"principal": 300000, "rate_pct": 6.5, "years": 30}


def test_lists_entitled_tools_with_schemas(home):
    async def scenario():
        async with connect(home) as s:
            return (await s.list_tools()).tools

    tools = {t.name: t for t in run(scenario)}
    assert "intent_run" in tools and "finance_loan_payment" in tools
    # free plan: legal and healthcare are locked; PHI/privileged packs are not served unless shared
    assert not any(n.startswith(("legal_", "healthcare_")) for n in tools)
    # agents never install or remove packs
    assert "system_install_pack" not in tools and "system_remove_pack" not in tools
    loan = tools["finance_loan_payment"]
    assert loan.input_schema["required"] == ["principal", "rate_pct", "years"]
    assert "percent" in loan.input_schema["properties"]["rate_pct"]["description"].lower()
    assert "kind" not in loan.input_schema["properties"]["principal"]
    assert {"monthly_payment", "total_interest", "total_paid", "disclaimer"} <= set(loan.output_schema["properties"])
    assert loan.annotations.read_only_hint is True


def test_call_returns_structured_result_with_basis_and_disclaimer(home):
    async def scenario():
        async with connect(home) as s:
            await s.list_tools()
            return await s.call_tool("finance_loan_payment", LOAN)

    res = run(scenario)
    assert not res.is_error
    assert res.structured_content["monthly_payment"] == pytest.approx(1896.20, abs=0.01)
    text = res.content[0].text
    assert "1,896.20" in text and "basis:" in text and "disclaimer:" in text


def test_intent_run_resolves_words(home):
    async def scenario():
        async with connect(home) as s:
            return await s.call_tool("intent_run", {"text": "monthly payment on a 300k loan at 6.5% over 30 years"})

    res = run(scenario)
    assert not res.is_error
    assert res.structured_content["action"] == "finance.loan_payment"
    assert res.structured_content["params"]["principal"] == 300000
    assert res.structured_content["result"]["monthly_payment"] == pytest.approx(1896.20, abs=0.01)


def test_refusal_names_the_plan(home):
    async def scenario():
        async with connect(home, "--share", "healthcare") as s:
            names = {t.name for t in (await s.list_tools()).tools}
            direct = await s.call_tool("healthcare_egfr", {"creatinine_mg_dl": 1.1, "age": 60, "sex": "female"})
            words = await s.call_tool("intent_run", {"text": "egfr for a 60 year old woman with creatinine 1.1"})
            return names, direct, words

    names, direct, words = run(scenario)
    assert "healthcare_egfr" not in names  # not listed on the free plan ...
    for res in (direct, words):  # ... and refused, naming the plan, when called anyway
        assert res.is_error
        assert res.structured_content["error"]["kind"] == "not_entitled"
        assert res.structured_content["error"]["upgrade"]["plan"] == "pro"
        assert "pro" in res.content[0].text


def test_sensitive_pack_is_not_served_unless_shared(unlocked):
    async def scenario():
        async with connect(unlocked) as s:
            names = {t.name for t in (await s.list_tools()).tools}
            res = await s.call_tool("healthcare_bmi", {"weight_kg": 70, "height_cm": 175})
        async with connect(unlocked, "--share", "healthcare") as s:
            shared = {t.name for t in (await s.list_tools()).tools}
            ok = await s.call_tool("healthcare_bmi", {"weight_kg": 70, "height_cm": 175})
        return names, res, shared, ok

    names, res, shared, ok = run(scenario)
    assert "healthcare_bmi" not in names and res.is_error and "--share healthcare" in res.content[0].text
    assert "healthcare_bmi" in shared and not ok.is_error and ok.structured_content["bmi"] == pytest.approx(22.9, abs=0.1)


def test_missing_slot_without_elicitation_names_the_slots(home):
    async def scenario():
        async with connect(home) as s:
            return await s.call_tool("finance_loan_payment", {"principal": 300000, "rate_pct": 6.5})

    res = run(scenario)
    assert res.is_error
    err = res.structured_content["error"]
    assert err["kind"] == "missing_parameters" and err["missing"] == ["years"]
    assert "years" in res.content[0].text


def test_missing_slot_is_asked_through_elicitation(home):
    asked = []

    async def elicit(ctx, params):
        asked.append(params)
        return types.ElicitResult(action="accept", content={"years": 30})

    async def scenario():
        async with connect(home, elicit=elicit) as s:
            return await s.call_tool("intent_run", {"text": "monthly payment on a 300k loan at 6.5%"})

    res = run(scenario)
    assert not res.is_error, res.content[0].text
    assert res.structured_content["params"]["years"] == 30
    assert asked and list(asked[0].requested_schema["properties"]) == ["years"]
    assert asked[0].requested_schema["properties"]["years"]["type"] == "number"


def test_declined_elicitation_reports_missing(home):
    async def elicit(ctx, params):
        return types.ElicitResult(action="decline")

    async def scenario():
        async with connect(home, elicit=elicit) as s:
            return await s.call_tool("finance_loan_payment", {"principal": 300000, "rate_pct": 6.5})

    res = run(scenario)
    assert res.is_error and res.structured_content["error"]["missing"] == ["years"]


def test_writing_action_needs_confirmation(unlocked, tmp_path):
    nda = {"party_a": "Acme Corp", "party_b": "Bob Smith"}
    answers = []

    async def confirm(ctx, params):
        answers.append(params.message)
        return types.ElicitResult(action="accept", content={"confirm": True})

    async def refuse(ctx, params):
        return types.ElicitResult(action="accept", content={"confirm": False})

    out = tmp_path / "files"

    async def scenario():
        async with connect(unlocked, "--share", "legal", "--out", str(out)) as s:
            no_client = await s.call_tool("legal_draft_nda", nda)
        async with connect(unlocked, "--share", "legal", "--out", str(out), elicit=refuse) as s:
            declined = await s.call_tool("legal_draft_nda", nda)
        async with connect(unlocked, "--share", "legal", "--out", str(out), elicit=confirm) as s:
            done = await s.call_tool("legal_draft_nda", nda)
        return no_client, declined, done

    no_client, declined, done = run(scenario)
    assert no_client.is_error and "confirm" in no_client.content[0].text
    assert declined.is_error and "not confirmed" in declined.content[0].text
    assert not done.is_error, done.content[0].text
    assert answers and "writes files" in answers[0]
    assert (out / done.structured_content["path"].rsplit("/", 1)[-1]).exists()
    assert len({p.stem for p in out.glob("*")}) == 1  # one NDA (docx and md): the refused calls wrote nothing


def test_calls_are_recorded_with_source_mcp(home):
    async def scenario():
        async with connect(home, "--share", "healthcare") as s:
            await s.call_tool("finance_loan_payment", LOAN)
            await s.call_tool("healthcare_bmi", {"weight_kg": 70, "height_cm": 175})

    run(scenario)
    from entitlements.audit import events
    from intents.history import History

    rows = History(home).entries()
    assert [r["source"] for r in rows] == ["mcp", "mcp"]
    assert {r["status"] for r in rows} == {"ok", "not_entitled"}
    calls = events(home, "mcp.call")
    assert {e["detail"]["tool"] for e in calls} == {"finance_loan_payment", "healthcare_bmi"}
    assert all(e["detail"]["source"] == "mcp" for e in calls)


def test_tool_list_changes_when_packs_change(home):
    changed = anyio.Event()

    async def on_message(message):
        if getattr(message, "method", None) == "notifications/tools/list_changed":
            changed.set()

    def cli(*args):
        subprocess.run([sys.executable, "-m", "terminal.cli", *args], env=server_env(home), check=True,
                       capture_output=True, timeout=120)

    async def scenario():
        async with connect(home, "--poll", "0.2", on_message=on_message) as s:
            before = {t.name for t in (await s.list_tools()).tools}
            await anyio.to_thread.run_sync(cli, "packs", "remove", "finance")
            with anyio.fail_after(60):  # a poll away; generous for a loaded CI machine
                await changed.wait()
            after = {t.name for t in (await s.list_tools()).tools}
            return before, after

    before, after = run(scenario)
    assert "finance_loan_payment" in before and "finance_loan_payment" not in after
    assert "intent_run" in after


def test_tool_list_changes_when_the_plan_changes(home, monkeypatch):
    from tests.licensing import activate_plan, vendor_key

    vendor_key(home, monkeypatch)  # the server process trusts the test vendor from the start
    heard = []  # one Event per notification awaited

    async def on_message(message):
        if getattr(message, "method", None) == "notifications/tools/list_changed" and heard:
            heard[-1].set()

    async def scenario():
        async with connect(home, "--poll", "0.2", "--share", "healthcare", on_message=on_message) as s:
            before = {t.name for t in (await s.list_tools()).tools}
            heard.append(anyio.Event())
            await anyio.to_thread.run_sync(lambda: activate_plan(home, "pro", monkeypatch=monkeypatch))
            with anyio.fail_after(60):  # a poll away; generous for a loaded CI machine
                while True:  # as a client does: list again on each notification
                    await heard[-1].wait()
                    heard.append(anyio.Event())
                    after = {t.name for t in (await s.list_tools()).tools}
                    if "healthcare_egfr" in after:
                        break
            res = await s.call_tool("healthcare_egfr", {"creatinine_mg_dl": 1.1, "age": 60, "sex": "female"})
            return before, after, res

    before, after, res = run(scenario)
    assert "healthcare_egfr" not in before and "healthcare_egfr" in after
    assert not res.is_error and res.structured_content["egfr"] > 0


def test_intent_run_follow_ups_and_chains(home):
    async def scenario():
        async with connect(home) as s:
            first = await s.call_tool("intent_run", {"text": "monthly payment on a 300k loan at 6.5% over 30 years"})
            again = await s.call_tool("intent_run", {"text": "what about at 7%?", "follow": True})
            chain = await s.call_tool("intent_run", {"text": "payment on 300k at 6.5% for 30 years, then convert it to euros"})
            return first, again, chain

    first, again, chain = run(scenario)
    assert not first.is_error and not again.is_error, again.content[0].text
    assert {k: again.structured_content["params"][k] for k in ("principal", "rate_pct", "years")} == \
        {"principal": 300000, "rate_pct": 7, "years": 30}
    assert again.structured_content["result"]["monthly_payment"] > first.structured_content["result"]["monthly_payment"]
    assert not chain.is_error, chain.content[0].text
    assert [s["action"] for s in chain.structured_content["steps"]] == ["finance.loan_payment", "finance.convert_currency"]
    assert chain.structured_content["action"] == "finance.convert_currency"
