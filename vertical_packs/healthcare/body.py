"""Body size: BMI (CDC adult categories) and body surface area (Mosteller)."""
from __future__ import annotations

import math

from intents.sdk import Render, Result
from vertical_packs.healthcare.manifest import pack
from vertical_packs.healthcare.slots import HEIGHT, WEIGHT, check_height_cm

# CDC adult BMI categories, lower bounds inclusive ("About Adult BMI", cdc.gov; obesity classes from the
# same page). Children and teens use BMI-for-age percentiles instead, which this action does not do.
BMI_CATEGORIES = (
    (40.0, "Obesity", "class 3"),
    (35.0, "Obesity", "class 2"),
    (30.0, "Obesity", "class 1"),
    (25.0, "Overweight", None),
    (18.5, "Healthy weight", None),
    (0.0, "Underweight", None),
)


class BMIResult(Result):
    bmi: float
    category: str
    obesity_class: str | None = None


class BSAResult(Result):
    bsa_m2: float


def bmi_category(bmi: float) -> tuple[str, str | None]:
    for lower, name, klass in BMI_CATEGORIES:
        if bmi >= lower:
            return name, klass
    return "Underweight", None


@pack.action(
    title="Body mass index (BMI)",
    samples=[
        "bmi 150 lb 5 foot 5",
        "bmi for 68 kg and 165 cm",
        "what is the bmi of a patient weighing 82 kg at 1.78 m",
        "body mass index 95 kilograms 180 centimetres",
        "calculate bmi weight 70 kg height 170 cm",
        "bmi for someone 6 ft 1 in and 210 pounds",
        "is 120 kg at 175 cm obese",
        "bmi of my patient: 54 kg, 160 cm",
        "compute body mass index for 200 lbs 5'10\"",
        "what's the bmi for 77 kg 1.72 metres",
        "quetelet index 63 kg 158 cm",
        "bmi please, 88 kg, 182 cm",
        "body mass index",
        "work out bmi",
    ],
    templates=[
        "[what is the] (bmi|body mass index) [for|of] {weight_kg} [and|at] {height_cm}",
        "(bmi|body mass index) [for|of] {height_cm} [and|at] {weight_kg}",
        "[calculate|compute] (bmi|body mass index) weight {weight_kg} height {height_cm}",
    ],
    render=Render(kind="headline", headline="bmi", headline_format="number", units={"bmi": "kg/m²"}),
)
def bmi(weight_kg: float = WEIGHT, height_cm: float = HEIGHT) -> BMIResult:
    """Body mass index with the CDC adult weight category."""
    check_height_cm(height_cm)
    value = weight_kg / (height_cm / 100) ** 2
    category, klass = bmi_category(value)
    label = f"{category} ({klass})" if klass else category
    return BMIResult(
        bmi=round(value, 2),
        category=category,
        obesity_class=klass,
        basis=f"BMI = weight / height^2 = {weight_kg:g} kg / ({height_cm / 100:g} m)^2 = {value:.2f} kg/m²; "
        f"CDC adult category: {label} (<18.5 underweight, 18.5-<25 healthy weight, 25-<30 overweight, "
        "30+ obesity; classes 1/2/3 from 30/35/40). Source: CDC, 'About Adult BMI'. "
        "Adults 20+ only; children use BMI-for-age percentiles.",
    )


@pack.action(
    title="Body surface area (Mosteller)",
    samples=[
        "bsa 180 cm 80 kg",
        "body surface area for 170 cm and 70 kg",
        "mosteller bsa weight 65 kg height 160 cm",
        "what is the body surface area of a 90 kg 185 cm man",
        "calculate bsa for chemo dosing 72 kg 168 cm",
        "bsa for 150 lb 5 foot 6",
        "surface area in square metres for 58 kg 155 cm",
        "compute bsa 100 kg 190 cm",
        "m2 body surface area for 6 foot 200 pounds",
        "what's the bsa, height 175 cm, weight 68 kg",
        "mosteller formula for 45 kg and 150 cm",
        "body surface area of a patient 1.62 m 59 kg",
        "body surface area",
    ],
    templates=[
        "[mosteller] (bsa|body surface area) [for|of] {height_cm} [and|at] {weight_kg}",
        "[mosteller] (bsa|body surface area) [for|of] {weight_kg} [and|at] {height_cm}",
    ],
    render=Render(kind="headline", headline="bsa_m2", headline_format="number", units={"bsa_m2": "m²"}),
)
def bsa(weight_kg: float = WEIGHT, height_cm: float = HEIGHT) -> BSAResult:
    """Body surface area by the Mosteller formula."""
    check_height_cm(height_cm)
    value = math.sqrt(height_cm * weight_kg / 3600)
    return BSAResult(
        bsa_m2=round(value, 3),
        basis=f"BSA = sqrt(height x weight / 3600) = sqrt({height_cm:g} cm x {weight_kg:g} kg / 3600) "
        f"= {value:.3f} m². Source: Mosteller RD, 'Simplified calculation of body-surface area', "
        "N Engl J Med 1987;317:1098.",
    )
