"""Each entity tagger, exactly: spoken numbers, amounts, rates, durations, dates, body measures, lab
values, currencies, paths, ICD-10 codes, quotes, parties and cash-flow lists."""
from __future__ import annotations

from datetime import date

import pytest

from intents.resolver.dates import find_dates
from intents.resolver.entities import tag
from intents.resolver.numbers import words_to_digits
from tests.conftest import builtin_lexicon

TODAY = date(2026, 11, 27)


def kinds(text: str, lexicon=None) -> list[tuple[str, object]]:
    return [(e.kind, e.value) for e in tag(text, TODAY, lexicon=lexicon).entities]


@pytest.mark.parametrize("spoken, digits", [
    ("three hundred thousand dollars", "300000 dollars"),
    ("six point five percent", "6.5 percent"),
    ("one point two million", "1200000"),
    ("two and a half years", "2.5 years"),
    ("6 and a half percent", "6.5 percent"),
    ("a hundred dollars", "100 dollars"),
    ("three hundred and fifty", "350"),
    ("four hundred fifty thousand", "450000"),
    ("twenty-five", "25"),
    ("nine point two five percent", "9.25 percent"),
    ("twenty twenty six", "2026"),
    ("nineteen ninety", "1990"),
    ("two thousand and twenty six", "2026"),
    ("Seven", "7"),
    ("draft a one-way nda", "draft a one-way nda"),
    ("Acme and Beta", "Acme and Beta"),
    ("1.2 million", "1.2 million"),
    ("seven and a quarter percent", "7.25 percent"),
    ("half a million", "0.5 million"),
    ("a quarter million", "0.25 million"),
    ("five thousand seven thousand and twelve thousand", "5000, 7000, 12000"),  # a list, not 24000
    ("a loan", "a loan"),
])
def test_spoken_numbers(spoken, digits):
    assert words_to_digits(spoken) == digits


@pytest.mark.parametrize("text, expected", [
    ("a 300k loan", [("money", 300000.0)]),
    ("$450,000", [("money", 450000.0)]),
    ("32,500 dollars", [("money", 32500.0)]),
    ("1.2 million", [("money", 1200000.0)]),
    ("300 thousand", [("money", 300000.0)]),
    ("€1,250", [("money", 1250.0)]),
    ("500 euros", [("money", 500.0)]),
    ("usd 100", [("money", 100.0)]),
    ("6.5%", [("percent", 6.5)]),
    ("six percent", [("percent", 6.0)]),
    ("6.5 per cent", [("percent", 6.5)]),
])
def test_amounts_and_rates(text, expected):
    assert kinds(text) == expected


def test_money_keeps_its_currency():
    ents = tag("convert €1,200 to yen").entities
    assert (ents[0].kind, ents[0].value, ents[0].unit) == ("money", 1200.0, "EUR")
    assert (ents[1].kind, ents[1].value) == ("currency", "JPY")


def test_periodic_amount_is_marked():
    ents = tag("start with 2000 and add $150 per month").entities
    periodic = [e for e in ents if e.extra.get("per") == "month"]
    assert [(e.value, e.unit) for e in periodic] == [(150.0, "USD")]


def test_retirement_plan_names_are_not_amounts():
    assert kinds("my 401k has 60,000") == [("number", 60000.0)]


@pytest.mark.parametrize("text, expected", [
    ("30 years", [("duration", 30.0)]),
    ("a 15 year term", [("duration", 15.0)]),
    ("30-year mortgage", [("duration", 30.0)]),
    ("18 months", [("duration", 1.5)]),
    ("21 days", [("days", 21)]),
])
def test_durations(text, expected):
    assert kinds(text) == expected


def test_court_days_are_marked():
    # issue 14: the tagger keeps the word before "days"; the legal pack's day_type slot (qualifies="days")
    # maps it to a choice with its own synonyms
    ent = tag("14 court days").entities[0]
    assert (ent.kind, ent.value, ent.extra["qualifier"]) == ("days", 14, "court")
    assert tag("10 business days").entities[0].extra["qualifier"] == "business"


