"""Estate grounds and haulage on the public SDK: what irrigating costs in water, how much lawn fertiliser an
area takes, what topping up a grain silo costs and what road freight costs at a rate per tonne-kilometre.
Prices are the user's own (a water tariff, a grain quote, a haulier's rate); nothing is looked up."""
from __future__ import annotations

from intents.sdk import Pack, Render, Result, Slot

pack = Pack(
    id="grounds",
    name="Grounds and Haulage",
    version="1.0.0",
    description="Irrigation water cost, lawn fertiliser needed, grain silo fill cost and road freight cost.",
    publisher="Example Estate Tools",
    vertical="agriculture",
    sensitive=[],
    negatives=["book a lorry for friday", "when does the grain market open", "mow the lawn",
               "track my freight shipment", "order 10 bags of fertiliser"],
)


class WaterCost(Result):
    water_m3: float
    cost: float


@pack.action(
    title="Irrigation water cost",
    samples=[
        "irrigation cost for 12 L/min running 2 hours a day for 30 days at 2.10 per m3",
        "what does watering cost with a sprinkler at 15 litres per minute 8 hours a day",
        "sprinkler water bill 10 l/min 3 hours daily over 60 days, water 1.90 per cubic metre",
        "cost of drip irrigation 4 L/min 1 hour per day",
        "how much water does my irrigation use and cost",
    ],
    render=Render(kind="headline", headline="cost"),
)
def irrigation_cost(
    flow: float = Slot("Flow rate of the sprinklers or drip line", kind="quantity", unit="L/min", gt=0, le=10000,
                       question="What is the flow rate?", cues=["flow", "l/min", "litres", "rate", "sprinkler"]),
    hours_per_day: float = Slot("Hours it runs each day", kind="quantity", unit="h", gt=0, le=24,
                                question="How many hours a day does it run?", cues=["hours", "daily", "day", "runs"]),
    days: int = Slot("Days of irrigation", default=30, kind="days", ge=1, le=3660,
                     cues=["for", "over", "days", "season"]),
    water_price: float = Slot("Price per cubic metre of water", kind="money", gt=0, le=100,
                              question="What does water cost per cubic metre?",
                              cues=["m3", "cubic", "water", "tariff", "tarif", "price"]),
) -> WaterCost:
    """Water used (flow x minutes run) and its cost at a price per cubic metre."""
    m3 = flow * 60 * hours_per_day * days / 1000
    return WaterCost(water_m3=round(m3, 3), cost=round(m3 * water_price, 2),
                     basis=f"{flow:g} L/min x {hours_per_day * 60:g} min/day x {days} days = {m3:.3f} m3, "
                           f"x {water_price:g} per m3")


class Fertiliser(Result):
    kg: float
    cost: float | None = None


@pack.action(
    title="Lawn fertiliser needed",
    samples=[
        "fertiliser needed for 800 m2 at 3 kg per 100 m2",
        "how much lawn feed for 1200 square metres at 2.5 kg/100m2 costing 1.10 per kg",
        "fertilizer for a 450 m2 lawn at 4 kg per 100 square metres",
        "how much fertiliser do I need",
    ],
    render=Render(kind="headline", headline="kg"),
)
def fertiliser_needed(
    area: float = Slot("Area to feed", kind="quantity", unit="m**2", gt=0, le=10_000_000,
                       question="How big is the area?", cues=["area", "lawn", "for", "over", "turf"]),
    rate: float = Slot("Application rate, kg per 100 square metres", kind="quantity", unit="kg/(100 m**2)", gt=0,
                       le=100, question="At what rate (kg per 100 m2)?", cues=["rate", "at", "spread"]),
    price_per_kg: float | None = Slot("Price per kg of fertiliser", default=None, kind="money", gt=0, le=1000,
                                      cues=["kg", "per kg", "price", "costing", "cost"]),
) -> Fertiliser:
    """Fertiliser for an area at a rate per 100 m2, and its cost at a price per kg."""
    kg = area / 100 * rate
    cost = None if price_per_kg is None else round(kg * price_per_kg, 2)
    return Fertiliser(kg=round(kg, 2), cost=cost, basis=f"{area:g} m2 / 100 x {rate:g} kg")


class SiloFill(Result):
    tonnes: float
    cost: float


@pack.action(
    title="Grain silo fill cost",
    samples=[
        "cost to fill a 500 tonne silo from 20% to 90% at 210 per tonne",
        "top up a 120t grain bin from 35 percent to full at 245/t",
        "silo fill cost 300 tonnes from 10% up to 80%, wheat 230 a tonne",
        "what does filling the silo cost",
    ],
    render=Render(kind="headline", headline="cost"),
)
def silo_fill(
    capacity: float = Slot("Capacity of the silo", kind="quantity", unit="t", gt=0, le=100_000,
                           question="What is the silo's capacity?", cues=["silo", "bin", "capacity", "tonne"]),
    from_pct: float = Slot("Fill level now, percent", kind="percent", ge=0, le=100, question="How full is it now?",
                           cues=["from", "currently", "now", "at"]),
    to_pct: float = Slot("Fill level wanted, percent", default=100, kind="percent", ge=0, le=100,
                         cues=["to", "up", "until"]),
    price_per_tonne: float = Slot("Grain price per tonne", kind="money", gt=0, le=10_000,
                                  question="What does the grain cost per tonne?",
                                  cues=["tonne", "t", "per tonne", "price", "grain", "wheat", "barley"]),
) -> SiloFill:
    """Tonnes to bring a silo from one fill level to another, and their cost at a price per tonne."""
    tonnes = max(0.0, capacity * (to_pct - from_pct) / 100)
    return SiloFill(tonnes=round(tonnes, 2), cost=round(tonnes * price_per_tonne, 2),
                    basis=f"{capacity:g} t x ({to_pct:g}% - {from_pct:g}%) x {price_per_tonne:g} per t")


class Freight(Result):
    tonne_km: float
    cost: float


@pack.action(
    title="Road freight cost",
    samples=[
        "haulage cost for 24 tonnes over 350 km at 0.09 per tonne-km",
        "freight cost 18t 1200 km at 7 cents per tkm",
        "what does it cost to haul 30 tonnes 90 km",
        "road freight quote per tonne kilometre",
    ],
    render=Render(kind="headline", headline="cost"),
)
def haul_cost(
    load: float = Slot("Load carried", kind="quantity", unit="t", gt=0, le=1000, question="How many tonnes?",
                       cues=["tonnes", "load", "haul", "carrying"]),
    distance: float = Slot("Distance hauled", kind="quantity", unit="km", gt=0, le=20000,
                           question="How far?", cues=["distance", "over", "going", "km"]),
    rate: float = Slot("Price per tonne-km", kind="money", gt=0, le=10,
                       question="What is the rate per tonne-km?", cues=["tkm", "tonne-km", "rate", "tariff"]),
) -> Freight:
    """Road freight cost: tonnes x kilometres x a price per tonne-kilometre."""
    tkm = load * distance
    return Freight(tonne_km=round(tkm, 2), cost=round(tkm * rate, 2),
                   basis=f"{load:g} t x {distance:g} km = {tkm:g} tkm, x {rate:g} per tkm")
