"""Slot-filling classes a third-party pack meets, on a small pack made up here (a workshop's arithmetic):
two slots of one kind or one set of choices, a unit written on a number, runs of dimensions, offset-unit
temperatures, amounts said without a number. Filled with `fill_for`, so the action is fixed and only the
slot mechanism is under test."""
from __future__ import annotations

from typing import Literal

import pytest

from intents.resolver.local import LocalResolver
from intents.sdk import Pack, Result, Slot

pack = Pack(id="workshop", name="Workshop", version="0.1.0", description="Workshop arithmetic", vertical="demo")


class Out(Result):
    value: float


Length = Literal["m", "cm", "ft", "in", "yd"]
LENGTH_WORDS = {"metres": "m", "meters": "m", "metre": "m", "feet": "ft", "foot": "ft", "inches": "in", "inch": "in",
                "yards": "yd", "yard": "yd", "centimetres": "cm"}


@pack.action(samples=["convert 3 ft to metres", "how many inches is 2 yards"])
def convert_length(
    amount: float = Slot("Length to convert", kind="number", gt=0),
    from_unit: Length = Slot("Unit it is in", kind="choice", synonyms=LENGTH_WORDS, cues=["of", "from"]),
    to_unit: Length = Slot("Unit wanted", kind="choice", synonyms=LENGTH_WORDS, cues=["to", "in", "into", "how many"]),
) -> Out:
    """Convert a length."""
    return Out(value=amount, basis="demo")


@pack.action(samples=["resize the glaze batch from 3 to 7 batches"])
def resize_batch(
    batches: int = Slot("Batches the mix makes", kind="integer", ge=1, cues=["batches", "makes", "from", "mix"]),
    target_batches: int = Slot("Batches wanted", kind="integer", ge=1, cues=["to", "need", "want"]),
    extra: float | None = Slot("An amount to scale", default=None, kind="number", cues=["of", "kg", "grams"]),
) -> Out:
    """Resize a batch."""
    return Out(value=target_batches / batches, basis="demo")


@pack.action(samples=["crates for 300 jars at 24 per crate"])
def crates(
    items: int = Slot("Items to pack", kind="integer", ge=1, cues=["jars", "items", "bottles"]),
    per_crate: int = Slot("Items in one crate", default=20, kind="integer", ge=1, cues=["per", "crate", "each"]),
) -> Out:
    """Crates needed."""
    return Out(value=items / per_crate, basis="demo")


@pack.action(samples=["shift pay for 45 hours at $20 an hour"])
def shift_pay(
    rate: float = Slot("Hourly rate", kind="money", gt=0, cues=["rate", "an hour", "per hour", "at"]),
    hours_done: float = Slot("Hours worked", kind="quantity", unit="h", gt=0, le=168, cues=["worked", "hours"]),
    base_hours: float = Slot("Hours at the base rate", default=38, kind="quantity", unit="h", ge=0, le=168,
                             cues=["base", "normal", "over"]),
) -> Out:
    """Shift pay."""
    return Out(value=rate, basis="demo")


@pack.action(samples=["volume of a plank 200 by 20 by 3 cm"])
def plank_volume(
    length: float = Slot("Length of the plank", kind="quantity", unit="cm", gt=0, le=1000, cues=["long", "length"]),
    width: float = Slot("Width of the plank", kind="quantity", unit="cm", gt=0, le=1000, cues=["wide", "width"]),
    thickness: float = Slot("Thickness", kind="quantity", unit="cm", gt=0, le=100, cues=["thick", "thickness"]),
    mass: float | None = Slot("Its mass", default=None, kind="quantity", unit="kg", gt=0, cues=["weighs", "weighing"]),
) -> Out:
    """Plank volume."""
    return Out(value=length * width * thickness, basis="demo")


@pack.action(samples=["leave balance with 20 days a year and 4 used"])
def leave_balance(
    days_per_year: float = Slot("Days earned a year", kind="days", gt=0, le=100, cues=["a year", "per year"]),
    days_used: float = Slot("Days used", default=0, kind="days", ge=0, le=365, cues=["used", "taken"]),
) -> Out:
    """Leave balance."""
    return Out(value=days_per_year - days_used, basis="demo")


@pack.action(samples=["late fee on an invoice", "add a late fee"])
def late_fee(amount: float = Slot("Invoice amount", kind="money", gt=0)) -> Out:
    """A late fee."""
    return Out(value=amount, basis="demo")


@pack.action(samples=["paint the fence", "what paint colour for the door"])
def paint(colour: Literal["teal", "coral", "ochre"] = Slot("Colour", kind="choice")) -> Out:
    """Paint."""
    return Out(value=1, basis="demo")


@pack.action(samples=["book the horse corral for saturday", "reserve a corral"])
def book_corral(day: str = Slot("Day", kind="text")) -> Out:
    """Book a corral."""
    return Out(value=1, basis="demo")


@pack.action(samples=["fire the kiln at 1000 c"])
def kiln(temperature: float = Slot("Kiln temperature", kind="quantity", unit="degC", ge=0, le=1400,
                                   cues=["kiln", "fire", "at"])) -> Out:
    """Kiln temperature."""
    return Out(value=temperature, basis="demo")


@pytest.fixture(scope="module")
def resolver():
    return LocalResolver.for_actions([a.spec for a in pack.actions.values()])


def fill(resolver, action, text):
    return resolver.fill_for(f"workshop.{action}", text)[0]


