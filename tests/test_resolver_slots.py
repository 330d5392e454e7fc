"""Slot roles, exactly: which value fills which parameter, in the catalog's units, and what is missing.

Runs against the installed catalog (the packs' cached specs); no pack code is imported to resolve.
"""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    from intents.registry import Registry
    from intents.resolver import local_resolver

    return local_resolver(Registry.load(tmp_path_factory.mktemp("home")))


def resolve(resolver, text):
    return resolver.resolve(text)


@pytest.mark.parametrize("text, action, slots", [
    # principal vs monthly contribution: the periodic amount goes to the periodic slot
    ("if I invest 10000 at 8% for 30 years and add 500 a month what will I have", "finance.compound_interest",
     {"principal": 10000, "monthly_contribution": 500, "rate_pct": 8, "years": 30}),
    ("start with 2000, contribute $200 per month, 7% return, 25 years, future value", "finance.compound_interest",
     {"principal": 2000, "monthly_contribution": 200, "rate_pct": 7, "years": 25}),
    ("future value of $5,000 at 6% for 15 years compounded quarterly", "finance.compound_interest",
     {"principal": 5000, "rate_pct": 6, "years": 15, "compounds_per_year": 4}),
    # target, not current savings
    ("how much do I need to save each month to reach 50000 in 5 years at 4%", "finance.savings_goal",
     {"target": 50000, "years": 5, "rate_pct": 4}),
    # spoken numbers as speech recognition writes them
    ("mortgage payment on three hundred fifty thousand dollars at five point seven five percent for thirty years",
     "finance.loan_payment", {"principal": 350000, "rate_pct": 5.75, "years": 30}),
    ("loan payment for 40000 at 7.25 percent over 48 months", "finance.loan_payment",
     {"principal": 40000, "rate_pct": 7.25, "years": 4}),
    # from vs to currency
    ("convert 500 euros to dollars", "finance.convert_currency", {"amount": 500, "from_currency": "EUR", "to_currency": "USD"}),
    ("how many yen is $250", "finance.convert_currency", {"amount": 250, "from_currency": "USD", "to_currency": "JPY"}),
    ("convert 300 pounds to euros", "finance.convert_currency", {"amount": 300, "from_currency": "GBP", "to_currency": "EUR"}),
    ("1500 GBP to EUR on 5 June 2024", "finance.convert_currency",
     {"amount": 1500, "from_currency": "GBP", "to_currency": "EUR", "date": "2024-06-05"}),
    # weight vs height, with unit conversion to kg and cm
    ("bmi 150 lbs 5'4\"", "healthcare.bmi", {"weight_kg": 68.04, "height_cm": 162.6}),
    ("bmi for 80 kg and 1.8 m", "healthcare.bmi", {"weight_kg": 80, "height_cm": 180}),
    # age vs creatinine; sex; µmol/L to mg/dL
    ("egfr for a 60 year old woman with creatinine 1.1", "healthcare.egfr", {"age": 60, "sex": "female", "creatinine_mg_dl": 1.1}),
    ("estimate glomerular filtration rate, creatinine 110 umol/l, 58 year old male", "healthcare.egfr",
     {"age": 58, "sex": "male", "creatinine_mg_dl": 1.244}),
    ("crcl 82 yo woman weight 55 kg creatinine 1.4 mg/dl", "healthcare.creatinine_clearance",
     {"age": 82, "sex": "female", "weight_kg": 55, "creatinine_mg_dl": 1.4}),
    # qt vs heart rate; formula choice (also through a typo)
    ("QTc fridericia qt 440 hr 60", "healthcare.qtc", {"qt_ms": 440, "heart_rate_bpm": 60, "formula": "fridericia"}),
    ("qtc by fredericia qt 450 hr 75", "healthcare.qtc", {"qt_ms": 450, "heart_rate_bpm": 75, "formula": "fridericia"}),
    ("dose for a 20 kg child at 15 mg/kg", "healthcare.dose", {"weight_kg": 20, "dose_mg_per_kg": 15}),
    ("convert glucose 5.5 mmol/l to mg/dl", "healthcare.convert_lab", {"value": 5.5, "analyte": "glucose", "unit": "mmol/L"}),
    ("icd-10 code for type 2 diabetes", "healthcare.icd10_lookup", {"query": "type 2 diabetes"}),
    # parties in order, not greedy; mutual, term and governing law
    ("one-way NDA between Stark Industries and Wayne Enterprises under New York law", "legal.draft_nda",
     {"party_a": "Stark Industries", "party_b": "Wayne Enterprises", "mutual": False, "governing_law": "New York"}),
    ("write a mutual non-disclosure agreement between Globex and Initech for 3 years", "legal.draft_nda",
     {"party_a": "Globex", "party_b": "Initech", "mutual": True, "term_years": 3}),
    # parties written the other ways people write them
    ("nda hooli / pied piper, 2 years", "legal.draft_nda", {"party_a": "hooli", "party_b": "pied piper", "term_years": 2}),
    ("NDA: Dunder Mifflin & Sabre, mutual", "legal.draft_nda", {"party_a": "Dunder Mifflin", "party_b": "Sabre"}),
    ("draft an nda with party A Oscorp and party B Tyrell Corp", "legal.draft_nda",
     {"party_a": "Oscorp", "party_b": "Tyrell Corp"}),
    ("confidentiality agreement in which Acme Labs discloses its formulas to Bluth Company", "legal.draft_nda",
     {"party_a": "Acme Labs", "party_b": "Bluth Company"}),
    # said or dictated: letters of an abbreviation, metres and centimetres, an age as a number of years
    ("b m i for 72 kg and 1 meter 68", "healthcare.bmi", {"weight_kg": 72, "height_cm": 168}),
    ("e g f r, man, 66 years, creatinine 0.9", "healthcare.egfr", {"age": 66, "sex": "male", "creatinine_mg_dl": 0.9}),
    ("amoxicillin 25 mg for each kilo, child of 18 kg", "healthcare.dose", {"dose_mg_per_kg": 25, "weight_kg": 18}),
    ("to have 15k saved in 3 years at 4%, how much a month?", "finance.savings_goal",
     {"target": 15000, "years": 3, "rate_pct": 4}),
    ("one-way nda from Gringotts Ltd. to Ollivanders, 2 years", "legal.draft_nda",
     {"party_a": "Gringotts Ltd.", "party_b": "Ollivanders"}),
    ("Wonka Industries & Slugworth Co., 3 years - draft the nda", "legal.draft_nda",
     {"party_a": "Wonka Industries", "party_b": "Slugworth Co."}),
    # deadline: date, days, court days, jurisdiction as a code, mail service
    ("10 business days from 2026-07-01 in California", "legal.deadline",
     {"start_date": "2026-07-01", "days": 10, "day_type": "court", "jurisdiction": "US-CA"}),
    ("response deadline, served by mail on 2 February 2026, 14 days", "legal.deadline",
     {"start_date": "2026-02-02", "days": 14, "mail_service": True}),
    ("extract citations from brief.pdf", "legal.extract_citations", {"source": "brief.pdf"}),
    # cash flows said in words: the initial investment is money going out
    ("irr on an initial investment of 10000 with returns of 3000 4000 5000", "finance.irr",
     {"cash_flows": [-10000, 3000, 4000, 5000]}),
    ("npv at 7% for an outlay of 1000 then 400 500 600", "finance.npv", {"rate_pct": 7, "cash_flows": [-1000, 400, 500, 600]}),
    # amounts with k or $ are list items too, and the value before them with an outlay word leads the list
    ("irr if we spend $80,000 on the machine and it brings in 25k, 30k, 35k", "finance.irr",
     {"cash_flows": [-80000, 25000, 30000, 35000]}),
    ("npv at 9% of a fit-out costing 60k that saves 18k, 22k, 26k", "finance.npv",
     {"rate_pct": 9, "cash_flows": [-60000, 18000, 22000, 26000]}),
    ("irr of minus 40,000 up front, then 12,000, 15,000 and 21,000", "finance.irr",
     {"cash_flows": [-40000, 12000, 15000, 21000]}),
    ("npv 10% CF0 -5000 CF1 2000 CF2 2500 CF3 3000", "finance.npv",
     {"rate_pct": 10, "cash_flows": [-5000, 2000, 2500, 3000]}),
    # or as a level yearly amount after the outlay
    ("irr for buying a van for 30k that earns 9k a year for 5 years", "finance.irr",
     {"cash_flows": [-30000, 9000, 9000, 9000, 9000, 9000]}),
    ("loan payment on half a million at 6% over 30 years", "finance.loan_payment",
     {"principal": 500000, "rate_pct": 6, "years": 30}),
    ("install the legal pack", "system.install_pack", {"pack": "legal"}),
    ("help with finance", "system.help", {"topic": "finance"}),
    ("which commands exist for the legal side of things", "system.help", {"topic": "legal"}),
])
def test_slot_roles(resolver, text, action, slots):
    m = resolve(resolver, text)
    assert m.action == action, m.explain
    for name, want in slots.items():
        got = m.slots.get(name)
        if isinstance(want, (int, float, list)) and not isinstance(want, bool):
            assert got == pytest.approx(want, rel=0.01), (name, m.slots)
        else:
            assert got == want, (name, m.slots)


