"""Follow-ups and compound requests (issue 15): through the real session, dispatcher and history."""
from __future__ import annotations

import pytest

from intents.conversation import Turn, continue_match


@pytest.fixture
def local(home):
    from intents.session import Session

    return Session(home=home, mode="local")


LOAN = Turn(7, "finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30},
            {"monthly_payment": 1896.2, "total_interest": 382633.47, "total_paid": 682633.47})
EGFR = Turn(8, "healthcare.egfr", {"creatinine_mg_dl": 1.1, "age": 60, "sex": "female"}, {"egfr": 57.0})
NDA = Turn(9, "legal.draft_nda", {"party_a": "Acme", "party_b": "Bob", "mutual": True, "term_years": 2}, {"path": "x"})


@pytest.mark.parametrize("last, text, action, expect, changed", [
    (LOAN, "what about at 7%?", "finance.loan_payment", {"principal": 300000, "rate_pct": 7, "years": 30}, ["rate_pct"]),
    (LOAN, "and over 15 years", "finance.loan_payment", {"rate_pct": 6.5, "years": 15}, ["years"]),
    (LOAN, "no, 5.5%", "finance.loan_payment", {"rate_pct": 5.5, "principal": 300000}, ["rate_pct"]),
    (LOAN, "450k", "finance.loan_payment", {"principal": 450000, "years": 30}, ["principal"]),
    (LOAN, "show me the amortization for that", "finance.amortization",
     {"principal": 300000, "rate_pct": 6.5, "years": 30}, []),
    (LOAN, "convert that to euros", "finance.convert_currency",
     {"amount": 1896.2, "from_currency": "USD", "to_currency": "EUR"}, ["to_currency"]),
    (EGFR, "what about a man?", "healthcare.egfr", {"sex": "male", "age": 60, "creatinine_mg_dl": 1.1}, ["sex"]),
    (EGFR, "sorry, age 65", "healthcare.egfr", {"age": 65, "sex": "female"}, ["age"]),
    (EGFR, "and his creatinine clearance, he weighs 80 kg", "healthcare.creatinine_clearance",
     {"age": 60, "creatinine_mg_dl": 1.1, "weight_kg": 80, "sex": "male"}, ["sex", "weight_kg"]),
    (NDA, "make it one-way and 3 years", "legal.draft_nda",
     {"party_a": "Acme", "party_b": "Bob", "mutual": False, "term_years": 3}, ["mutual", "term_years"]),
])
def test_follow_up_continues_the_last_turn(local, monkeypatch, last, text, action, expect, changed):
    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    m = local.resolve(text, last=last)
    assert m.action == action
    assert m.follows == last.id
    for name, value in expect.items():
        assert m.slots[name] == pytest.approx(value) if isinstance(value, (int, float)) else m.slots[name] == value
    assert m.changed == changed
    assert not m.missing


@pytest.mark.parametrize("text", ["bmi 70 kg 175 cm", "monthly payment on 200k at 5% over 10 years"])
def test_a_complete_new_request_starts_afresh(local, text):
    m = local.resolve(text, last=LOAN)
    assert m.follows is None and m.action is not None and not m.missing


@pytest.mark.parametrize("text", ["what's the weather tomorrow", "book me a table for two", "thanks, bye"])
def test_a_foreign_follow_up_is_not_a_continuation(local, text):
    m = local.resolve(text, last=LOAN)
    assert m.follows is None
    assert m.action != "finance.loan_payment"


def test_nothing_to_continue_is_a_plain_resolve(local):
    plain = local.resolve("what about at 7%?")
    assert plain.follows is None and plain.missing  # no last turn: the loan still lacks its values


def test_follow_up_never_invents_values_the_words_do_not_give(local):
    m = continue_match(local.resolver, local.specs, LOAN, "what about at 7%?")
    assert set(m.slots) == {"principal", "rate_pct", "years"}
    assert m.slots["rate_pct"] == 7


@pytest.mark.parametrize("text, actions", [
    ("payment on 300k at 6.5% for 30 years, then convert it to euros", ["finance.loan_payment", "finance.convert_currency"]),
    ("bmi and bsa for 80 kg, 180 cm", ["healthcare.bmi", "healthcare.bsa"]),
    ("npv at 8% and irr of -1000, 300, 400, 500", ["finance.npv", "finance.irr"]),
])
def test_compound_requests_split_into_steps(local, text, actions):
    m = local.resolve(text)
    assert [s.action for s in m.steps] == actions
    assert m.action == actions[-1]


