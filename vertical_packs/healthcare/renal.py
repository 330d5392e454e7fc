"""Kidney function: eGFR by CKD-EPI 2021 (race-free) and creatinine clearance by Cockcroft-Gault."""
from __future__ import annotations

from typing import Literal

from intents.sdk import Chart, ParameterError, Render, Result, Slot
from vertical_packs.healthcare.body import adjusted_body_weight, ideal_body_weight
from vertical_packs.healthcare.manifest import pack
from vertical_packs.healthcare.slots import AGE, CREATININE, SEX, WEIGHT, check_adult, check_creatinine_mg_dl, check_height_cm

# CKD-EPI 2021 creatinine equation constants by sex: (kappa, alpha, sex factor).
# Inker LA et al., N Engl J Med 2021;385:1737-49 (the creatinine equation, eGFRcr).
CKD_EPI_2021 = {"female": (0.7, -0.241, 1.012), "male": (0.9, -0.302, 1.0)}

# KDIGO 2012 GFR categories (mL/min/1.73 m²), lower bounds inclusive.
GFR_CATEGORIES = ((90, "G1"), (60, "G2"), (45, "G3a"), (30, "G3b"), (15, "G4"), (0, "G5"))
GFR_MEANING = {
    "G1": "normal or high", "G2": "mildly decreased", "G3a": "mildly to moderately decreased",
    "G3b": "moderately to severely decreased", "G4": "severely decreased", "G5": "kidney failure",
}


class EGFRResult(Result):
    egfr: float
    ckd_stage: str
    stage_meaning: str


class CrClResult(Result):
    crcl_ml_min: float
    weight_basis: str = "actual"
    weight_used_kg: float | None = None


def ckd_stage(egfr: float) -> str:
    """KDIGO GFR category; the boundary test uses the value as reported (one decimal)."""
    for lower, stage in GFR_CATEGORIES:
        if egfr >= lower:
            return stage
    return "G5"


@pack.action(
    title="eGFR (CKD-EPI 2021)",
    samples=[
        "egfr for a 60 year old woman with creatinine 1.1",
        "egfr 55 year old male creatinine 1.2",
        "estimated gfr female 50 scr 0.8",
        "ckd-epi for a 72 yo man, serum creatinine 1.6 mg/dl",
        "what is the egfr of a 45 year old female with a creatinine of 0.9",
        "kidney function for 80 year old woman creatinine 1.4",
        "calculate gfr creatinine 2.3 age 67 male",
        "ckd stage for a 59 year old man with creatinine 1.8",
        "egfr, 38 f, cr 0.7",
        "glomerular filtration rate for a 64-year-old man, creatinine 1.05 mg/dL",
        "renal function ckd epi 2021 woman 70 creatinine 1.2",
        "egfr cr 3.1 male 51",
        "estimate gfr",
        "what's the egfr",
    ],
    templates=[
        "(egfr|gfr|ckd-epi|ckd epi) [for] [a] {age} [year old] {sex} [with] creatinine {creatinine_mg_dl}",
        "(egfr|gfr) {sex} {age} (creatinine|scr|cr) {creatinine_mg_dl}",
        "(egfr|gfr) (creatinine|scr|cr) {creatinine_mg_dl} age {age} {sex}",
    ],
    render=Render(kind="headline", headline="egfr", headline_format="number",
                  units={"egfr": "mL/min/1.73 m²"},
                  charts=[Chart(kind="bands", title="KDIGO GFR categories", value="egfr", unit="mL/min/1.73 m²",
                                bands=[{"label": "G5", "from": 0, "to": 15}, {"label": "G4", "from": 15, "to": 30},
                                       {"label": "G3b", "from": 30, "to": 45}, {"label": "G3a", "from": 45, "to": 60},
                                       {"label": "G2", "from": 60, "to": 90}, {"label": "G1", "from": 90, "to": 130}])]),
)
def egfr(
    creatinine_mg_dl: float = CREATININE,
    age: float = AGE,
    sex: Literal["female", "male"] = SEX,
) -> EGFRResult:
    """Estimated GFR by the race-free CKD-EPI 2021 creatinine equation, with the KDIGO GFR category."""
    check_adult("age", age, "CKD-EPI 2021")
    check_creatinine_mg_dl(creatinine_mg_dl)
    kappa, alpha, sex_factor = CKD_EPI_2021[sex]
    ratio = creatinine_mg_dl / kappa
    value = 142 * min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200 * 0.9938**age * sex_factor
    reported = round(value, 1)
    stage = ckd_stage(reported)
    return EGFRResult(
        egfr=reported,
        ckd_stage=stage,
        stage_meaning=GFR_MEANING[stage],
        basis=f"eGFR = 142 x min(Scr/k,1)^a x max(Scr/k,1)^-1.200 x 0.9938^age"
        f"{' x 1.012' if sex == 'female' else ''}, k = {kappa}, a = {alpha} ({sex}); Scr = {creatinine_mg_dl:g} "
        f"mg/dL, age = {age:g} years -> {value:.1f} mL/min/1.73 m², KDIGO category {stage} "
        f"({GFR_MEANING[stage]}). Source: Inker LA et al., 'New creatinine- and cystatin C-based equations "
        "to estimate GFR without race', N Engl J Med 2021;385:1737-49 (CKD-EPI 2021, no race term); "
        "KDIGO 2012 GFR categories. A category alone is not a CKD diagnosis (needs > 3 months).",
    )