# ---- class 1: two slots over one set of choices; a unit written on a number ------------------------
@pytest.mark.parametrize("text, want", [
    ("turn 12 yards into feet", {"amount": 12, "from_unit": "yd", "to_unit": "ft"}),
    ("how many inches is 3 ft", {"amount": 3, "from_unit": "ft", "to_unit": "in"}),
    ("5 feet of rope in metres", {"amount": 5, "from_unit": "ft", "to_unit": "m"}),
    ("change 250cm into feet", {"amount": 250, "from_unit": "cm", "to_unit": "ft"}),
    ("7 inches = how many centimetres", {"amount": 7, "from_unit": "in", "to_unit": "cm"}),
])
def test_paired_choices_take_distinct_mentions(resolver, text, want):
    got = fill(resolver, "convert_length", text)
    assert {k: got.get(k) for k in want} == want


def test_one_choice_named_once_is_not_doubled(resolver):
    got = fill(resolver, "convert_length", "convert this into feet")
    assert got.get("to_unit") == "ft" or got.get("from_unit") == "ft"
    assert not (got.get("to_unit") == got.get("from_unit") == "ft")


# ---- class 1: two numeric slots of one kind ---------------------------------------------------------
@pytest.mark.parametrize("action, text, want", [
    ("resize_batch", "resize the glaze from 4 to 9 batches", {"batches": 4, "target_batches": 9}),
    ("resize_batch", "glaze mix 2 batches -> 6 batches", {"batches": 2, "target_batches": 6}),
    ("resize_batch", "mix makes 3, need it for 8", {"batches": 3, "target_batches": 8}),
    ("crates", "crates: 600 jars, 30 jars per crate", {"items": 600, "per_crate": 30}),
    ("shift_pay", "overtime check: 50 hrs at $21/hour", {"rate": 21, "hours_done": 50}),
    ("shift_pay", "shift pay at $30 hourly for 44 hours over 36 normal hours",
     {"rate": 30, "hours_done": 44, "base_hours": 36}),
])
def test_same_kind_slots_get_distinct_values(resolver, action, text, want):
    got = fill(resolver, action, text)
    assert {k: got.get(k) for k in want} == want


# ---- class 2: runs of dimensions ---------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("plank volume 180 by 25 by 4 centimetres", {"length": 180, "width": 25, "thickness": 4}),
    ("a plank 72in x 10in x 2in", {"length": 182.88, "width": 25.4, "thickness": 5.08}),
    ("plank of 150x30x5 cm weighing 9 kg", {"length": 150, "width": 30, "thickness": 5, "mass": 9}),
    ("volume of a 6 x 4 x 1 inch offcut", {"length": 15.24, "width": 10.16, "thickness": 2.54}),
])
def test_run_of_sizes_fills_same_dimension_slots_in_order(resolver, text, want):
    got = fill(resolver, "plank_volume", text)
    assert {k: got.get(k) for k in want} == pytest.approx(want)


def test_run_in_another_dimension_is_not_sizes(resolver):
    got = fill(resolver, "plank_volume", "plank 3 x 2 kg")  # no run of lengths: not three sizes
    assert "width" not in got and "thickness" not in got


# ---- a number of a kind's unit per a period ------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("leave balance: 25 days a year, 6 used", {"days_per_year": 25, "days_used": 6}),
    ("earning 18 days per year", {"days_per_year": 18}),
])
def test_rate_fills_the_slot_that_counts_per_that_period(resolver, text, want):
    got = fill(resolver, "leave_balance", text)
    assert {k: got.get(k) for k in want} == want


def test_rate_is_not_a_plain_count(resolver):
    got = fill(resolver, "leave_balance", "leave balance: 25 days a week")
    assert "days_per_year" not in got and "days_used" not in got


# ---- a word a pack declares is no typo of another pack's word --------------------------------------------
def test_declared_choice_words_are_not_repaired(resolver):
    m = resolver.resolve("shed in coral please")  # "coral", a choice, is one edit from "corral", a sample word
    assert "coral" not in m.explain.get("typo_repairs", {})
    assert m.action != "workshop.book_corral"


# ---- class 3: temperatures with a one-letter scale, offset converted ------------------------------------
@pytest.mark.parametrize("text, want", [
    ("kiln at 950C", 950),
    ("fire it at 1800 deg f", (1800 - 32) * 5 / 9),
    ("kiln 1200 °c please", 1200),
    ("kiln 2000 degrees fahrenheit", (2000 - 32) * 5 / 9),
])
def test_temperature_with_its_scale(resolver, text, want):
    assert fill(resolver, "kiln", text).get("temperature") == pytest.approx(want, abs=1e-3)


# ---- class 4: amounts said without a number ---------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("how many inches in a foot", {"amount": 1, "from_unit": "ft", "to_unit": "in"}),
    ("centimetres in half a yard", {"amount": 0.5, "from_unit": "yd", "to_unit": "cm"}),
    ("a quarter yard to inches", {"amount": 0.25, "from_unit": "yd", "to_unit": "in"}),
])
def test_amount_said_in_words(resolver, text, want):
    got = fill(resolver, "convert_length", text)
    assert {k: got.get(k) for k in want} == want


def test_a_said_number_beats_the_article(resolver):
    got = fill(resolver, "convert_length", "convert 4 yards to a foot measure")
    assert got.get("amount") == 4


def test_measured_value_in_a_cued_unit_fills_a_plain_number_slot(resolver):
    got = fill(resolver, "resize_batch", "glaze mix for 3, need it for 6, it takes 450 grams of frit")
    assert got == {"batches": 3, "target_batches": 6, "extra": 450}


def test_declared_words_survive_the_cached_index(resolver):
    from intents.resolver.lexicon import Lexicon

    again = Lexicon.from_json(resolver.lexicon.to_json())
    assert {"coral", "yards", "yard"} <= again.declared_words
