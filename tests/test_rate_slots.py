"""Rates and compound units, the way a third-party pack declares them without knowing the resolver: a money
slot priced per a unit, hours a day, a quantity in a compound unit with a count ("L/(100 km)"), an energy
capacity beside a price per kWh with two fill levels, and a number of days said as weeks or a year. The
pack is made up here (a household's running costs); filled with `fill_for`, so the action is fixed and only
the slot mechanism is under test."""
from __future__ import annotations

import pytest

from intents.resolver import units
from intents.resolver.local import LocalResolver
from intents.sdk import Pack, Result, Slot

pack = Pack(id="household", name="Household", version="0.1.0", description="Household running costs",
            vertical="demo")


class Out(Result):
    value: float


@pack.action(samples=["cost of running a heater 3 hours a day at 0.30 per kWh"])
def heater_cost(
    power: float = Slot("Power of the heater", kind="quantity", unit="kW", gt=0, le=50, cues=["power", "heater"]),
    hours: float = Slot("Hours it runs each day", kind="quantity", unit="h", gt=0, le=24,
                        cues=["hours", "daily", "day"]),
    price: float = Slot("Price per kWh", kind="money", gt=0, le=5, cues=["kwh", "price", "tariff", "rate"]),
    days: int = Slot("Days it runs", default=30, kind="days", ge=1, le=3660, cues=["for", "over"]),
    standing: float = Slot("Standing charge", default=0, kind="money", ge=0, le=100, cues=["standing", "fixed"]),
) -> Out:
    """Running cost of a heater."""
    return Out(value=power * hours * price * days, basis="demo")


@pack.action(samples=["van trip 300 km at 7 L/100 km, fuel 1.80 a litre"])
def van_trip(
    distance: float = Slot("Distance driven", kind="quantity", unit="km", gt=0, le=100000, cues=["distance", "trip"]),
    consumption: float = Slot("Fuel consumption", kind="quantity", unit="L/(100 km)", gt=0, le=40,
                              cues=["consumption", "uses", "economy"]),
    fuel_price: float = Slot("Price per litre of fuel", kind="money", gt=0, le=10, cues=["litre", "fuel", "price"]),
) -> Out:
    """Fuel cost of a van trip."""
    return Out(value=distance * consumption / 100 * fuel_price, basis="demo")


@pack.action(samples=["charge a 60 kWh home battery from 20% to 80% at 0.25 per kWh"])
def battery_charge(
    capacity: float = Slot("Battery capacity", kind="quantity", unit="kWh", gt=0, le=500, cues=["battery", "capacity"]),
    price: float = Slot("Electricity price per kWh", kind="money", gt=0, le=5, cues=["kwh", "price", "rate"]),
    from_pct: float = Slot("Charge level now", kind="percent", ge=0, le=100, cues=["from", "at"]),
    to_pct: float = Slot("Charge level wanted", default=100, kind="percent", ge=0, le=100, cues=["to", "up"]),
) -> Out:
    """Cost of charging a battery."""
    return Out(value=capacity * (to_pct - from_pct) / 100 * price, basis="demo")


@pack.action(samples=["haul 20 tonnes 300 km at 0.08 per tonne-km"])
def haul(
    load: float = Slot("Load carried", kind="quantity", unit="t", gt=0, le=1000, cues=["tonnes", "load"]),
    distance: float = Slot("Distance hauled", kind="quantity", unit="km", gt=0, le=20000, cues=["over"]),
    rate: float = Slot("Price per tonne-km", kind="money", gt=0, le=10, cues=["tkm", "rate"]),
) -> Out:
    """Freight cost."""
    return Out(value=load * distance * rate, basis="demo")


@pytest.fixture(scope="module")
def resolver():
    return LocalResolver.for_actions([a.spec for a in pack.actions.values()])


def fill(resolver, action, text):
    return resolver.fill_for(f"household.{action}", text)[0]


def near(got, want):
    return got is not None and abs(got - want) <= 1e-6 * max(1, abs(want))


@pytest.mark.parametrize("text, want", [
    ("2 kW heater 3 hours a day at 0.22 a kWh", 0.22),
    ("heater 2 kW, 31 cents per kilowatt hour, 3 hours a day", 0.31),
    ("$0.18/kWh for a 2 kW heater 3 hours a day", 0.18),
    ("0.35/kWh home rate, 2 kW, 3 hours a day", 0.35),
    ("a 2 kW heater on 17 cents/kWh", 0.17),
    ("tarif £0.27 per kWh, standing charge 0.45, 2 kW heater", 0.27),
    ("27p per kWh for the 2kW heater", 0.27),
])
def test_a_price_per_unit_fills_the_slot_priced_in_it(resolver, text, want):
    got = fill(resolver, "heater_cost", text)
    assert near(got.get("price"), want), got
    assert got.get("hours") in (None, 3.0) and got.get("power") == 2.0, got


