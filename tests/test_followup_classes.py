"""Classes of follow-ups and compound requests the general mechanisms read (conversation, compound):
each class with sentences of its own, across packs, none taken from the measured sets."""
from __future__ import annotations

import pytest

from intents.conversation import Turn


@pytest.fixture
def local(home, monkeypatch):
    from intents.session import Session

    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    return Session(home=home, mode="local")


def _steps(local, text):
    m = local.resolve(text)
    return [(s.action, s.slots, s.missing) for s in (m.steps or [m])]


# ---- compounds: a plainly worded first request, then a step about its result ---------------------------
@pytest.mark.parametrize("text, second", [
    ("what's the monthly on 275,000 at 5.4% over 25 yrs and convert it to CHF", "finance.convert_currency"),
    ("work out the repayment on a 180,000 loan at 6.9% over 20 years and then give it to me in yen",
     "finance.convert_currency"),
    ("payment on 410k at 5.1% over 30 years and the total interest in pounds", "finance.convert_currency"),
])
def test_a_whole_first_request_then_its_result(local, text, second):
    steps = _steps(local, text)
    assert [a for a, _s, _m in steps] == ["finance.loan_payment", second]
    assert not steps[0][2]


# ---- compounds: a comma before a step about the result, and three steps --------------------------------
def test_a_comma_before_words_about_the_result_is_a_joint(local):
    steps = _steps(local, "repayment on 320k at 6.2% over 25 years, convert it to euros")
    assert [a for a, _s, _m in steps] == ["finance.loan_payment", "finance.convert_currency"]
    assert steps[1][1]["to_currency"] == "EUR"


@pytest.mark.parametrize("text", [
    "nda between Birch Labs and Cedar Works, make it 4 years",  # a change of the request, not a step
    "deadline 21 days after 2026-04-07, make it court days",
    "egfr for a 58 year old woman, creatinine 1.2",  # a comma between values
])
def test_a_comma_before_a_change_or_a_value_is_no_joint(local, text):
    steps = _steps(local, text)
    assert len(steps) == 1


def test_three_steps_the_third_takes_values_from_the_first(local):
    steps = _steps(local, "loan payment on 260k at 5.8% over 20 years, convert it to AUD, and then the amortization")
    assert [a for a, _s, _m in steps] == ["finance.loan_payment", "finance.convert_currency", "finance.amortization"]
    assert steps[2][1]["principal"] == 260000 and steps[2][1]["years"] == 20 and not steps[2][2]



# ---- follow-ups: a change said by a verb before its amount ---------------------------------------------
BMI = Turn(11, "healthcare.bmi", {"weight_kg": 96, "height_cm": 178}, {"bmi": 30.3})
LOAN = Turn(12, "finance.loan_payment", {"principal": 240000, "rate_pct": 5.5, "years": 25},
            {"monthly_payment": 1473.8})
EGFR = Turn(13, "healthcare.egfr", {"creatinine_mg_dl": 1.3, "age": 47, "sex": "male"}, {"egfr": 67.0})
SAVE = Turn(14, "finance.compound_interest", {"principal": 3000, "rate_pct": 6, "years": 15,
                                              "monthly_contribution": 200}, {"future_value": 64000.0})


@pytest.mark.parametrize("last, text, name, value", [
    (BMI, "he lost 7 kg since", "weight_kg", 89),
    (BMI, "she dropped 4 kg", "weight_kg", 92),
    (BMI, "and if he gained 3 kg", "weight_kg", 99),
    (LOAN, "the rate rose half a point", "rate_pct", 6.0),
    (LOAN, "cut 5 years", "years", 20),
    (EGFR, "same patient eight years older", "age", 55),
])
def test_a_change_said_by_its_verb(local, last, text, name, value):
    m = local.resolve(text, last=last)
    assert m.action == last.action and m.follows == last.id
    assert m.slots[name] == pytest.approx(value)


def test_a_verb_of_change_with_to_sets_the_value(local):
    m = local.resolve("bump the monthly to 350", last=SAVE)
    assert m.action == "finance.compound_interest" and m.slots["monthly_contribution"] == 350