@pytest.mark.parametrize("text", ["loan of 300k, 50k down, at 6% over 30 years",
                                  "compare a 200k and a 250k mortgage at 5% over 30 years"])
def test_two_amounts_are_not_a_list(resolver, text):
    m = resolve(resolver, text)
    assert m.action == "finance.loan_payment" and "cash_flows" not in m.slots


def test_missing_lists_required_slots_only(resolver):
    m = resolve(resolver, "compound interest on 10,000 at 5%")
    assert m.action == "finance.compound_interest"
    assert m.missing == ["years"]  # monthly_contribution and compounds_per_year have defaults


def test_nothing_said_everything_missing(resolver):
    m = resolve(resolver, "calculate my mortgage payment")
    assert m.action == "finance.loan_payment"
    assert m.missing == ["principal", "rate_pct", "years"]
    assert m.slots == {}


def test_implausible_values_are_asked_for_not_used(resolver):
    m = resolve(resolver, "qtc qt 420 ms heart rate 900 bpm")
    assert m.action == "healthcare.qtc"
    assert "heart_rate_bpm" not in m.slots and "heart_rate_bpm" in m.missing
    assert m.explain["slots"]["heart_rate_bpm"].startswith("rejected: 900")


def test_slot_reasons_name_the_entity(resolver):
    m = resolve(resolver, "monthly payment on a 300k loan at 6.5% over 30 years")
    assert "300k" in m.explain["slots"]["principal"]
    assert "6.5%" in m.explain["slots"]["rate_pct"]
