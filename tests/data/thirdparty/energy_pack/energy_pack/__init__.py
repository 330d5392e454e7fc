"""Household energy figures, a third-party pack on the public SDK only: what an appliance costs to run,
how long solar panels take to pay for themselves, what a road trip costs in fuel and what charging an EV
costs. Plain arithmetic; quantities are slots of `kind="quantity"` so any unit the user says is converted."""
from __future__ import annotations

from typing import Literal

from intents.sdk import Pack, ParameterError, Render, Result, Slot

pack = Pack(id="energy", name="Energy costs", version="1.0.0", vertical="energy", publisher="Greenwatt Tools",
            description="Electricity cost of appliances, solar panel payback, road-trip fuel cost and EV charging cost.",
            disclaimers=["Estimates from the figures given; real tariffs, weather and driving vary."],
            negatives=["turn off the lights", "pay my electricity bill", "find a gas station near me",
                       "switch energy supplier", "book a solar panel installer"])

pack.words(vocabulary={"ev": "electric car", "kwh": "kilowatt hour", "pv": "solar panels"})

# Price of electricity per kWh: shared by the appliance and EV actions.
PRICE_PER_KWH = dict(kind="money", gt=0, le=10, question="What does electricity cost per kWh?",
                     cues=["kwh", "rate", "tariff", "price", "electricity", "per", "costs", "paying"])

GALLON_L = 3.785411784  # US liquid gallon in litres (mpg figures are US)


class ApplianceCost(Result):
    cost: float
    kwh: float
    cost_per_day: float


@pack.action(
    title="Appliance running cost",
    samples=["cost to run a 1500 W heater 6 hours a day at $0.15 per kWh",
             "electricity cost of a 2 kW kettle used 0.5 hours a day for 30 days at 0.30 per kWh",
             "how much does a 100 watt fridge cost running 24 hours a day at 12 cents per kWh for 365 days",
             "running cost for a 60 W bulb 5 hours daily at $0.20/kWh",
             "what does my appliance cost to run"],
    templates=["[how much does it] cost to run {power} [for] {hours_per_day} a day at {price_per_kwh} per kwh"],
    render=Render(kind="headline", headline="cost", headline_format="money", units={"kwh": "kWh"},
                  labels={"kwh": "energy used"}),
)
def appliance_cost(
    power: float = Slot("Power the appliance draws", kind="quantity", unit="W", gt=0, le=100_000,
                        question="How many watts does it draw?",
                        cues=["watt", "watts", "rated", "draws", "power", "appliance", "heater", "kettle"]),
    hours_per_day: float = Slot("Hours it runs each day", kind="quantity", unit="h", gt=0, le=24,
                                question="How many hours a day does it run?",
                                cues=["hours", "hrs", "daily", "day", "runs", "running", "used", "on"]),
    price_per_kwh: float = Slot("Electricity price per kWh", **PRICE_PER_KWH),
    days: int = Slot("Number of days", default=30, kind="days", ge=1, le=36_500,
                     cues=["days", "for", "over", "period", "month", "year"]),
) -> ApplianceCost:
    """Electricity cost of running an appliance some hours a day for a number of days."""
    kwh = power / 1000 * hours_per_day * days
    cost = kwh * price_per_kwh
    return ApplianceCost(cost=round(cost, 2), kwh=round(kwh, 3), cost_per_day=round(cost / days, 4),
                         basis=f"energy = {power:g} W / 1000 x {hours_per_day:g} h/day x {days} days = {kwh:.3f} kWh; "
                               f"cost = kWh x {price_per_kwh:g} per kWh")


class SolarPayback(Result):
    payback_years: float
    net_cost: float


@pack.action(
    title="Solar payback",
    samples=["solar payback for a 12000 system saving 1500 a year",
             "how many years until solar panels costing $18,000 pay for themselves with $2,000 yearly savings",
             "payback period of a $10k solar install saving $900 per year with a 30% tax credit",
             "when do my solar panels break even if they cost 8000 and save 1100 annually"],
    render=Render(kind="headline", headline="payback_years", units={"payback_years": "years"},
                  labels={"payback_years": "payback period"}),
)
def solar_payback(
    system_cost: float = Slot("Installed cost of the solar system", kind="money", gt=0, le=10_000_000,
                              question="What does the system cost installed?",
                              cues=["cost", "costs", "costing", "system", "install", "installation", "price", "panels"]),
    yearly_savings: float = Slot("Money saved on bills per year", kind="money", gt=0, le=1_000_000,
                                 question="How much does it save a year?",
                                 cues=["saving", "savings", "saves", "save", "yearly", "annually", "year"]),
    incentive_pct: float = Slot("Incentive or tax credit, percent of the cost", default=0, kind="percent", ge=0, le=100,
                                cues=["incentive", "credit", "rebate", "grant", "subsidy", "tax"]),
) -> SolarPayback:
    """Years until a solar system pays for itself: net cost after incentives over yearly savings."""
    net = system_cost * (1 - incentive_pct / 100)
    years = net / yearly_savings
    return SolarPayback(payback_years=round(years, 2), net_cost=round(net, 2),
                        basis=f"payback = cost x (1 - incentive) / yearly savings = {system_cost:g} x "
                              f"(1 - {incentive_pct:g}%) / {yearly_savings:g} (simple payback, no discounting)")


