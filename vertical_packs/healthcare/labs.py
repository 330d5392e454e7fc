"""Lab unit conversion between conventional (mg/dL) and SI units (mmol/L, µmol/L).

Factors come from molar masses: mmol/L = mg/dL x 10 / M (g/mol). Each analyte lists the only unit pair it
is reported in, so a pair that makes no sense (glucose in µmol/L) is refused rather than guessed.
"""
from __future__ import annotations

import re
from typing import Literal

from intents.sdk import ParameterError, Render, Result, Slot
from vertical_packs.healthcare.manifest import pack

Analyte = Literal["glucose", "cholesterol", "triglycerides", "creatinine", "urea", "bun", "hba1c"]

# HbA1c is not a concentration: % (NGSP/DCCT) and mmol/mol (IFCC) are related by the NGSP-IFCC master
# equation, NGSP % = 0.09148 x IFCC mmol/mol + 2.152 (Hoelzel W et al., Clin Chem 2004;50:166-74; NGSP,
# "IFCC Standardization of HbA1c", ngsp.org), an affine map, so it has its own branch below.
HBA1C_SLOPE, HBA1C_INTERCEPT = 0.09148, 2.152

# analyte -> (conventional unit, SI unit, SI per conventional, digits for SI, digits for conventional, source)
ANALYTES: dict[str, tuple[str, str, float, int, int, str]] = {
    "glucose": ("mg/dL", "mmol/L", 10 / 180.156, 1, 0,
                "glucose M = 180.16 g/mol; ADA: 126 mg/dL = 7.0 mmol/L"),
    "cholesterol": ("mg/dL", "mmol/L", 0.02586, 2, 0,
                    "cholesterol M = 386.65 g/mol; AMA Manual of Style SI factor 0.02586"),
    "triglycerides": ("mg/dL", "mmol/L", 0.01129, 2, 0,
                      "triglycerides as triolein, M = 885.7 g/mol; AMA Manual of Style SI factor 0.01129"),
    "creatinine": ("mg/dL", "umol/L", 88.4, 1, 2,
                   "creatinine M = 113.12 g/mol; KDIGO: 1 mg/dL = 88.4 µmol/L"),
    "urea": ("mg/dL", "mmol/L", 10 / 60.06, 1, 1,
             "urea M = 60.06 g/mol (urea itself; for blood urea nitrogen use analyte bun)"),
    "bun": ("mg/dL", "mmol/L", 10 / 28.014, 1, 1,
            "blood urea nitrogen: 2 N per urea, 28.014 g/mol -> mmol/L of urea (factor 0.357)"),
}

# Spellings people use, after lower-casing, dropping spaces and reading "per" as "/".
_WORDS = (("micromoles", "umol"), ("micromole", "umol"), ("micromol", "umol"), ("µmol", "umol"), ("μmol", "umol"),
          ("millimoles", "mmol"), ("millimole", "mmol"), ("millimol", "mmol"), ("milligrams", "mg"),
          ("milligram", "mg"), ("decilitres", "dl"), ("deciliters", "dl"), ("decilitre", "dl"), ("deciliter", "dl"),
          ("litres", "l"), ("liters", "l"), ("litre", "l"), ("liter", "l"), ("per", "/"))
_UNITS = {"mg/dl": "mg/dL", "mg%": "mg/dL", "mgdl": "mg/dL", "mmol/l": "mmol/L", "mmol": "mmol/L",
          "umol/l": "umol/L", "umol": "umol/L", "%": "%", "percent": "%", "pct": "%", "ngsp": "%", "dcct": "%",
          "%ngsp": "%", "mmol/mol": "mmol/mol", "ifcc": "mmol/mol", "mmol/molhb": "mmol/mol"}


class LabConversion(Result):
    converted: float
    unit: str
    from_value: float
    from_unit: str


def normalise_unit(unit: str) -> str:
    key = re.sub(r"\s+", "", unit.strip().lower())
    if key in _UNITS:  # before "per" is read as "/": "percent"
        return _UNITS[key]
    for word, short in _WORDS:
        key = key.replace(word, short)
    if key in _UNITS:
        return _UNITS[key]
    raise ParameterError("unit", f"unknown lab unit '{unit}'; use mg/dL, mmol/L or umol/L (HbA1c: % or mmol/mol)")


