"""Body size: BMI (CDC adult categories), body surface area (Mosteller), ideal and adjusted body weight (Devine)."""
from __future__ import annotations

import math
from typing import Literal

from intents.sdk import ParameterError, Render, Result
from vertical_packs.healthcare.manifest import pack
from vertical_packs.healthcare.slots import HEIGHT, SEX, WEIGHT, check_height_cm

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


# Devine BJ, "Gentamicin therapy", Drug Intell Clin Pharm 1974;8:650-5: 50 kg (men) or 45.5 kg (women) for
# 5 feet, plus 2.3 kg for every inch above. Adjusted body weight for obesity: IBW + 0.4 x (actual - IBW)
# (the 0.4 factor of the aminoglycoside dosing literature, e.g. Bauer LA, Applied Clinical Pharmacokinetics).
DEVINE_BASE_KG = {"male": 50.0, "female": 45.5}
DEVINE_KG_PER_INCH = 2.3
ADJUSTED_FACTOR = 0.4
FIVE_FEET_CM = 152.4


def ideal_body_weight(height_cm: float, sex: str) -> float:
    inches_over = (height_cm - FIVE_FEET_CM) / 2.54
    return DEVINE_BASE_KG[sex] + DEVINE_KG_PER_INCH * inches_over


def adjusted_body_weight(weight_kg: float, ibw_kg: float) -> float:
    return ibw_kg + ADJUSTED_FACTOR * (weight_kg - ibw_kg)


class BodyWeightResult(Result):
    ibw_kg: float
    adjusted_kg: float
    actual_kg: float
    percent_of_ibw: float  # actual / IBW x 100; above ~120-130 % dosing references switch to adjusted weight
    recommended_basis: str  # which weight dosing references use for this patient: actual, ideal or adjusted


@pack.action(
    title="Ideal and adjusted body weight (Devine)",
    samples=[
        "ideal body weight for a 180 cm man weighing 120 kg",
        "ibw and adjusted body weight, female, 165 cm, 90 kg",
        "what is the ideal body weight of a 5 foot 10 male who weighs 250 lb",
        "adjusted body weight for a 170 cm woman at 110 kg",
        "devine ideal weight 6 ft man 95 kg",
        "calculate ibw for a female 160 cm 70 kg",
        "dosing weight for an obese man 175 cm 140 kg",
        "abw for aminoglycoside dosing: male, 183 cm, 130 kg",
        "ideal and adjusted weight 5'4\" woman 200 pounds",
        "lean dosing weight of a 190 cm male weighing 150 kg",
        "body weight for dosing, 158 cm female 85 kg",
        "ideal body weight",
    ],
    templates=[
        "[devine] (ideal body weight|ibw|ideal weight|adjusted body weight|abw|dosing weight) [and adjusted body weight] "
        "[for|of] [a|an] {height_cm} {sex} [weighing|at|who weighs] {weight_kg}",
        "(ideal body weight|ibw|adjusted body weight|abw) [for|of] [a|an] {sex} {height_cm} {weight_kg}",
    ],
    render=Render(kind="headline", headline="ibw_kg", headline_format="number",
                  labels={"ibw_kg": "ideal body weight", "adjusted_kg": "adjusted body weight",
                          "actual_kg": "actual body weight"}, units={"ibw_kg": "kg",
                                                                                     "adjusted_kg": "kg"}),
)
def body_weight(weight_kg: float = WEIGHT, height_cm: float = HEIGHT, sex: Literal["female", "male"] = SEX) -> BodyWeightResult:
    """Ideal body weight (Devine) and adjusted body weight (IBW + 0.4 x excess) for drug dosing."""
    check_height_cm(height_cm)
    if height_cm < 120:
        raise ParameterError("height_cm", f"{height_cm:g} cm: the Devine formula is for adults; it goes negative "
                                          "for children's heights")
    ibw = ideal_body_weight(height_cm, sex)
    adjusted = adjusted_body_weight(weight_kg, ibw)
    ratio = weight_kg / ibw * 100
    basis_used = "actual" if weight_kg < ibw else ("adjusted" if ratio > 120 else "ideal")
    short = " Devine is not validated below 5 ft (152.4 cm): the result is an extrapolation." if height_cm < FIVE_FEET_CM else ""
    return BodyWeightResult(
        ibw_kg=round(ibw, 2),
        adjusted_kg=round(adjusted, 2),
        actual_kg=weight_kg,
        percent_of_ibw=round(ratio, 1),
        recommended_basis=basis_used,
        basis=f"IBW (Devine) = {DEVINE_BASE_KG[sex]:g} kg ({sex}) + 2.3 kg x inches over 5 ft = {DEVINE_BASE_KG[sex]:g} + "
        f"2.3 x ({height_cm:g} cm / 2.54 - 60) = {ibw:.2f} kg; adjusted = IBW + 0.4 x (actual - IBW) = {ibw:.2f} + "
        f"0.4 x ({weight_kg:g} - {ibw:.2f}) = {adjusted:.2f} kg; actual weight is {ratio:.0f}% of IBW. Dosing "
        "references use actual weight below IBW, IBW up to ~120% of it and adjusted weight above (check the drug's "
        f"own reference). Sources: Devine BJ, Drug Intell Clin Pharm 1974;8:650-5; adjusted-weight factor 0.4 "
        f"(aminoglycoside dosing).{short}",
    )