def test_the_standing_charge_keeps_its_own_number(resolver):
    got = fill(resolver, "heater_cost", "tarif £0.27 per kWh, standing charge 0.45, 2 kW heater")
    assert near(got["price"], 0.27) and near(got["standing"], 0.45), got


@pytest.mark.parametrize("text, want", [
    ("2 kW heater 8hrs a day at 0.30 per kWh", 8),
    ("2 kW heater twelve hours per day at 0.30 per kWh", 12),
    ("2 kW heater 6 h a day, 0.30/kWh", 6),
    ("2 kW heater half an hour a day, 0.30/kWh", 0.5),
    ("2 kW heater 10 hours each day at 0.30 a kWh", 10),
    ("2 kW heater 4 hours daily, 30 cents per kWh", 4),
    ("2 kW heater 45 minutes a day, 0.30 per kWh", 0.75),
    ("2 kW heater 2 hrs/day, 0.30 per kWh, for 30 days", 2),
])
def test_hours_a_day_fill_the_slot_that_counts_per_day(resolver, text, want):
    got = fill(resolver, "heater_cost", text)
    assert near(got.get("hours"), want), got
    assert near(got.get("price"), 0.30), got


def test_a_rate_per_another_period_is_not_hours_a_day(resolver):
    got = fill(resolver, "heater_cost", "2 kW heater 20 hours a week at 0.30 per kWh")
    assert got.get("hours") is None, got


@pytest.mark.parametrize("text, want", [
    ("van trip 420 km at 6.2 litres per 100 km, fuel 1.79 a litre", 6.2),
    ("420 km, van does 8 L/100 km, diesel 1.79/l", 8),
    ("420km trip 5.5l/100km fuel 1.79 per litre", 5.5),
])
def test_a_compound_unit_with_a_count_fills_its_slot(resolver, text, want):
    got = fill(resolver, "van_trip", text)
    assert near(got.get("consumption"), want), got
    assert near(got.get("distance"), 420) and near(got.get("fuel_price"), 1.79), got


def test_pint_spellings_of_compound_units_parse():
    table = units.build_table({"L/(100 km)", "kg/(100 m**2)"})
    assert units.convert(table, 6.2, "litres per 100 km", "L/(100 km)")[0] == pytest.approx(6.2)
    assert units.convert(table, 3, "kg/100m2", "kg/(100 m**2)")[0] == pytest.approx(3)
    assert units.convert(table, 3, "kg per hundred square metres", "kg/(100 m**2)")[0] == pytest.approx(3)
    assert units.parse(table, "tonne-km") == units.parse(table, "tonne-kilometre")
    assert units.parse(table, "km at") is None  # side by side is not a product: "350 km at 0.09"


def test_a_consumption_is_not_an_area(resolver):
    # L/100 km has the dimensions of an area; written as a ratio it only fills a ratio
    spec = Pack(id="lawn", name="Lawn", version="0.1.0", description="x", vertical="demo")

    @spec.action(samples=["lawn of 200 m2"])
    def lawn(area: float = Slot("Area", kind="quantity", unit="m**2", gt=0, cues=["area", "lawn"])) -> Out:
        """Lawn."""
        return Out(value=area, basis="demo")

    r = LocalResolver.for_actions([a.spec for a in spec.actions.values()])
    assert r.fill_for("lawn.lawn", "6.2 litres per 100 km")[0].get("area") is None
    assert r.fill_for("lawn.lawn", "lawn of 200 m2")[0].get("area") == 200


@pytest.mark.parametrize("text, capacity, price, lo, hi", [
    ("82 kWh battery from 10% up to 90% at 0.22 a kWh", 82, 0.22, 10, 90),
    ("charge a 64kwh home battery 30% -> 80%, 17 cents/kWh", 64, 0.17, 30, 80),
    ("40 kilowatt-hour battery, $0.18/kWh, from 20% to 100%", 40, 0.18, 20, 100),
    ("battery of 13.5 kWh, 0.31 per kilowatt hour, 15% to 85%", 13.5, 0.31, 15, 85),
])
def test_energy_capacity_beside_a_price_per_kwh(resolver, text, capacity, price, lo, hi):
    got = fill(resolver, "battery_charge", text)
    assert near(got.get("capacity"), capacity) and near(got.get("price"), price), got
    assert got.get("from_pct") == lo and got.get("to_pct") == hi, got