class TripFuelCost(Result):
    cost: float
    litres: float


@pack.action(
    title="Road-trip fuel cost",
    samples=["fuel cost for a 500 km trip at 7 L/100km with petrol at 1.80 per litre",
             "gas cost to drive 300 miles at 30 mpg with gas at $3.50 a gallon",
             "how much fuel money for 1200 km if my car uses 6.5 l/100km and fuel is 1.65 a litre",
             "road trip of 250 miles getting 25 mpg, gas 3.20 per gallon: what will it cost"],
    render=Render(kind="headline", headline="cost", headline_format="money", units={"litres": "L"}),
)
def trip_fuel_cost(
    distance: float = Slot("Distance driven", kind="quantity", unit="km", gt=0, le=100_000,
                           question="How far is the trip?",
                           cues=["trip", "drive", "driving", "distance", "journey", "far", "travel", "for"]),
    fuel_price: float = Slot("Fuel price, per litre or per gallon", kind="money", gt=0, le=100,
                             question="What does fuel cost?",
                             cues=["fuel", "petrol", "gas", "diesel", "gasoline", "price", "at", "costs"]),
    consumption: float | None = Slot("Fuel consumption in litres per 100 km", default=None, kind="quantity",
                                     unit="L/(100 km)", gt=0, le=100,
                                     cues=["consumption", "uses", "burns", "l/100km", "economy"]),
    mpg: float | None = Slot("Fuel economy in miles per (US) gallon", default=None, kind="quantity", unit="mi/gal",
                             gt=0, le=500, cues=["mpg", "gets", "getting", "does", "economy"]),
    price_per: Literal["litre", "gallon"] = Slot("Whether the fuel price is per litre or per gallon", default="litre",
                                                 kind="choice",
                                                 synonyms={"liter": "litre", "litres": "litre", "liters": "litre",
                                                           "l": "litre", "gal": "gallon", "gallons": "gallon"}),
) -> TripFuelCost:
    """Fuel cost of a road trip from its distance, the car's fuel economy and the fuel price."""
    if consumption is None and mpg is None:
        raise ParameterError("consumption", "give the fuel economy, in L/100km or in mpg")
    # Litres per km either way; L/100km wins if both are given, as it is the exact figure.
    l_per_km = consumption / 100 if consumption is not None else GALLON_L / (mpg * 1.609344)
    litres = distance * l_per_km
    price_per_litre = fuel_price if price_per == "litre" else fuel_price / GALLON_L
    cost = litres * price_per_litre
    economy = f"{consumption:g} L/100km" if consumption is not None else f"{mpg:g} mpg (US)"
    return TripFuelCost(cost=round(cost, 2), litres=round(litres, 2),
                        basis=f"fuel = {distance:g} km at {economy} = {litres:.2f} L; "
                              f"cost = litres x {fuel_price:g} per {price_per}")


class EvChargeCost(Result):
    cost: float
    kwh_from_grid: float


@pack.action(
    title="EV charging cost",
    samples=["cost to charge a 75 kWh ev from 20% to 80% at $0.14 per kWh",
             "how much to charge my electric car with a 60 kWh battery at 0.25 per kwh",
             "ev charging cost for a 100 kWh pack from 10 percent to 90 percent at 30 cents a kWh",
             "price of a full charge of a 40 kWh battery at 0.18/kWh"],
    render=Render(kind="headline", headline="cost", headline_format="money", units={"kwh_from_grid": "kWh"}),
)
def ev_charge_cost(
    battery: float = Slot("Usable battery capacity", kind="quantity", unit="kWh", gt=0, le=1000,
                          question="How big is the battery, in kWh?",
                          cues=["battery", "pack", "capacity", "car", "ev"]),
    price_per_kwh: float = Slot("Electricity price per kWh", **PRICE_PER_KWH),
    from_pct: float = Slot("State of charge at the start, percent", default=0, kind="percent", ge=0, le=100,
                           cues=["from", "starting", "start", "empty"]),
    to_pct: float = Slot("State of charge at the end, percent", default=100, kind="percent", ge=0, le=100,
                         cues=["to", "until", "up", "target", "full"]),
    efficiency_pct: float = Slot("Charging efficiency, percent (losses in charger and cable)", default=90,
                                 kind="percent", gt=0, le=100, cues=["efficiency", "efficient", "losses"]),
) -> EvChargeCost:
    """Cost of charging an electric car's battery from one charge level to another, with charging losses."""
    if to_pct <= from_pct:
        raise ParameterError("to_pct", "the target charge must be above the starting charge")
    grid = battery * (to_pct - from_pct) / 100 / (efficiency_pct / 100)
    return EvChargeCost(cost=round(grid * price_per_kwh, 2), kwh_from_grid=round(grid, 2),
                        basis=f"grid energy = {battery:g} kWh x ({to_pct:g}% - {from_pct:g}%) / {efficiency_pct:g}% "
                              f"efficiency = {grid:.2f} kWh; cost = kWh x {price_per_kwh:g}")

