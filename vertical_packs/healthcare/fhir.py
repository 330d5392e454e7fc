"""Export a healthcare result as a FHIR R4B Observation (validated by fhir.resources).

R4B rather than R5: US EHR APIs speak R4 / US Core, and fhir.resources has no R4 package; R4B's
Observation is the same shape. Each calculator maps to its LOINC code and a UCUM unit; the inputs go into
`component` where LOINC has a code for them, and the basis (formula, inputs, citation) into `note`, so the
receiving system keeps what a clinician needs to review the value.

No subject is set: the terminal does not know the patient, and the caller attaches the export to one.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from intents.errors import ActionFailed, UsageError
from vertical_packs.healthcare.manifest import pack

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"

# action -> (result field, LOINC code, LOINC display, short text, UCUM code, unit label, category)
CALCULATED: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "healthcare.bmi": ("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "BMI", "kg/m2", "kg/m2", "vital-signs"),
    "healthcare.bsa": ("bsa_m2", "8277-6", "Body surface area", "BSA (Mosteller)", "m2", "m2", "exam"),
    "healthcare.egfr": (
        "egfr", "98979-8",
        "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by "
        "Creatinine-based formula (CKD-EPI 2021)",
        "eGFRcr (CKD-EPI 2021)", "mL/min/{1.73_m2}", "mL/min/1.73m2", "laboratory",
    ),
    "healthcare.creatinine_clearance": (
        "crcl_ml_min", "35591-7", "Creatinine renal clearance predicted by Cockcroft-Gault formula",
        "CrCl (Cockcroft-Gault)", "mL/min", "mL/min", "laboratory",
    ),
    "healthcare.qtc": ("qtc_ms", "8636-3", "Q-T interval corrected", "QTc", "ms", "ms", "procedure"),
}

# (analyte, unit of the converted value) -> (LOINC code, display); serum or plasma, as labs report them.
LAB_CODES: dict[tuple[str, str], tuple[str, str]] = {
    ("glucose", "mg/dL"): ("2345-7", "Glucose [Mass/volume] in Serum or Plasma"),
    ("glucose", "mmol/L"): ("14749-6", "Glucose [Moles/volume] in Serum or Plasma"),
    ("cholesterol", "mg/dL"): ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"),
    ("cholesterol", "mmol/L"): ("14647-2", "Cholesterol [Moles/volume] in Serum or Plasma"),
    ("triglycerides", "mg/dL"): ("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma"),
    ("triglycerides", "mmol/L"): ("14927-8", "Triglyceride [Moles/volume] in Serum or Plasma"),
    ("creatinine", "mg/dL"): ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma"),
    ("creatinine", "umol/L"): ("14682-9", "Creatinine [Moles/volume] in Serum or Plasma"),
    ("urea", "mg/dL"): ("3091-6", "Urea [Mass/volume] in Serum or Plasma"),
    ("urea", "mmol/L"): ("22664-7", "Urea [Moles/volume] in Serum or Plasma"),
    ("bun", "mg/dL"): ("3094-0", "Urea nitrogen [Mass/volume] in Serum or Plasma"),
    ("bun", "mmol/L"): ("22664-7", "Urea [Moles/volume] in Serum or Plasma"),
}

# input parameter -> (LOINC code, display, UCUM code)
INPUTS: dict[str, tuple[str, str, str]] = {
    "weight_kg": ("29463-7", "Body weight", "kg"),
    "height_cm": ("8302-2", "Body height", "cm"),
    "creatinine_mg_dl": ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL"),
    "heart_rate_bpm": ("8867-4", "Heart rate", "/min"),
}

QTC_METHODS = {
    "bazett": ("122730", "Bazett QTc Algorithm"),
    "hodges": ("122731", "Hodges QTc Algorithm"),
    "fridericia": ("122732", "Fridericia QTc Algorithm"),
    "framingham": ("122733", "Framingham QTc Algorithm"),
}

REFUSED = {
    "healthcare.icd10_lookup": "an ICD-10-CM look-up returns codes, not a measured or calculated value",
    "healthcare.dose": "a dose is an order, not an observation of the patient (FHIR carries it in a "
    "MedicationRequest's dosageInstruction)",
}


def _concept(code: str, display: str, text: str | None = None, system: str = LOINC) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [{"system": system, "code": code, "display": display}]}
    if text:
        concept["text"] = text
    return concept


def _quantity(value: float, code: str, unit: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": unit or code, "system": UCUM, "code": code}


def _parts(action: str, params: dict[str, Any], result: dict[str, Any]):
    """(code, value quantity, category, method) for one outcome, or UsageError when it has none."""
    if action in CALCULATED:
        field, code, display, text, ucum, unit, category = CALCULATED[action]
        method = None
        if action == "healthcare.qtc":
            formula = str(result.get("formula") or params.get("formula") or "bazett")
            method = _concept(*QTC_METHODS[formula], text=f"{formula.title()} correction", system=DICOM)
        elif action == "healthcare.egfr":
            method = {"text": "CKD-EPI 2021 creatinine equation (race-free), Inker et al. NEJM 2021"}
        elif action == "healthcare.creatinine_clearance":
            method = {"text": "Cockcroft-Gault, actual body weight, Nephron 1976"}
        elif action == "healthcare.bsa":
            method = {"text": "Mosteller formula, NEJM 1987"}
        return _concept(code, display, text), _quantity(_number(result, field, action), ucum, unit), category, method
    if action == "healthcare.convert_lab":
        analyte, unit = str(params.get("analyte", "")), str(result.get("unit", ""))
        coded = LAB_CODES.get((analyte, unit))
        if coded is None:
            raise UsageError(f"no LOINC code for {analyte} in {unit}")
        concept = _concept(*coded, text=f"{analyte} ({unit})")
        method = {"text": f"converted from {result.get('from_value')} {result.get('from_unit')} by unit conversion"}
        return concept, _quantity(_number(result, "converted", action), unit), "laboratory", method
    if action in REFUSED:
        raise UsageError(f"--fhir cannot export {action}: {REFUSED[action]}")
    if not action.startswith("healthcare."):
        raise UsageError(f"--fhir exports healthcare results only; {action} is not a healthcare action")
    raise UsageError(f"--fhir has no Observation mapping for {action}")


def _number(result: dict[str, Any], field: str, action: str) -> float:
    value = result.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UsageError(f"--fhir needs a numeric '{field}' in the result of {action}")
    return value


def _components(params: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, (code, display, ucum) in INPUTS.items():
        value = params.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append({"code": _concept(code, display), "valueQuantity": _quantity(value, ucum)})
    if isinstance(params.get("qt_ms"), (int, float)):
        out.append({"code": {"text": "QT interval (measured)"}, "valueQuantity": _quantity(params["qt_ms"], "ms")})
    return out


@pack.output_format("fhir", description="the result as a validated FHIR R4B Observation (JSON)")
def to_observation(outcome: Any, *, effective: datetime | None = None) -> dict[str, Any]:
    """A validated FHIR R4B Observation (as JSON-ready dict) for a healthcare outcome.

    `outcome` is an `intents.dispatch.Outcome` (or anything with `action`, `params` and `result`).
    Raises UsageError for results that are not a single healthcare quantity."""
    action = str(getattr(outcome, "action", "") or "")
    params = dict(getattr(outcome, "params", None) or {})
    result = dict(getattr(outcome, "result", None) or {})
    code, value, category, method = _parts(action, params, result)
    when = (effective or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    notes = [result[k] for k in ("basis", "disclaimer") if isinstance(result.get(k), str) and result[k]]
    if action == "healthcare.egfr" and result.get("ckd_stage"):
        notes.insert(0, f"KDIGO GFR category {result['ckd_stage']} ({result.get('stage_meaning', '')})")
    data: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "code": code,
        "effectiveDateTime": when,
        "issued": when,
        "valueQuantity": value,
    }
    if method:
        data["method"] = method
    components = _components(params)
    if components:
        data["component"] = components
    if notes:
        data["note"] = [{"text": n} for n in notes]
    return validate(data)


def validate(data: dict[str, Any]) -> dict[str, Any]:
    """Validate with fhir.resources (R4B) and return the resource's canonical JSON form."""
    from fhir.resources.R4B.observation import Observation  # ~0.5 s import: only when exporting
    from pydantic import ValidationError

    try:
        resource = Observation.model_validate(data)
    except ValidationError as exc:
        raise ActionFailed(f"the FHIR Observation did not validate: {exc.errors(include_url=False)[0]['msg']}") from None
    return json.loads(resource.model_dump_json(exclude_none=True))