@pytest.mark.parametrize("text, iso", [
    ("March 3 2026", "2026-03-03"),
    ("5 June 2026", "2026-06-05"),
    ("2026-11-20", "2026-11-20"),
    ("december 11 2026", "2026-12-11"),
    ("december 11th, 2026", "2026-12-11"),
    ("3/15/2026", "2026-03-15"),
    ("the 5th of june 2026", "2026-06-05"),
    ("jan. 2, 2027", "2027-01-02"),
    ("march twenty first twenty twenty six", "2026-03-21"),
    ("today", "2026-11-27"),
    ("tomorrow", "2026-11-28"),
])
def test_dates(text, iso):
    assert [d for *_, d in find_dates(words_to_digits(text), TODAY)] == [iso]


def test_may_the_verb_is_not_a_date():
    assert find_dates("I may do it", TODAY) == []


@pytest.mark.parametrize("text, expected", [
    ("80 kg", [("weight", 80.0)]),
    ("72 kilos", [("weight", 72.0)]),
    ("180 lbs", [("weight", 81.65)]),
    ("150 pounds", [("weight", 68.04)]),
    ("180 cm", [("height", 180.0)]),
    ("1.8 m", [("height", 180.0)]),
    ("1.75 metres", [("height", 175.0)]),
    ("5'10\"", [("height", 177.8)]),
    ("5 foot 6", [("height", 167.6)]),
    ("5 ft 9 in", [("height", 175.3)]),
    ("6 feet", [("height", 182.9)]),
    ("70 inches", [("height", 177.8)]),
])
def test_body_measures_in_catalog_units(text, expected):
    assert kinds(text) == expected


def test_pounds_weight_keeps_the_currency_reading():
    ent = tag("300 pounds").entities[0]
    assert ent.kind == "weight" and ("currency", "GBP") in ent.alts


@pytest.mark.parametrize("text, value, unit", [
    ("1.1 mg/dl", 1.1, "mg/dL"),
    ("5.5 mmol/l", 5.5, "mmol/L"),
    ("90 umol/l", 90.0, "umol/L"),
    ("7.2 millimoles per liter", 7.2, "mmol/L"),
    ("1.2 mg per deciliter", 1.2, "mg/dL"),
    ("150 mg dl", 150, "mg/dL"),  # as a recogniser writes it
    ("6.1 mmol per l", 6.1, "mmol/L"),
])
def test_lab_values(text, value, unit):
    # issue 14: lab units are the healthcare pack's kind (lab_unit), known to the tagger through its lexicon
    ent = tag(text, lexicon=builtin_lexicon()).entities[0]
    assert (ent.kind, ent.value, ent.unit) == ("lab_unit", value, unit)


@pytest.mark.parametrize("text, expected", [
    ("420 ms", [("qt", 420.0)]),
    ("72 bpm", [("heart_rate", 72.0)]),
    ("110 beats per minute", [("heart_rate", 110.0)]),
    ("qt 0.42 seconds", [("qt", 0.42)]),  # in seconds: the slot converts it to ms
    ("15 mg/kg", [("dose_per_kg", 15.0)]),
    ("2 milligrams per kilogram", [("dose_per_kg", 2.0)]),
    ("60 year old woman", [("age", 60), ("sex", "female")]),
    ("a 45 yo man", [("age", 45), ("sex", "male")]),
    ("egfr 70f", [("age", 70), ("sex", "female")]),
    ("crcl 30 yo m", [("age", 30), ("sex", "male")]),
    ("aged 80", [("age", 80)]),
])
def test_clinical_values(text, expected):
    # issue 14: QT, heart rate and dose units are the healthcare pack's kinds, through its lexicon
    assert kinds(text, builtin_lexicon()) == expected


def test_a_two_million_mortgage_is_not_a_two_year_old_male():
    assert ("sex", "male") not in kinds("2m mortgage at 5%")


@pytest.mark.parametrize("text, code", [
    ("dollars", "USD"), ("euros", "EUR"), ("yen", "JPY"), ("swiss francs", "CHF"),
    ("canadian dollars", "CAD"), ("GBP", "GBP"), ("pounds sterling", "GBP"), ("swedish krona", "SEK"),
    ("mexican pesos", "MXN"), ("us dollars", "USD"),
])
def test_currency_names_to_iso(text, code):
    assert kinds(f"convert to {text}") == [("currency", code)]