@pytest.mark.parametrize("text", ["I lost my keys", "the market dropped again"])
def test_words_of_change_about_nothing_of_the_last_are_no_edit(local, text):
    m = local.resolve(text, last=BMI)
    assert m.follows is None


# ---- follow-ups: more of a list, and a look-up's free text with a number in it --------------------------
REDACT = Turn(15, "legal.redact", {"source": "letter.txt", "kinds": ["email"]}, None)
ICD = Turn(16, "healthcare.icd10_lookup", {"query": "migraine", "limit": 10}, None)


@pytest.mark.parametrize("text, kinds", [
    ("and phone numbers", ["email", "phone"]),
    ("and the ssns", ["email", "ssn"]),
    ("and only phone numbers", ["phone"]),
])
def test_and_adds_to_a_list(local, text, kinds):
    m = local.resolve(text, last=REDACT)
    assert m.action == "legal.redact" and m.follows == REDACT.id
    assert m.slots["kinds"] == kinds


@pytest.mark.parametrize("text, query", [
    ("what about type 2 diabetes", "type 2 diabetes"),
    ("and for covid 19", "covid 19"),
])
def test_a_number_inside_a_look_ups_text_is_part_of_it(local, text, query):
    m = local.resolve(text, last=ICD)
    assert m.action == "healthcare.icd10_lookup" and m.follows == ICD.id
    assert m.slots["query"] == query


def test_a_number_with_its_cue_is_still_a_value(local):
    m = local.resolve("show 4 matches", last=ICD)
    assert m.slots["query"] == "migraine" and m.slots["limit"] == 4


# ---- result references: "that <result field>" for another action, and an optional slot from the result --
APR = Turn(17, "finance.apr", {"principal": 90000, "rate_pct": 7.2, "years": 10, "fees": 1500}, {"apr": 7.55})
DEADLINE = Turn(18, "legal.deadline", {"start_date": "2026-05-04", "days": 30}, {"due_date": "2026-06-03"})


def test_that_result_field_is_a_value_for_another_action(local):
    m = local.resolve("and the monthly payment on 110k over 12 years at that apr", last=APR)
    assert m.action == "finance.loan_payment" and m.follows == APR.id
    assert m.slots["rate_pct"] == pytest.approx(7.55) and m.slots["principal"] == 110000 and m.slots["years"] == 12


def test_that_result_field_does_not_take_a_change_of_the_last(local):
    m = local.resolve("and with fees of 2500", last=APR)
    assert m.action == "finance.apr" and m.slots["fees"] == 2500


def test_an_optional_date_from_the_last_results_date(local):
    m = local.resolve("what was 800 euros in dollars on that date", last=DEADLINE)
    assert m.action == "finance.convert_currency" and m.follows == DEADLINE.id
    assert m.slots["date"] == "2026-06-03" and m.slots["amount"] == 800


def test_a_said_date_is_not_replaced_by_the_result(local):
    m = local.resolve("what was 800 euros in dollars on 2025-12-01", last=DEADLINE)
    assert m.slots["date"] == "2025-12-01"


def test_a_chain_step_at_that_result_field(local):
    steps = _steps(local, "apr for 95k at 6.1% over 15 years with 1,800 fees, then the payment on 95k at that apr "
                          "over 15 years")
    assert [a for a, _s, _m in steps] == ["finance.apr", "finance.loan_payment"]
    assert steps[1][1]["principal"] == 95000 and "fees" not in steps[1][1]


# ---- a value carried because the words name the slot it was in, with that slot's unit -------------------
CRCL = Turn(19, "healthcare.creatinine_clearance", {"age": 71, "weight_kg": 68, "creatinine_mg_dl": 1.4,
                                                    "sex": "female"}, {"crcl_ml_min": 38.0})


