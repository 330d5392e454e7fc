"""Parcel logistics on the public SDK: what a parcel costs to ship, its dimensional weight, when it arrives
and how many pallets a consignment fills. Rates are this pack's own published tariff (below), not a
carrier's: a carrier's real price also has fuel and residential surcharges."""
from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Literal

from intents.sdk import Pack, ParameterError, Render, Result, Slot

pack = Pack(
    id="shipping",
    name="Shipping",
    version="1.0.0",
    description="Parcel shipping cost by weight and distance, dimensional weight, delivery dates and pallet counts.",
    publisher="Example Logistics Tools",
    vertical="logistics",
    sensitive=[],
    disclaimers=["Estimates from a flat tariff; your carrier's quote is what you pay."],
    negatives=["track my package", "where is my parcel", "schedule a pickup for tomorrow",
               "print a shipping label", "file a claim for a damaged package"],
)

WEIGHT_CUES = ["weight", "weighs", "weighing", "heavy", "kg", "kilos", "parcel", "package", "box"]

# Zones by road distance (km): (upper bound, zone, base price, price per billable kg)
ZONES = [(150, 1, 6.50, 0.90), (500, 2, 8.00, 1.20), (1000, 3, 10.50, 1.60), (2000, 4, 13.00, 2.00),
         (math.inf, 5, 17.00, 2.60)]
SERVICE_FACTOR = {"ground": 1.0, "express": 1.6, "overnight": 2.5}


class ParcelCost(Result):
    cost: float
    zone: int
    billable_weight_kg: float
    service: str


@pack.action(
    title="Parcel shipping cost",
    samples=[
        "how much to ship a 2 kg parcel 300 km",
        "shipping cost for a 10 lb package going 800 miles by express",
        "cost to send a 5 kg box 1200 km overnight",
        "parcel rate for 0.5 kg over 50 km",
        "what does it cost to ship a package",
    ],
    templates=["(ship|send|post) [a] {weight} [parcel|package|box] {distance}",
               "shipping cost [for] {weight} [over] {distance}"],
    render=Render(kind="headline", headline="cost"),
)
def parcel_cost(
    weight: float = Slot("Weight of the parcel", kind="quantity", unit="kg", gt=0, le=70,
                         question="How heavy is the parcel?", cues=WEIGHT_CUES),
    distance: float = Slot("Distance it travels", kind="quantity", unit="km", gt=0, le=20000,
                           question="How far is it going?",
                           cues=["distance", "away", "far", "going", "over", "across", "to"]),
    service: Literal["ground", "express", "overnight"] = Slot(
        "Service level", default="ground", kind="choice",
        synonyms={"standard": "ground", "economy": "ground", "regular": "ground", "priority": "express",
                  "fast": "express", "2-day": "express", "next day": "overnight", "next-day": "overnight",
                  "overnite": "overnight"}),
) -> ParcelCost:
    """Price of shipping one parcel: a zone base price by distance plus a price per billable kg."""
    billable = math.ceil(weight * 2) / 2  # carriers bill in started half kilos
    upper, zone, base, per_kg = next(z for z in ZONES if distance <= z[0])
    cost = (base + per_kg * billable) * SERVICE_FACTOR[service]
    return ParcelCost(cost=round(cost, 2), zone=zone, billable_weight_kg=billable, service=service,
                      basis=f"zone {zone} ({distance:g} km): ({base:.2f} + {per_kg:.2f}/kg x {billable:g} kg "
                            f"billable, rounded up to 0.5 kg) x {SERVICE_FACTOR[service]:g} for {service}")


class DimWeight(Result):
    dim_weight_kg: float
    volume_litres: float
    billable_weight_kg: float | None = None


@pack.action(
    title="Dimensional weight",
    samples=[
        "dimensional weight of a 40 x 30 x 20 cm box",
        "volumetric weight for a box 60cm by 40cm by 40cm",
        "dim weight of a 12 by 10 by 8 inch carton",
        "what is the chargeable weight of a 50x40x30 cm box weighing 8 kg",
    ],
    templates=["(dimensional|dim|volumetric) weight [of|for] [a] {length} [x|by] {width} [x|by] {height}"],
    render=Render(kind="headline", headline="dim_weight_kg"),
)
def dimensional_weight(
    length: float = Slot("Length of the box", kind="quantity", unit="cm", gt=0, le=400,
                         cues=["length", "long", "l"]),
    width: float = Slot("Width of the box", kind="quantity", unit="cm", gt=0, le=400, cues=["width", "wide", "w"]),
    height: float = Slot("Height of the box", kind="quantity", unit="cm", gt=0, le=400,
                         cues=["height", "high", "tall", "deep", "depth", "h"]),
    divisor: int = Slot("Volumetric divisor in cm3 per kg (5000 courier, 6000 some postal services)", default=5000,
                        kind="integer", ge=1000, le=10000, cues=["divisor", "factor"]),
    weight: float | None = Slot("Actual weight, to get the billable (greater) weight", default=None,
                                kind="quantity", unit="kg", gt=0, le=1000, cues=["weighing", "weighs", "actual"]),
) -> DimWeight:
    """Dimensional (volumetric) weight of a box: length x width x height / divisor."""
    volume_cm3 = length * width * height
    dim = volume_cm3 / divisor
    billable = None if weight is None else round(max(dim, weight), 2)
    basis = f"{length:g} x {width:g} x {height:g} cm = {volume_cm3:,.0f} cm3, / {divisor} cm3/kg"
    if weight is not None:
        basis += f"; billable = greater of {dim:.2f} kg and the actual {weight:g} kg"
    return DimWeight(dim_weight_kg=round(dim, 2), volume_litres=round(volume_cm3 / 1000, 2),
                     billable_weight_kg=billable, basis=basis)


