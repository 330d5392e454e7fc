"""The walking skeleton end to end through the real CLI (issue 2's acceptance lines)."""
from __future__ import annotations

LOAN = "monthly payment on a 300k loan at 6.5% over 30 years"


def test_do_loan_payment_json(cli):
    r = cli("do", "finance.loan_payment", "principal=300000", "rate_pct=6.5", "years=30", "--json")
    assert r.code == 0, r.err
    assert r.json["action"] == "finance.loan_payment"
    assert r.json["result"]["monthly_payment"] == 1896.20
    # issue 17 added the optional extra_monthly and timing, reported with their defaults
    assert r.json["params"] == {"principal": 300000.0, "rate_pct": 6.5, "years": 30.0, "extra_monthly": 0.0,
                                "timing": "end"}


def test_run_utterance_gives_same_answer(cli):
    r = cli("run", "--json", LOAN)
    assert r.code == 0, r.err
    assert r.json["result"]["monthly_payment"] == 1896.20


def test_gibberish_is_not_understood(cli):
    r = cli("run", "--json", "qwxz plorf vint")
    assert r.code == 3
    assert r.json["error"]["kind"] == "not_understood"


def test_missing_slot_exits_4_naming_it(cli):
    r = cli("run", "--json", "monthly payment on a 300k loan at 6.5%")
    assert r.code == 4
    assert r.json["error"]["missing"] == ["years"]


def test_bad_value_exits_2_naming_param(cli):
    r = cli("do", "finance.loan_payment", "principal=300000", "rate_pct=6.5", "years=abc", "--json")
    assert r.code == 2
    assert r.json["error"]["param"] == "years"
    assert "years" in r.json["error"]["message"]


def test_unknown_parameter_and_action(cli):
    r = cli("do", "finance.loan_payment", "principle=1", "--json")
    assert r.code == 2 and r.json["error"]["param"] == "principle"
    r = cli("do", "finance.nope", "--json")
    assert r.code == 2 and r.json["error"]["kind"] == "unknown_action"


def test_resolve_json_shape(cli):
    r = cli("resolve", "--json", LOAN)
    assert r.code == 0
    data = r.json
    # "follows" and "changed" joined the contract with follow-ups (issue 15, the catalog's Planned section)
    assert set(data) == {"text", "action", "slots", "confidence", "missing", "alternatives", "source",
                         "follows", "changed"}
    assert data["follows"] is None and data["changed"] == []
    assert data["action"] == "finance.loan_payment"
    assert data["source"] == "local"
    assert 0 <= data["confidence"] <= 1


def test_resolve_jsonl(cli):
    r = cli("resolve", "--jsonl", input=LOAN + "\nzzqx blorp\n")
    lines = [__import__("json").loads(l) for l in r.out.splitlines()]
    assert [l["action"] for l in lines] == ["finance.loan_payment", None]


def test_human_output_formats_money(cli):
    r = cli("run", LOAN)
    assert r.code == 0
    assert "1,896.20" in r.out
    assert "Not investment" in r.out


def test_history_records_runs(cli):
    cli("run", "--json", LOAN)
    r = cli("history", "--json")
    entries = r.json["entries"]
    assert entries and entries[0]["action"] == "finance.loan_payment" and entries[0]["status"] == "ok"