@pytest.mark.parametrize("last, text", [
    (EGFR, "convert his creatinine to umol/l"),
    (CRCL, "and what is that creatinine in umol/l"),
])
def test_a_named_value_of_the_last_request_with_its_unit(local, last, text):
    m = local.resolve(text, last=last)
    assert m.action == "healthcare.convert_lab" and m.follows == last.id and not m.missing
    assert m.slots["value"] == last.params["creatinine_mg_dl"] and m.slots["unit"] == "mg/dL"


def test_a_chain_step_takes_the_named_value(local):
    steps = _steps(local, "egfr for a 39 year old man with creatinine 1.05, then convert the creatinine to umol/l")
    assert [a for a, _s, _m in steps] == ["healthcare.egfr", "healthcare.convert_lab"]
    assert steps[1][1]["value"] == 1.05 and steps[1][1]["unit"] == "mg/dL"


# ---- digitless durations, the other value of a kind, "A not B", a party replaced by name ----------------
def test_a_digitless_duration_in_a_follow_up(local):
    m = local.resolve("what about over a decade", last=LOAN)
    assert m.action == "finance.loan_payment" and m.slots["years"] == 10


def test_once_a_year_is_no_duration(local):
    m = local.resolve("compounded once a year", last=SAVE)
    assert m.slots.get("years") != 1


@pytest.mark.parametrize("last, text, name, value", [
    (EGFR, "and if he were a woman", "sex", "female"),
    (Turn(20, "healthcare.egfr", {"creatinine_mg_dl": 0.9, "age": 52, "sex": "female"}, {"egfr": 75.0}),
     "what if she were male", "sex", "male"),
])
def test_the_other_value_of_a_kind_is_the_change(local, last, text, name, value):
    m = local.resolve(text, last=last)
    assert m.action == last.action and m.follows == last.id and m.slots[name] == value


@pytest.mark.parametrize("last, text, name, value", [
    (CRCL, "she's 61 not 71", "age", 61),
    (CRCL, "sorry, 1.6, not 1.4", "creatinine_mg_dl", 1.6),
    (LOAN, "not 25 years but 15", "years", 15),
    (LOAN, "5.25%, not 5.5%", "rate_pct", 5.25),
])
def test_a_value_corrected_by_naming_the_old_one(local, last, text, name, value):
    m = local.resolve(text, last=last)
    assert m.action == last.action and m.follows == last.id
    assert m.slots[name] == pytest.approx(value)
    others = {k: v for k, v in last.params.items() if k != name}
    assert all(m.slots[k] == v for k, v in others.items())


NDA2 = Turn(21, "legal.draft_nda", {"party_a": "Harbor Freight Co", "party_b": "Quill Media", "mutual": True,
                                    "term_years": 2}, None)


@pytest.mark.parametrize("text, a, b", [
    ("do the same for Larkspur Systems", "Harbor Freight Co", "Larkspur Systems"),
    ("same but with Larkspur Systems instead of Quill Media", "Harbor Freight Co", "Larkspur Systems"),
    ("same thing with Larkspur Systems instead of Harbor Freight Co", "Larkspur Systems", "Quill Media"),
    ("replace Harbor Freight Co with Larkspur Systems", "Larkspur Systems", "Quill Media"),
])
def test_a_party_replaced_by_name(local, text, a, b):
    m = local.resolve(text, last=NDA2)
    assert m.action == "legal.draft_nda" and m.follows == NDA2.id
    assert m.slots["party_a"] == a and m.slots["party_b"] == b and m.slots["term_years"] == 2


# ---- compounds: of several "and"s, the one after a whole request ----------------------------------------
def test_and_inside_a_list_is_not_the_joint(local):
    steps = _steps(local, "redact emails and card numbers from notes.docx and extract the citations in it")
    assert [a for a, _s, _m in steps] == ["legal.redact", "legal.extract_citations"]
    assert steps[0][1]["kinds"] == ["email", "card"] and steps[0][1]["source"] == "notes.docx"


# ---- chain steps drawn back to the step before by its result's or its name's words ----------------------
def test_a_chain_step_naming_the_result_field(local):
    steps = _steps(local, "npv of -40k, 15k, 18k, 21k at 6 percent then convert the npv to francs")
    assert [a for a, _s, _m in steps] == ["finance.npv", "finance.convert_currency"]
    assert steps[1][1]["to_currency"] == "CHF"