@pytest.mark.parametrize("text, want", [
    ("2 kW heater 3 hours a day at 0.30 per kWh over two weeks", 14),
    ("2 kW heater 3 hours a day at 0.30 per kWh for a year", 365),
    ("2 kW heater 3 hours a day at 0.30 per kWh for 90 days", 90),
])
def test_days_said_as_weeks_or_a_year(resolver, text, want):
    got = fill(resolver, "heater_cost", text)
    assert got.get("days") == want and near(got.get("hours"), 3), got


@pytest.mark.parametrize("text, load, rate", [
    ("haul 18t over 1200 km, rate 7 cents per tkm", 18, 0.07),
    ("haul 22t 410 km at 9 cents/tkm", 22, 0.09),
    ("haul 12.5 t 260 km, 0.11 a tonne km", 12.5, 0.11),
    ("bulk freight 26 tonnes, 640 km, tariff €0.08 per tonne-kilometre", 26, 0.08),
])
def test_a_price_per_compound_unit_and_a_load_in_t(resolver, text, load, rate):
    got = fill(resolver, "haul", text)
    assert near(got.get("load"), load) and near(got.get("rate"), rate), got


@pytest.mark.parametrize("text, want", [
    ("2 kW heater 3 hours a day, 22c/kWh", 0.22),
    ("2 kW heater 3 hours a day at 0.25 $/kWh", 0.25),
    ("2 kW heater 3 hours a day, 0.24 eur per kWh", 0.24),
    ("2 kW heater 3 hours a day at 0.26 per kilowatt-hour", 0.26),
    ("2 kW heater 3 hours a day at 0.20", 0.20),  # a pack that prices in at most 5 takes a bare 0.20
])
def test_more_ways_to_say_a_unit_price(resolver, text, want):
    got = fill(resolver, "heater_cost", text)
    assert near(got.get("price"), want) and near(got.get("hours"), 3), got


@pytest.mark.parametrize("text, want", [
    ("2 kW heater an hour a day at 0.30 per kWh", 1),
    ("2 kW heater 8h/day at 0.30 per kWh", 8),
    ("2 kW heater 5 hours every day at 0.30 per kWh", 5),
])
def test_more_ways_to_say_hours_a_day(resolver, text, want):
    got = fill(resolver, "heater_cost", text)
    assert near(got.get("hours"), want) and near(got.get("price"), 0.30), got


@pytest.mark.parametrize("text, lo, hi", [
    ("64 kWh battery, 0.22 a kWh, charge from 10 to 80%", 10, 80),
])
def test_fill_levels_said_as_a_range(resolver, text, lo, hi):
    got = fill(resolver, "battery_charge", text)
    assert got.get("from_pct") == lo and got.get("to_pct") == hi and near(got.get("price"), 0.22), got


def test_each_further_per_divides_again():
    table = units.build_table({"mg/kg/h"})
    assert units.convert(table, 0.5, "mg per kg per hour", "mg/kg/h")[0] == pytest.approx(0.5)
    assert units.convert(table, 1.5, "mg/kg/hr", "mg/kg/h")[0] == pytest.approx(1.5)


@pytest.mark.parametrize("text, power, price", [
    ("2kw heater, 6 hours per day, 30c per kwh", 2, 0.30),  # "c" is no unit (pint's speed of light) before "per"
    ("heater 3kw 4 hrs daily 0.32 per kilowatt hour", 3, 0.32),
])
def test_lowercase_kw_and_cents_glued(resolver, text, power, price):
    got = fill(resolver, "heater_cost", text)
    assert near(got.get("power"), power) and near(got.get("price"), price), got


def test_cents_alone_are_the_unit_price(resolver):
    got = fill(resolver, "heater_cost", "2 kW heater 3 hours a day at 22 cents")
    assert near(got.get("price"), 0.22) and got.get("standing") is None, got


def test_an_arrow_between_fill_levels(resolver):
    got = fill(resolver, "battery_charge", "60 kWh battery 10 -> 80% at 0.25/kWh")
    assert got.get("from_pct") == 10 and got.get("to_pct") == 80, got
