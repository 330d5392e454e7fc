"""Slots shared by several healthcare actions, with the kinds and units the catalog agrees on.

Bounds are the outer limits of human physiology (the heaviest and tallest people recorded, the smallest
surviving newborns, the lowest creatinine measured), so that a typo or a wrong unit (18 m, 1e-320) is
refused instead of being calculated. Values that are plausible in another
unit (1.65 "cm", creatinine 88 "mg/dL" that is µmol/L) pass the type bounds and are refused by the checks
below with the likely unit named, which a bare range error could not say.
"""
from __future__ import annotations

from intents.sdk import ParameterError, Slot

WEIGHT = Slot("Body weight in kilograms (convert pounds: 1 lb = 0.45359237 kg)", kind="weight", unit="kg",
              ge=0.2, le=650, question="What is the patient's weight (kg)?")
HEIGHT = Slot("Body height in centimetres (convert feet/inches: 1 in = 2.54 cm)", kind="height", unit="cm",
              ge=0.5, le=275, question="What is the patient's height (cm)?")
AGE = Slot("Age in years", kind="age", unit="years", ge=0, le=130, question="How old is the patient (years)?")
SEX = Slot("Sex used by the equation: female or male", kind="sex", question="Is the patient female or male?")
CREATININE = Slot("Serum creatinine in mg/dL (IDMS-traceable)", kind="creatinine", unit="mg/dL", ge=0.05, le=2500,
                  question="What is the serum creatinine (mg/dL)?")


def check_height_cm(height_cm: float) -> None:
    """Heights under 30 cm are almost always metres or feet typed as centimetres; say so."""
    if height_cm < 30:
        raise ParameterError(
            "height_cm",
            f"{height_cm:g} cm is not a plausible height; give centimetres "
            f"({height_cm:g} m would be {height_cm * 100:g} cm)",
        )


def check_adult(param: str, age: float, equation: str) -> None:
    if age < 18:
        raise ParameterError(param, f"{equation} is validated for adults (18 years or older), got {age:g}")


def check_creatinine_mg_dl(value: float) -> None:
    """Creatinine above ~25 mg/dL is almost always a µmol/L value given as mg/dL."""
    if value > 25:
        raise ParameterError(
            "creatinine_mg_dl",
            f"{value:g} mg/dL is not plausible; if it is µmol/L, that is {value / 88.42:.2f} mg/dL",
        )