class DeliveryDate(Result):
    delivery_date: date
    weekday: str
    calendar_days: int


@pack.action(
    title="Delivery date estimate",
    samples=[
        "when will it arrive if shipped on 2026-03-02 with 3 business days transit",
        "delivery date for a parcel sent March 6 2026 taking 5 business days",
        "estimated arrival shipping tomorrow with 2 day transit",
        "if I ship on Friday June 5 2026 with 4 working days, when does it get there",
        "delivery estimate",
    ],
    render=Render(kind="headline", headline="delivery_date"),
)
def delivery_date(
    ship_date: date = Slot("Date the parcel is handed to the carrier", kind="date", question="When does it ship?",
                           cues=["ship", "shipped", "shipping", "sent", "send", "dispatched", "on", "leaves"]),
    transit_days: int = Slot("Transit time in business days", kind="days", ge=0, le=60,
                             question="How many business days in transit?",
                             cues=["transit", "business", "working", "takes", "taking"]),
    saturday_delivery: bool = Slot("Whether the carrier delivers on Saturdays", default=False, kind="boolean",
                                   cues=["saturday"]),
) -> DeliveryDate:
    """Date a parcel arrives: the ship date plus transit business days, skipping weekends."""
    working = {0, 1, 2, 3, 4, 5} if saturday_delivery else {0, 1, 2, 3, 4}
    day = ship_date
    left = transit_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() in working:
            left -= 1
    return DeliveryDate(delivery_date=day, weekday=day.strftime("%A"), calendar_days=(day - ship_date).days,
                        basis=f"{transit_days} business days after {ship_date.isoformat()}, counting "
                              f"{'Monday-Saturday' if saturday_delivery else 'Monday-Friday'} (no holidays)")


class Pallets(Result):
    pallets: int
    limited_by: str
    boxes_on_last_pallet: int


@pack.action(
    title="Pallets needed",
    samples=[
        "how many pallets for 500 boxes",
        "pallets needed for 1200 cartons at 48 boxes per pallet",
        "number of pallets for 300 boxes of 25 kg each",
        "how many pallets do 90 boxes take with 20 per pallet",
    ],
    templates=["[how many] pallets [needed|do i need] [for] {boxes} (boxes|cartons|cases)"],
    render=Render(kind="headline", headline="pallets"),
)
def pallets_needed(
    boxes: int = Slot("Number of boxes to ship", kind="integer", ge=1, le=1_000_000,
                      question="How many boxes?", cues=["boxes", "cartons", "cases", "parcels", "packages"]),
    boxes_per_pallet: int = Slot("Boxes that fit on one pallet", default=40, kind="integer", ge=1, le=1000,
                                 cues=["per", "pallet", "each", "fit", "stack"]),
    box_weight: float | None = Slot("Weight of one box", default=None, kind="quantity", unit="kg", gt=0, le=1000,
                                    cues=["each", "weighing", "weighs", "of", "box"]),
    max_load: float = Slot("Maximum load of one pallet", default=1000, kind="quantity", unit="kg", gt=0, le=5000,
                           cues=["max", "maximum", "load", "limit", "capacity"]),
) -> Pallets:
    """Pallets a consignment fills: by how many boxes fit on one, and by the pallet's weight limit."""
    per_pallet = boxes_per_pallet
    limited_by = "boxes per pallet"
    if box_weight is not None:
        by_weight = int(max_load // box_weight)
        if by_weight < 1:
            raise ParameterError("box_weight", f"one box ({box_weight:g} kg) is over the pallet's {max_load:g} kg load")
        if by_weight < per_pallet:
            per_pallet, limited_by = by_weight, "weight"
    pallets = math.ceil(boxes / per_pallet)
    last = boxes - (pallets - 1) * per_pallet
    return Pallets(pallets=pallets, limited_by=limited_by, boxes_on_last_pallet=last,
                   basis=f"ceil({boxes} boxes / {per_pallet} per pallet), {per_pallet} limited by {limited_by}")