@pytest.mark.parametrize("text", [
    "draft an NDA between Acme and Bob",
    "loan of 300k and 6.5% over 30 years",
    "calculate BSA, weight 160 lbs, height 5 foot 8",
    "kidney function for a 50 yo man, creatinine 1.3",
    "net present value at six percent of minus twenty thousand now then five thousand seven thousand and twelve thousand",
])
def test_one_request_with_and_or_then_stays_one(local, text):
    assert local.resolve(text).steps is None


def test_compound_run_gives_steps_and_the_last_step_on_top(cli, monkeypatch):
    r = cli("run", "--json", "payment on 300k at 6.5% for 30 years, then convert it to euros",
            env={"INTENT_CURRENCY": "USD"})
    assert r.code == 0, r.err
    data = r.json
    assert [s["action"] for s in data["steps"]] == ["finance.loan_payment", "finance.convert_currency"]
    assert data["action"] == "finance.convert_currency"
    assert data["params"]["amount"] == pytest.approx(1896.2)
    assert data["params"]["from_currency"] == "USD"
    assert data["result"] == data["steps"][-1]["result"]


def test_a_refused_step_stops_the_chain_and_says_which(cli):
    r = cli("run", "--json", "monthly payment on 300k at 6% over 30 years and then the bmi for 80 kg 180 cm")
    assert r.code == 5
    err = r.json["error"]
    assert err["step"] == 2 and err["steps"] == 2 and err["step_action"] == "healthcare.bmi"
    assert err["message"].startswith("step 2 of 2")
    assert err["completed"][0]["action"] == "finance.loan_payment"


def test_cli_continue_reads_the_last_run(cli):
    assert cli("run", "--json", "monthly payment on a 300k loan at 6.5% over 30 years").code == 0
    r = cli("resolve", "-c", "--json", "what about at 7%?")
    assert r.code == 0
    data = r.json
    assert data["action"] == "finance.loan_payment" and data["changed"] == ["rate_pct"]
    assert isinstance(data["follows"], int)
    run = cli("run", "-c", "--json", "and over 15 years")
    assert run.code == 0
    assert run.json["params"] == {"principal": 300000.0, "rate_pct": 6.5, "years": 15.0,
                                  "extra_monthly": 0.0, "timing": "end"}  # issue 17's optional parameters
    plain = cli("resolve", "--json", "what about at 7%?")
    assert plain.json["follows"] is None and plain.json["missing"]


def test_history_links_follow_ups_and_chains(local, monkeypatch):
    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    first = local.run_text("monthly payment on a 300k loan at 6.5% over 30 years")
    second = local.run_text("what about at 7%?", follow=True)
    chain = local.run_text("payment on 200k at 5% for 20 years, then convert it to euros")
    rows = {r["id"]: r for r in local.history.entries()}
    assert rows[second.history_id]["follows"] == first.history_id
    step_rows = [r for r in rows.values() if r["chain"] is not None]
    assert len(step_rows) == 1 and step_rows[0]["id"] == chain.history_id
    assert step_rows[0]["chain"] == chain.history_id - 1


def test_after_a_chain_a_follow_up_continues_the_step_whose_values_it_changes(local, monkeypatch):
    """ "and 15 years" after "payment ..., then convert it to euros" changes the loan (the conversion has no
    term); "and in yen" still continues the conversion, the last step."""
    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    chain = local.run_text("repayment on 240k at 6.1% over 30 years, then convert it to euros")
    loan_id = chain.history_id - 1
    m = local.resolve("and 15 years", follow=True)
    assert m.action == "finance.loan_payment" and m.follows == loan_id
    assert m.slots["years"] == 15 and m.slots["principal"] == 240000 and m.changed == ["years"]
    m = local.resolve("what about at 5.5%?", follow=True)
    assert m.action == "finance.loan_payment" and m.slots["rate_pct"] == 5.5
    m = local.resolve("and in yen", follow=True)
    assert m.action == "finance.convert_currency" and m.follows == chain.history_id
    assert m.slots["to_currency"] == "JPY"