def test_try_the_verb_is_not_turkish_lira():
    assert kinds("try to convert") == []


@pytest.mark.parametrize("text, path", [
    ("extract citations from brief.pdf", "brief.pdf"),
    ("cases in ~/cases/motion.docx", "~/cases/motion.docx"),
    ("redact /srv/files/statement.pdf now", "/srv/files/statement.pdf"),
    ("read ./filings/reply.txt", "./filings/reply.txt"),
])
def test_paths(text, path):
    assert ("path", path) in kinds(text)


def test_a_lab_unit_is_not_a_path():
    assert [k for k, _ in kinds("5.5 mmol/l", builtin_lexicon())] == ["lab_unit"]


@pytest.mark.parametrize("text, code", [("what is E11.9", "E11.9"), ("look up I10", "I10"), ("code j45.909", "J45.909")])
def test_icd10_codes(text, code):
    assert ("query", code) in kinds(text, builtin_lexicon())  # issue 14: the pack's recogniser


def test_quoted_text():
    assert kinds('pull citations from "See Roe v. Wade, 410 U.S. 113 (1973)"')[0] == (
        "quoted", "See Roe v. Wade, 410 U.S. 113 (1973)")


@pytest.mark.parametrize("text, a, b", [
    ("nda between Acme Corp and Beta LLC for 3 years", "Acme Corp", "Beta LLC"),
    ("nda between Blue Sun Corp & Weyland Yutani", "Blue Sun Corp", "Weyland Yutani"),
    ("contract for Acme and Bob", "Acme", "Bob"),
    ("mutual nda between Globex and Initech under New York law", "Globex", "Initech"),
    ("nda between our client Vance Refrigeration and a contractor named Lou Grant", "Vance Refrigeration", "Lou Grant"),
    ("nda between Soylent Corp. and Acme Ltd.", "Soylent Corp.", "Acme Ltd."),
])
def test_parties_split_where_they_should(text, a, b):
    assert [v for k, v in kinds(text) if k == "party"] == [a, b]


@pytest.mark.parametrize("text", ["draft an nda for 3 years and governed by ny law", "draft an nda and email it to bob",
                                  "an nda under delaware law", "what is the nda quota and the reset date"])
def test_no_parties_where_none_are_named(text):
    assert [v for k, v in kinds(text) if k == "party"] == []


@pytest.mark.parametrize("text, flows", [
    ("npv at 8% of -1000, 300, 400, 500", [-1000.0, 300.0, 400.0, 500.0]),
    ("irr minus 1000 300 400 500", [-1000.0, 300.0, 400.0, 500.0]),
    ("-300; 100; 150; 200", [-300.0, 100.0, 150.0, 200.0]),
    ("-20000 followed by 6000, 7000", [-20000.0, 6000.0, 7000.0]),
    ("flows of -1,000,000, 300,000, 400,000", [-1000000.0, 300000.0, 400000.0]),
])
def test_cash_flow_lists(text, flows):
    assert ("number_list", flows) in kinds(text)


def test_compounding_frequency():
    assert ("frequency", 4) in kinds("at 6% compounded quarterly")
    assert ("frequency", 365) in kinds("with daily compounding")


def test_spans_index_the_normalized_text():
    t = tag("a three hundred thousand dollar loan")
    e = t.entities[0]
    assert t.text[e.start:e.end] == e.text == "300000 dollar"


@pytest.mark.parametrize("text, expected", [
    ("interest 3,8 percent", [("percent", 3.8)]),  # a decimal comma
    ("loan 1 200 000 SEK", [("money", 1200000.0)]),  # thousands grouped by spaces, beside a currency
    ("€ 250 000", [("money", 250000.0)]),
    ("2 lakh indian rupees", [("money", 200000.0)]),
    ("discount -2000 500 700 900 1100", [("number_list", [-2000.0, 500.0, 700.0, 900.0, 1100.0])]),  # still a list
    ("served on 17.09.2026", [("date", "2026-09-17")]),  # dotted dates are day first
])
def test_numbers_written_other_ways(text, expected):
    assert kinds(text) == expected


def test_stone_and_pounds():
    assert kinds("weighs 10 st 6 lb") == [("weight", 66.22)]
