"""Date slots: a date said without its year is the next or the last such day (`Slot(yearless=...)` or the
request's cue words), days named from today ("next friday", "3 days from now") fill a date slot; and the
value classes that made clear in-scope requests of a third-party pack refused (fractions, "deg f", choice
words, the domain-free refusal examples an installed pack serves)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import pytest

from bench.resolver import fixed_today
from intents.resolver import dates, entities, index, oos
from intents.resolver.local import LocalResolver
from intents.sdk import Pack, Result, Slot

TODAY = date(2026, 12, 2)  # a Wednesday
THIRDPARTY = Path(__file__).resolve().parent / "data" / "thirdparty"


# ---- dates.py ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("iso, toward, want", [
    ("2026-01-20", "next", "2027-01-20"), ("2026-12-25", "next", "2026-12-25"), ("2026-12-02", "next", "2026-12-02"),
    ("2026-12-25", "last", "2025-12-25"), ("2026-01-20", "last", "2026-01-20"), ("2026-12-02", "last", "2026-12-02"),
    ("2026-01-20", None, "2026-01-20"), ("2026-01-20", "sideways", "2026-01-20"),
])
def test_roll_year(iso, toward, want):
    assert dates.roll_year(iso, toward, TODAY) == want


def test_roll_year_leap_day_goes_to_a_year_that_has_one():
    assert dates.roll_year("2024-02-29", "next", TODAY) == "2028-02-29"
    assert dates.roll_year("2024-02-29", "last", TODAY) == "2024-02-29"


@pytest.mark.parametrize("text, iso, yearless", [
    ("the 20th of january", "2026-01-20", True), ("Feb 14", "2026-02-14", True), ("on March 3rd", "2026-03-03", True),
    ("march 3 2027", "2027-03-03", False), ("2027-03-03", "2027-03-03", False), ("march 2027", "2027-03-01", False),
    ("next friday", "2026-12-04", False), ("this coming monday", "2026-12-07", False),
    ("this wednesday", "2026-12-02", False), ("this friday", "2026-12-04", False), ("coming sat", "2026-12-05", False),
    ("last tuesday", "2026-12-01", False), ("last wednesday", "2026-11-25", False),
    ("10 days ago", "2026-11-22", False), ("2 weeks ago", "2026-11-18", False), ("tomorrow", "2026-12-03", False),
])
def test_dates_marked(text, iso, yearless):
    assert [(d, y) for *_, d, y in dates.find_dates_marked(text, TODAY)] == [(iso, yearless)]


def test_a_weekday_beside_its_date_is_one_date():
    assert [d for *_, d in dates.find_dates("ship on Friday June 5 2026", TODAY)] == ["2026-06-05"]
    assert dates.find_dates("I work friday nights", TODAY) == []


def test_entities_mark_a_yearless_date():
    got = [e for e in entities.tag("days until Feb 14", today=TODAY).entities if e.kind == "date"]
    assert got[0].value == "2026-02-14" and got[0].extra.get("yearless") is True


# ---- the SDK option and the filler ----------------------------------------------------------------
class Out(Result):
    days: int


def _pack() -> Pack:
    pack = Pack(id="dtest", name="Date test", version="1.0.0", description="date slots", vertical="test")

    @pack.action(samples=["how many days until the party on 2027-05-01", "days to the event on 2027-04-02"])
    def countdown(event_date: date = Slot("Day of the event", kind="date", yearless="next")) -> Out:
        """Days to an event."""
        return Out(days=0)

    @pack.action(samples=["days since it was signed on 2026-05-01", "contract signed 2026-04-02, how long ago"])
    def signed(signed_on: date = Slot("Day it was signed", kind="date", yearless="last")) -> Out:
        """Days since a signing."""
        return Out(days=0)

    @pack.action(samples=["how many days between today and 2027-05-01", "count the days to or from 2026-04-02"])
    def between(day: date = Slot("The other day", kind="date")) -> Out:
        """Days between today and a day."""
        return Out(days=0)

    @pack.action(samples=["shipping on 2026-05-01 with 3 transit days", "ship 2026-04-02, 4 days in transit"])
    def transit(ship_date: date = Slot("Ship day", kind="date", cues=["ship", "shipping"]),
                transit_days: int = Slot("Days in transit", kind="days", cues=["transit"])) -> Out:
        """Arrival by transit days."""
        return Out(days=0)

    return pack


@pytest.fixture(scope="module")
def resolver():
    pack = _pack()
    return LocalResolver.for_actions([a.spec for a in pack.actions.values()])


def _fill(resolver, action: str, text: str) -> dict:
    with fixed_today(TODAY.isoformat()):  # the bench's, so both read dates from the same day
        return resolver.fill_for(action, text)[0]


def test_slot_declares_yearless_and_the_spec_carries_it():
    specs = {a.id: a.spec for a in _pack().actions.values()}
    assert specs["dtest.countdown"].slots[0].yearless == "next"
    assert specs["dtest.signed"].slots[0].yearless == "last"
    assert specs["dtest.between"].slots[0].yearless is None
    with pytest.raises(ValueError):
        Slot("x", kind="date", yearless="soon")


@pytest.mark.parametrize("action, text, want", [
    ("dtest.countdown", "the party is on the 20th of january", "2027-01-20"),  # the slot says ahead
    ("dtest.countdown", "event on Feb 14", "2027-02-14"),
    ("dtest.signed", "it was signed on december 25", "2025-12-25"),  # the slot says behind
    ("dtest.signed", "signed the 1st of march", "2026-03-01"),
    ("dtest.countdown", "the party on march 3 2026", "2026-03-03"),  # a year said is kept
    ("dtest.between", "how long until the 20th of january", "2027-01-20"),  # the request's words decide
    ("dtest.between", "days left before Feb 14", "2027-02-14"),
    ("dtest.between", "countdown to March 3rd", "2027-03-03"),
    ("dtest.between", "how many days since december 25", "2025-12-25"),
    ("dtest.between", "december 25, how long ago", "2025-12-25"),
    ("dtest.between", "the day is december 25", "2026-12-25"),  # no cue: this year's
    ("dtest.between", "next friday", "2026-12-04"),
    ("dtest.between", "in 3 days", "2026-12-05"),  # an action counting no days: a day ahead
    ("dtest.between", "within 2 weeks", "2026-12-16"),
    ("dtest.between", "3 days from now", "2026-12-05"),
    ("dtest.between", "a week from today", "2026-12-09"),
])
def test_date_slot_fill(resolver, action, text, want):
    assert _fill(resolver, action, text).get(list(resolver.actions[action].slots)[0].name) == want


def test_in_n_days_is_the_count_of_an_action_that_counts_days(resolver):
    got = _fill(resolver, "dtest.transit", "ship next friday, 6 days in transit")
    assert got == {"ship_date": "2026-12-04", "transit_days": 6}
    got = _fill(resolver, "dtest.transit", "ship in 3 days")
    assert "ship_date" not in got and got.get("transit_days") == 3
    got = _fill(resolver, "dtest.transit", "shipping 4 transit days from today")
    assert got == {"ship_date": "2026-12-02", "transit_days": 4}


def test_nearest_cue_word_decides():
    from intents.resolver.slots import _toward

    low = "since the 3rd of march, how many days until june 1"
    assert _toward(low, low.index("the 3rd"), low.index(",")) == "last"
    assert _toward(low, low.index("june"), len(low)) == "next"
    assert _toward("on june 1", 3, 9) is None


def test_docs_and_readme_name_the_option():
    root = Path(__file__).resolve().parent.parent
    assert "yearless" in (root / "docs" / "sdk-kinds.md").read_text()  # generated by intents/docs.py
    assert 'yearless="next"' in (root / "README.md").read_text()


# ---- values that made in-scope requests refused ----------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("3/4 cup sugar", 0.75), ("1 1/2 cups flour", 1.5), ("1/3 used", 0.333333), ("a 2/3 share", 0.666667),
])
def test_written_fractions_are_numbers(text, value):
    nums = [e.value for e in entities.tag(text).entities if e.kind == "number"]
    assert nums == [pytest.approx(value)]


@pytest.mark.parametrize("text", ["open 24/7", "a 50/50 split", "bp 120/80", "on 3/15/2026"])
def test_not_fractions(text):
    assert not any(e.kind == "number" and 0 < e.value < 1 for e in entities.tag(text).entities)


def test_f_after_a_degree_word_is_no_sex():
    assert not any(e.kind == "sex" for e in entities.tag("325 deg f to c").entities)
    assert any(e.kind == "sex" for e in entities.tag("egfr 45 f creatinine 0.9").entities)


def test_refusal_examples_an_action_serves_are_left_out():
    words = [{"gram", "cup", "flour", "convert"}, {"who"}]
    kept = index.served_elsewhere(["how many grams in a cup of flour", "who are you", "tell me a joke"], words)
    assert kept == ["who are you", "tell me a joke"]  # one word in common is still a refusal


@pytest.fixture(scope="module")
def kitchen():
    """The built-in catalog and the kitchen pack, as the pack sits installed beside them (as the bench
    scores third-party packs)."""
    from bench.resolver import load_pack, thirdparty_resolver
    from intents.registry import Registry

    return thirdparty_resolver(Registry.load(), load_pack(THIRDPARTY / "kitchen_pack"))


@pytest.mark.parametrize("text, action, slots", [
    ("how many grams in a cup of flour", "kitchen.convert_measure", {"amount": 1, "from_unit": "cup", "to_unit": "g"}),
    ("3/4 cup sugar to grams", "kitchen.convert_measure", {"amount": 0.75, "ingredient": "sugar"}),
    ("grams of honey in half a cup", "kitchen.convert_measure", {"amount": 0.5, "ingredient": "honey"}),
    ("2 pints of water to litres", "kitchen.convert_measure", {"from_unit": "pint", "to_unit": "l"}),
    ("325 deg f to c", "kitchen.oven_temperature", {"temperature": pytest.approx(162.778, abs=1e-3)}),
    ("my recipe makes 4 portions but I'm feeding 10", "kitchen.scale_recipe", {"servings": 4, "target_servings": 10}),
])
def test_kitchen_requests_are_served(kitchen, text, action, slots):
    m = kitchen.resolve(text)
    assert m.action == action, m.explain
    assert {k: m.slots.get(k) for k in slots} == slots


@pytest.mark.parametrize("text", ["how many calories in an avocado", "what wine goes well with salmon",
                                  "turn on the kitchen lights", "open my email"])
def test_kitchen_still_refuses(kitchen, text):
    assert kitchen.resolve(text).action is None


def test_without_the_pack_the_example_is_still_refused():
    from intents.registry import Registry

    reg = Registry.load()
    vocab, syn = reg.vocabulary()
    r = LocalResolver.for_actions(reg.actions(), kinds=reg.kinds(), vocabulary=vocab, synonyms=syn)
    assert "how many grams in a cup of flour" in oos.OUT_OF_SCOPE
    assert r.resolve("how many grams in a cup of flour").action is None