@pack.action(
    title="Lab unit conversion",
    samples=[
        "convert glucose 126 mg/dl to mmol/l",
        "glucose 7.0 mmol/l in mg/dl",
        "cholesterol 200 mg/dl to mmol",
        "what is a creatinine of 1.0 mg/dl in umol/l",
        "creatinine 88 micromol per litre to mg/dl",
        "triglycerides 150 mg/dl in si units",
        "convert total cholesterol 5.2 mmol/l to mg/dl",
        "urea 7 mmol/l in mg/dl",
        "bun 20 mg/dl to mmol/l",
        "blood sugar 100 mg/dl in mmol",
        "what's 11.1 mmol/l glucose in mg/dl",
        "tg 2.3 mmol/l to mg/dl",
        "convert lab units",
        "si unit conversion for a lab value",
        "convert hba1c 7% to mmol/mol",
        "a1c of 53 mmol/mol in percent",
        "hemoglobin a1c 6.5 percent in ifcc units",
        "what is an hba1c of 48 mmol/mol in ngsp %",
    ],
    templates=[
        "[convert] {analyte} {value} {unit} (to|in|into) [mmol/l|mg/dl|umol/l|si units]",
        "[what is] [a|an] {analyte} [of] {value} {unit} in [mmol/l|mg/dl|umol/l]",
        "[convert] {analyte} {value} (to|in|into) (mmol/mol|percent|ifcc|ngsp)",
    ],
    render=Render(kind="headline", headline="converted", headline_format="number"),
)
def convert_lab(
    value: float = Slot("The lab value to convert", kind="number", ge=0, le=100_000,
                        question="What is the lab value?"),
    analyte: Analyte = Slot("The analyte: glucose, cholesterol, triglycerides, creatinine, urea, bun "
                            "(blood urea nitrogen) or hba1c", kind="choice", question="Which analyte?"),
    unit: str = Slot("The unit the value is given in: mg/dL, mmol/L or umol/L (HbA1c: % or mmol/mol)",
                     kind="lab_unit", question="In which unit is the value (mg/dL, mmol/L, umol/L, %, mmol/mol)?"),
) -> LabConversion:
    """Convert a lab value between conventional (mg/dL) and SI (mmol/L, µmol/L) units; HbA1c between % (NGSP)
    and mmol/mol (IFCC)."""
    given = normalise_unit(unit)
    if analyte == "hba1c":
        return _hba1c(value, given)
    conventional, si, factor, si_digits, conv_digits, source = ANALYTES[analyte]
    if given == conventional:
        exact, target, digits, op = value * factor, si, si_digits, f"x {factor:.5g}"
    elif given == si:
        exact, target, digits, op = value / factor, conventional, conv_digits, f"/ {factor:.5g}"
    else:
        raise ParameterError(
            "unit", f"{analyte} is reported in {conventional} or {si}, not {given}"
        )
    return LabConversion(
        converted=round(exact, digits),
        unit=target,
        from_value=value,
        from_unit=given,
        basis=f"{analyte}: {value:g} {given} {op} = {exact:.4g} {target} ({conventional} -> {si}: x {factor:.5g}; "
        f"{source}). Rounded to {digits} decimal place(s).",
    )


def _hba1c(value: float, given: str) -> LabConversion:
    if given == "%":
        if not 2.5 <= value <= 25:
            raise ParameterError("value", f"an HbA1c of {value:g}% is outside what assays report (about 3-20%)")
        exact, target, digits = (value - HBA1C_INTERCEPT) / HBA1C_SLOPE, "mmol/mol", 0  # IFCC: whole mmol/mol
        how = f"IFCC = (NGSP - {HBA1C_INTERCEPT}) / {HBA1C_SLOPE} = ({value:g} - {HBA1C_INTERCEPT}) / {HBA1C_SLOPE}"
    elif given == "mmol/mol":
        if not 4 <= value <= 250:
            raise ParameterError("value", f"an HbA1c of {value:g} mmol/mol is outside what assays report (about 9-195)")
        exact, target, digits = HBA1C_SLOPE * value + HBA1C_INTERCEPT, "%", 1
        how = f"NGSP = {HBA1C_SLOPE} x IFCC + {HBA1C_INTERCEPT} = {HBA1C_SLOPE} x {value:g} + {HBA1C_INTERCEPT}"
    else:
        raise ParameterError("unit", f"hba1c is reported in % (NGSP) or mmol/mol (IFCC), not {given}")
    return LabConversion(
        converted=float(round(exact, digits)),
        unit=target,
        from_value=value,
        from_unit=given,
        basis=f"hba1c: {how} = {exact:.2f} {target} (NGSP-IFCC master equation, Hoelzel W et al., Clin Chem "
        "2004;50:166-74; ngsp.org: 7% = 53 mmol/mol, 6.5% = 48 mmol/mol). Reported as IFCC reports it: "
        + ("whole mmol/mol." if digits == 0 else "% to 1 decimal place."),
    )