@pack.action(
    title="Creatinine clearance (Cockcroft-Gault)",
    samples=[
        "creatinine clearance 70 year old man 72 kg creatinine 1.4",
        "crcl for a 60 yo male 72 kg scr 1.0",
        "cockcroft gault female 80 years 55 kg creatinine 1.3",
        "what is the creatinine clearance of a 45 year old woman weighing 68 kg with creatinine 0.9",
        "cockcroft-gault for renal dosing, 82 yo woman, 50 kg, cr 1.1",
        "calculate crcl age 66 weight 90 kg creatinine 1.7 male",
        "estimated creatinine clearance 180 lb 58 year old man cr 1.2",
        "crcl 75 f 60kg 1.5",
        "renal dose adjustment clearance for a 77 year old male 65 kg creatinine 2.0",
        "cockcroft gault",
        "clcr for a 50 year old woman 70 kg serum creatinine 0.8 mg/dl",
        "what's his creatinine clearance: 63 years, 85 kg, creatinine 1.3",
        "creatinine clearance",
        "crcl using ideal body weight, 70 year old man, 120 kg, 180 cm, creatinine 1.2",
        "cockcroft gault with adjusted body weight for an obese woman 55 years 110 kg 163 cm scr 0.9",
        "creatinine clearance on ibw: male 64 y 95 kg 175 cm cr 1.4",
        "crcl with adjusted weight 82 yo male 130 kg 178 cm creatinine 1.1",
    ],
    templates=[
        "(crcl|creatinine clearance|cockcroft gault|cockcroft-gault) [for] [a] {age} [year old] {sex} {weight_kg} "
        "[with] creatinine {creatinine_mg_dl}",
        "(crcl|creatinine clearance) age {age} weight {weight_kg} creatinine {creatinine_mg_dl} {sex}",
        "(crcl|creatinine clearance|cockcroft gault) (using|with|on) {weight_basis} [body] weight [for] [a] {age} "
        "[year old] {sex} {weight_kg} {height_cm} [with] creatinine {creatinine_mg_dl}",
    ],
    render=Render(kind="headline", headline="crcl_ml_min", headline_format="number",
                  units={"crcl_ml_min": "mL/min"}),
)
def creatinine_clearance(
    age: float = AGE,
    weight_kg: float = WEIGHT,
    creatinine_mg_dl: float = CREATININE,
    sex: Literal["female", "male"] = SEX,
    weight_basis: Literal["actual", "ideal", "adjusted"] = Slot(
        "Which weight goes into the equation: actual, ideal (Devine) or adjusted (IBW + 0.4 x excess); ideal "
        "and adjusted need the height.", default="actual", kind="choice"),
    height_cm: float | None = Slot("Body height in centimetres, needed for ideal or adjusted body weight",
                                   default=None, kind="height", unit="cm", gt=0, le=275),
) -> CrClResult:
    """Creatinine clearance by Cockcroft-Gault, with actual, ideal or adjusted body weight."""
    check_adult("age", age, "Cockcroft-Gault")
    check_creatinine_mg_dl(creatinine_mg_dl)
    used, how = weight_kg, f"{weight_kg:g} kg actual body weight"
    if weight_basis != "actual":
        if height_cm is None:
            raise ParameterError("height_cm", f"{weight_basis} body weight needs the patient's height (cm)")
        check_height_cm(height_cm)
        ibw = ideal_body_weight(height_cm, sex)
        if weight_basis == "ideal":
            used, how = ibw, f"{ibw:.2f} kg ideal body weight (Devine, {height_cm:g} cm {sex})"
        else:
            used = adjusted_body_weight(weight_kg, ibw)
            how = (f"{used:.2f} kg adjusted body weight (IBW {ibw:.2f} + 0.4 x ({weight_kg:g} - {ibw:.2f}), Devine, "
                   f"{height_cm:g} cm {sex})")
    factor = 0.85 if sex == "female" else 1.0
    value = (140 - age) * used / (72 * creatinine_mg_dl) * factor
    return CrClResult(
        crcl_ml_min=round(value, 1),
        weight_basis=weight_basis,
        weight_used_kg=round(used, 2),
        basis=f"CrCl = (140 - age) x weight / (72 x Scr){' x 0.85' if sex == 'female' else ''} = "
        f"(140 - {age:g} y) x {used:.2f} kg / (72 x {creatinine_mg_dl:g} mg/dL)"
        f"{' x 0.85' if sex == 'female' else ''} = {value:.1f} mL/min, with {how}; not normalised to BSA. "
        "Source: Cockcroft DW, Gault MH, 'Prediction of creatinine clearance from serum creatinine', "
        "Nephron 1976;16:31-41" + ("; Devine BJ, Drug Intell Clin Pharm 1974;8:650-5." if weight_basis != "actual" else "."),
    )