def test_a_chain_step_on_the_file_the_step_before_wrote(local, tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "lease.txt").write_text((Path(__file__).parent / "data" / "legal" / "services.txt").read_text())
    steps = _steps(local, "redact lease.txt then summarize the redacted version")
    assert [a for a, _s, _m in steps] == ["legal.redact", "legal.contract_summary"]


def test_a_chain_step_the_result_cannot_complete_is_no_step(local, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lease.txt").write_text("x")
    steps = _steps(local, "redact lease.txt, then count the words in the redacted file")
    assert [a for a, _s, _m in steps] != ["legal.redact", "legal.deadline"]


# ---- list edits: one more element, and an element by the pack's word for it (Slot(elements=...)) --------
IRR = Turn(22, "finance.irr", {"cash_flows": [-30000, 8000, 9000, 10000, 11000]}, {"irr_pct": 7.9})
NPV = Turn(23, "finance.npv", {"rate_pct": 7, "cash_flows": [-30000, 8000, 9000, 10000, 11000]}, {"npv": 1200.0})


@pytest.mark.parametrize("last, text, flows", [
    (IRR, "add a final 6000", [-30000, 8000, 9000, 10000, 11000, 6000]),
    (NPV, "append another 2500", [-30000, 8000, 9000, 10000, 11000, 2500]),
    (IRR, "what if the outlay was 26000", [-26000, 8000, 9000, 10000, 11000]),
    (NPV, "and if the investment were 35k", [-35000, 8000, 9000, 10000, 11000]),
    (IRR, "the final one is 15000", [-30000, 8000, 9000, 10000, 15000]),
])
def test_list_edits(local, last, text, flows):
    m = local.resolve(text, last=last)
    assert m.action == last.action and m.follows == last.id
    assert m.slots["cash_flows"] == flows


def test_add_to_a_sum_is_still_a_change_of_it(local):
    m = local.resolve("add 40k", last=LOAN)
    assert m.action == "finance.loan_payment" and m.slots["principal"] == 280000


def test_elements_only_on_a_list():
    from intents.pack_check import check_language
    from intents.sdk import Pack, Result, Slot

    class Out(Result):
        total: float

    pack = Pack(id="elemcheck", name="Elements check", version="0.1.0", description="x")

    @pack.action(samples=["total of 3, 4 and 5"])
    def total(values: list[float] = Slot("Values", kind="number_list", elements={"base": 0}),
              scale: float = Slot("Scale", kind="number", default=1.0, elements={"first": 0})) -> Out:
        """Total of values."""
        return Out(total=sum(values) * scale, basis="sum")

    problems = check_language(pack.spec())
    assert any("'scale' names elements" in p for p in problems)
    assert not any("'values' names elements" in p for p in problems)


# ---- what an action made, named by its own noun; a result field asked for again --------------------------
NDA3 = Turn(24, "legal.draft_nda", {"party_a": "Harbor Freight Co", "party_b": "Quill Media", "mutual": True,
                                    "term_years": 2}, {"path": "/tmp/NDA-Harbor-Quill.docx"})


@pytest.mark.parametrize("text, action", [
    ("summarize that nda", "legal.contract_summary"),
    ("redact the nda you just drafted", "legal.redact"),
])
def test_the_made_thing_named_by_its_actions_noun(local, text, action):
    m = local.resolve(text, last=NDA3)
    assert m.action == action and m.follows == NDA3.id
    assert m.slots["source"] == "/tmp/NDA-Harbor-Quill.docx"


def test_the_actions_noun_with_a_change_is_still_a_change(local):
    m = local.resolve("make the nda 4 years", last=NDA3)
    assert m.action == "legal.draft_nda" and m.slots["term_years"] == 4


LOAN_RESULT = Turn(25, "finance.loan_payment", {"principal": 240000, "rate_pct": 5.5, "years": 25},
                   {"monthly_payment": 1473.8, "total_interest": 202140.0, "total_paid": 442140.0})


@pytest.mark.parametrize("text", ["and what's the total paid then?", "how much is the total interest"])
def test_a_result_field_asked_for_is_the_last_request_again(local, text):
    m = local.resolve(text, last=LOAN_RESULT)
    assert m.action == "finance.loan_payment" and m.follows == LOAN_RESULT.id
    assert m.slots["principal"] == 240000 and m.slots["years"] == 25


def test_a_result_field_with_another_actions_word_is_that_action(local):
    m = local.resolve("convert the total interest to euros", last=LOAN_RESULT)
    assert m.action == "finance.convert_currency" and m.slots["amount"] == pytest.approx(202140.0)


# ---- a list of requests sharing values said once at the end; a date field of the last result -----------
@pytest.mark.parametrize("text, actions", [
    ("bmi, bsa and ideal body weight for a man, 176 cm, 88 kg", ["healthcare.bmi", "healthcare.bsa", "healthcare.body_weight"]),
    ("loan payment, amortization and apr for 150k at 6.4% over 20 years with 2500 fees",
     ["finance.loan_payment", "finance.amortization", "finance.apr"]),
])
def test_a_list_of_requests_shares_the_values_at_the_end(local, text, actions):
    steps = _steps(local, text)
    assert [a for a, _s, _m in steps] == actions
    assert all(not missing for _a, _s, missing in steps)


def test_a_comma_inside_one_request_is_no_list(local):
    steps = _steps(local, "egfr for a 66 year old woman, creatinine 1.1 and the bsa")
    assert steps[0][0] == "healthcare.egfr" and steps[0][1]["creatinine_mg_dl"] == 1.1


SUMMARY = Turn(26, "legal.contract_summary", {"source": "msa.txt"},
               {"effective_date": "2025-03-03", "parties": ["Acme Corp", "Bolt Ltd"]})


def test_a_date_field_of_the_last_result_named_by_its_words(local):
    m = local.resolve("when is 45 days after the effective date", last=SUMMARY)
    assert m.action == "legal.deadline" and m.follows == SUMMARY.id
    assert m.slots["start_date"] == "2025-03-03" and m.slots["days"] == 45


# ---- a question about a conversion's result converts the result again ---------------------------------
FX = Turn(27, "finance.convert_currency", {"amount": 100, "from_currency": "USD", "to_currency": "EUR"},
          {"converted": 92.0, "rate": 0.92})


def test_whats_that_in_another_currency_converts_the_result(local):
    m = local.resolve("and what's that in yen", last=FX)
    assert m.action == "finance.convert_currency" and m.follows == FX.id
    assert m.slots["from_currency"] == "EUR" and m.slots["to_currency"] == "JPY"


def test_make_that_another_currency_still_changes_the_request(local):
    m = local.resolve("make that yen instead", last=FX)
    assert m.slots["amount"] == 100 and m.slots["from_currency"] == "USD" and m.slots["to_currency"] == "JPY"


def test_a_chain_asking_whats_that_in_another_currency(local):
    steps = _steps(local, "how much is 3000 chf in usd and what's that in gbp")
    assert [a for a, _s, _m in steps] == ["finance.convert_currency", "finance.convert_currency"]
    assert steps[1][1]["to_currency"] == "GBP" and steps[1][1].get("amount") != 3000


# ---- "same <thing>" keeps a thing of the last turn, whatever the field calls it --------------------------
@pytest.mark.parametrize("last, text, name, value", [
    (EGFR, "same labs at 72", "age", 72),
    (LOAN, "same terms but 15 years", "years", 15),
])
def test_same_thing_with_one_value_changed(local, last, text, name, value):
    m = local.resolve(text, last=last)
    assert m.action == last.action and m.follows == last.id and m.slots[name] == value


def test_same_with_nothing_of_the_last_is_refused(local):
    m = local.resolve("same weather tomorrow", last=LOAN)
    assert m.follows is None
