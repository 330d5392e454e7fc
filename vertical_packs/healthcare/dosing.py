"""Weight-based dose arithmetic (mg/kg x kg), with an optional per-dose cap from the label or protocol."""
from __future__ import annotations

from intents.sdk import Render, Result, Slot
from vertical_packs.healthcare.manifest import pack
from vertical_packs.healthcare.slots import WEIGHT


class DoseResult(Result):
    dose_mg: float
    uncapped_dose_mg: float
    capped: bool


@pack.action(
    title="Weight-based dose",
    samples=[
        "dose for 20 kg at 15 mg/kg",
        "15 mg/kg for a 20 kg child",
        "how many mg is 10 mg per kg for 35 kg",
        "weight based dose 0.1 mg/kg 70 kg",
        "calculate dose 7.5 mg/kg for 44 lb",
        "paracetamol 15 mg/kg for a 12 kg toddler max 1000 mg",
        "what dose is 2 mg/kg for a patient weighing 80 kg",
        "dose 25 mg/kg 18 kg maximum 500 mg",
        "mg/kg dosing: 5 mg/kg, weight 62 kg",
        "give 1 mg/kg to a 90 kg adult, cap at 80 mg",
        "how much for 30 kg at 40 mg per kilogram",
        "total dose at 0.5 mg/kg for 9 kg",
        "weight-based dosing",
        "dose by weight",
    ],
    templates=[
        "[dose|weight based dose] [for] {weight_kg} at {dose_mg_per_kg} [max|maximum|cap] [{max_dose_mg}]",
        "{dose_mg_per_kg} for [a] {weight_kg} [patient|child|adult] [max|maximum|cap at] [{max_dose_mg}]",
    ],
    render=Render(kind="headline", headline="dose_mg", headline_format="number", units={"dose_mg": "mg"}),
)
def dose(
    weight_kg: float = WEIGHT,
    dose_mg_per_kg: float = Slot("Dose per kilogram of body weight, in mg/kg", kind="dose_per_kg", unit="mg/kg",
                                 ge=0.0001, le=1000, question="What is the dose per kilogram (mg/kg)?"),
    max_dose_mg: float | None = Slot("Optional maximum single dose in mg (from the label or protocol)",
                                     default=None, kind="dose", unit="mg", ge=0.0001, le=1_000_000),
) -> DoseResult:
    """Single dose from body weight and a mg/kg dose, capped at a maximum dose when one is given."""
    raw = weight_kg * dose_mg_per_kg
    capped = max_dose_mg is not None and raw > max_dose_mg
    final = max_dose_mg if capped else raw
    cap_text = (
        f"; capped at the maximum {max_dose_mg:g} mg" if capped
        else (f"; below the maximum {max_dose_mg:g} mg" if max_dose_mg is not None else "; no maximum given")
    )
    return DoseResult(
        dose_mg=round(final, 3),
        uncapped_dose_mg=round(raw, 3),
        capped=capped,
        basis=f"dose = weight x dose per kg = {weight_kg:g} kg x {dose_mg_per_kg:g} mg/kg = {raw:g} mg{cap_text}. "
        "Arithmetic only: check the dose, the maximum per dose and per day, and the interval against the "
        "product label or your protocol.",
    )