class _SecondTier:
    """What a configured LLM tier puts in front of the local resolver (intents.resolver.cascade.Cascade's
    shape: the local tier as `local`, `refine` asking the LLM), recording every time the LLM is asked."""

    def __init__(self, local):
        self.local, self.asked = local, []

    def resolve(self, text):
        return self.refine(self.local.resolve(text))

    def resolve_local(self, text):
        return self.local.resolve(text)

    def fill_for(self, action_id, text):
        return self.local.fill_for(action_id, text)

    def foreign_words(self, action_id, text):
        return self.local.foreign_words(action_id, text)

    def wants_llm(self, match):
        return True

    def refine(self, match, context=None):
        self.asked.append(match.text)
        return match


LAB = Turn(11, "healthcare.convert_lab", {"value": 1.4, "analyte": "creatinine", "unit": "mg/dL"},
           {"converted": 123.8, "unit": "umol/L"})
ICD = Turn(12, "healthcare.icd10_lookup", {"query": "asthma"}, {"matches": []})


@pytest.mark.parametrize("last, text, action, expect", [
    (LAB, "and his egfr with that creatinine, he's a 70 year old man", "healthcare.egfr",
     {"creatinine_mg_dl": 1.4, "age": 70, "sex": "male"}),  # 123.8 umol/L is 1.4 mg/dL, not 123.8 mg/dL
    (ICD, "what about gout?", "healthcare.icd10_lookup", {"query": "gout"}),
    (LOAN, "what about at 7%?", "finance.loan_payment", {"principal": 300000, "rate_pct": 7, "years": 30}),
])
def test_with_an_llm_tier_a_follow_up_reads_as_locally_and_a_preview_never_asks_it(local, last, text, action,
                                                                                    expect):
    """The follow-up reading is the local tier's (its lexicon converts carried values; its re-readings of
    parts of the words never reach an LLM); the LLM tier is asked at most once, about the whole request."""
    plain = local.resolve(text, last=last)
    local.__dict__["resolver"] = tier = _SecondTier(local.resolver)
    preview = local.resolve(text, last=last, local_only=True)
    assert tier.asked == []
    entered = local.resolve(text, last=last)
    assert len(tier.asked) <= 1
    for m in (plain, preview, entered):
        assert m.action == action and m.follows == last.id
        for name, value in expect.items():
            assert m.slots[name] == (pytest.approx(value, abs=0.01) if isinstance(value, float) else value)


def test_old_history_gains_the_columns(home):
    import sqlite3

    from intents.history import History

    conn = sqlite3.connect(home / "history.db")
    conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, ts TEXT, text TEXT, action TEXT, params TEXT, "
                 "status TEXT, exit_code INTEGER, result TEXT, error TEXT, elapsed_ms FLOAT, source TEXT)")
    conn.commit()
    conn.close()
    h = History(home)
    rid = h.record(action="finance.irr", params={"cash_flows": [-1, 2]}, status="ok", exit_code=0, follows=None)
    assert h.last_run()["id"] == rid


# Aggregate floors, a few points under what the sets reach (two-turn 0.989, compound 0.981 when this was
# written): a change that loses a class of follow-up fails here with the misses listed. The held-out sets
# are not held to a floor here; bench/conversation.py prints their figure apart.
TWO_TURN_FLOOR = 0.96
COMPOUND_FLOOR = 0.94


@pytest.mark.slow
def test_the_conversation_sets_keep_their_share(tmp_path, monkeypatch):
    from bench import conversation as bench

    monkeypatch.chdir(tmp_path)  # the bench works in a throwaway home per line; these are put back after
    monkeypatch.setenv("INTENT_HOME", str(tmp_path))
    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    # one home for every line (the bench builds one per line): the same readings, a fraction of the time
    turns = bench.score_turns(bench._load(bench.SETS[0]), False, shared=True)
    chains = bench.score_compound(bench._load(bench.SETS[1]), shared=True)
    assert turns["lines"] >= 150 and chains["lines"] >= 40
    assert turns["right"] / turns["lines"] >= TWO_TURN_FLOOR, "\n".join(turns["misses"])
    assert chains["right"] / chains["lines"] >= COMPOUND_FLOOR, "\n".join(chains["misses"])
