"""A value the model returns must be in the words; the catalog's units and spoken forms count as in them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from intents.llm.grounding import numbers, supported, text_supported
from intents.sdk import SlotSpec

DEV_SET = Path(__file__).parent / "data" / "dev_set.jsonl"


def slot(name: str, **kw) -> SlotSpec:
    return SlotSpec(name=name, **kw)


@pytest.mark.parametrize("kind, value, text", [
    ("money", 300000, "a 300k loan"), ("money", 300000, "three hundred grand"), ("money", 1200000, "1.2 million"),
    ("percent", 6.5, "at 6.5%"), ("percent", 6.5, "six and a half percent"), ("years", 1.5, "over 18 months"),
    ("years", 30, "a 30-year mortgage"), ("weight", 81.65, "I weigh 180 lb"), ("height", 177.8, "5 ft 10 in"),
    ("height", 175, "1.75 m tall"), ("integer", 365, "compounded daily"), ("number", -40000, "npv of -40000, 5000"),
    ("creatinine", 1.244, "creatinine 110 umol/l"),
])
def test_numbers_said_any_way_are_supported(kind, value, text):
    assert supported(slot("x", kind=kind), value, text), (value, numbers(text))


@pytest.mark.parametrize("kind, value, text", [
    ("years", 30, "loan payment on 300k at 6.5%"), ("money", 250000, "a 300k loan"), ("percent", 7.0, "at 6.5%"),
    ("number", 42, "bmi 80 kg 180 cm"), ("weight", 45.4, "1000 dollars"), ("number", 453.6, "1000 lb"),
])
def test_invented_numbers_are_not(kind, value, text):
    assert not supported(slot("x", kind=kind), value, text)


@pytest.mark.parametrize("value, text, ok", [
    ("female", "egfr for a 60 year old woman", True), ("female", "egfr 70f cr 1.2", True),
    ("male", "egfr creatinine 1.1 age 60", False), ("EUR", "100 euros in dollars", True),
    ("SEK", "change 75 euros to swedish krona", True), ("JPY", "100 euros in dollars", False),
    ("US-NY", "90 days after October 1 in New York", True), ("US-TX", "90 days in New York", False),
    ("fridericia", "qtc by fredericia qt 450", True), ("Acme", "an NDA between Acme and Bob", True),
    ("Acme Corp", "an NDA between Acme and Bob", False),
    ("Initech", "an NDA between Acme and Bob", False),
])
def test_words_must_be_there(value, text, ok):
    assert text_supported(value, text) is ok


def test_list_needs_every_element():
    assert supported(slot("flows", type="array"), [-1000, 300, 400], "irr of -1000, 300, 400")
    assert not supported(slot("flows", type="array"), [-1000, 300, 450], "irr of -1000, 300, 400")


def test_a_default_is_never_an_invention():
    spec = slot("compounds_per_year", required=False, default=12)
    assert supported(spec, 12, "15k at 5% for 8 years")


def test_every_gold_slot_of_the_dev_set_is_grounded(home):
    """No false drops: the values a person's words do support are all accepted."""
    from intents.registry import Registry
    from intents.resolver.cascade import Cascade

    registry = Registry.load(home)
    installed = {s.id for s in registry.actions()}
    cascade = Cascade(None, registry, None, None, home)
    rejected = []
    for line in DEV_SET.read_text().splitlines():
        row = json.loads(line)
        if row.get("action") not in installed:
            continue
        spec, model = registry.spec(row["action"]), registry.action(row["action"]).params_model
        for name, value in (row.get("slots") or {}).items():
            checked = cascade._adapter(spec.id, name, model.model_fields[name]).validate_python(value)
            if not supported(spec.slot(name), checked, row["text"]):
                rejected.append((row["text"], name, value))
    assert rejected == []
