"""Kidney function: eGFR by CKD-EPI 2021 (race-free) and creatinine clearance by Cockcroft-Gault."""
from __future__ import annotations

from typing import Literal

from intents.sdk import Chart, Render, Result
from vertical_packs.healthcare.manifest import pack
from vertical_packs.healthcare.slots import AGE, CREATININE, SEX, WEIGHT, check_adult, check_creatinine_mg_dl

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
    ],
    templates=[
        "(crcl|creatinine clearance|cockcroft gault|cockcroft-gault) [for] [a] {age} [year old] {sex} {weight_kg} "
        "[with] creatinine {creatinine_mg_dl}",
        "(crcl|creatinine clearance) age {age} weight {weight_kg} creatinine {creatinine_mg_dl} {sex}",
    ],
    render=Render(kind="headline", headline="crcl_ml_min", headline_format="number",
                  units={"crcl_ml_min": "mL/min"}),
)
def creatinine_clearance(
    age: float = AGE,
    weight_kg: float = WEIGHT,
    creatinine_mg_dl: float = CREATININE,
    sex: Literal["female", "male"] = SEX,
) -> CrClResult:
    """Creatinine clearance by Cockcroft-Gault, with actual body weight."""
    check_adult("age", age, "Cockcroft-Gault")
    check_creatinine_mg_dl(creatinine_mg_dl)
    factor = 0.85 if sex == "female" else 1.0
    value = (140 - age) * weight_kg / (72 * creatinine_mg_dl) * factor
    return CrClResult(
        crcl_ml_min=round(value, 1),
        basis=f"CrCl = (140 - age) x weight / (72 x Scr){' x 0.85' if sex == 'female' else ''} = "
        f"(140 - {age:g} y) x {weight_kg:g} kg / (72 x {creatinine_mg_dl:g} mg/dL)"
        f"{' x 0.85' if sex == 'female' else ''} = {value:.1f} mL/min (actual body weight, not normalised to "
        "BSA). Source: Cockcroft DW, Gault MH, 'Prediction of creatinine clearance from serum creatinine', "
        "Nephron 1976;16:31-41.",
    )
