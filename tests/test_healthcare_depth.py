"""Issue 17 (vertical depth), healthcare: ideal and adjusted body weight, Cockcroft-Gault on ideal or adjusted
weight, HbA1c between % and mmol/mol, and ICD-10-CM search ranked as a clinician means it.

References (each written out so it can be checked by hand):
- Devine BJ, Drug Intell Clin Pharm 1974;8:650-5: IBW = 50 kg (men) / 45.5 kg (women) + 2.3 kg per inch over
  5 ft. 180 cm = 70.866 in -> 50 + 2.3 x 10.866 = 74.99 kg; 165 cm = 64.961 in -> 45.5 + 2.3 x 4.961 = 56.91 kg.
  Adjusted = IBW + 0.4 x (actual - IBW): 74.99 + 0.4 x 45.01 = 93.00 kg (the issue's values).
- Cockcroft-Gault (Nephron 1976;16:31): (140 - 70) x 74.99 / (72 x 1.2) = 60.76 -> 60.8 mL/min on ideal weight,
  (140 - 70) x 93.00 / 86.4 = 75.35 -> 75.3 on adjusted weight (the issue's values).
- NGSP/IFCC master equation (Hoelzel W et al., Clin Chem 2004;50:166-74; the NGSP conversion table at ngsp.org):
  7% = 53 mmol/mol, 6.5% = 48, 5.7% = 39, 9% = 75; 53 mmol/mol = 7.0%.
"""
from __future__ import annotations

import pytest

from intents.errors import BadParameters


@pytest.fixture
def run(unlocked, session):
    def call(action: str, **values):
        return session.run_action(f"healthcare.{action}", values).result

    return call


def bad(session, action, **values) -> BadParameters:
    with pytest.raises(BadParameters) as info:
        session.run_action(f"healthcare.{action}", values)
    return info.value


def devine(height_cm, sex):  # written out independently of the pack
    return (50.0 if sex == "male" else 45.5) + 2.3 * (height_cm / 2.54 - 60)


def test_body_weight_issue_vectors(run):
    r = run("body_weight", weight_kg=120, height_cm=180, sex="male")
    assert (r["ibw_kg"], r["adjusted_kg"]) == (74.99, 93.0)
    assert r["ibw_kg"] == round(devine(180, "male"), 2)
    assert r["recommended_basis"] == "adjusted" and r["percent_of_ibw"] == 160.0
    r = run("body_weight", weight_kg=60, height_cm=165, sex="female")
    assert r["ibw_kg"] == 56.91 == round(devine(165, "female"), 2)
    assert r["recommended_basis"] == "ideal"
    assert "Devine" in r["basis"]


def test_body_weight_below_ibw_uses_actual(run):
    assert run("body_weight", weight_kg=50, height_cm=175, sex="male")["recommended_basis"] == "actual"


@pytest.mark.parametrize("values, param", [
    ({"weight_kg": 70, "height_cm": 1.75, "sex": "male"}, "height_cm"),   # metres typed as cm
    ({"weight_kg": 20, "height_cm": 110, "sex": "female"}, "height_cm"),  # a child's height
    ({"weight_kg": 0, "height_cm": 170, "sex": "female"}, "weight_kg"),
    ({"weight_kg": 70, "height_cm": 400, "sex": "male"}, "height_cm"),
])
def test_body_weight_refuses_implausible(unlocked, session, values, param):
    assert bad(session, "body_weight", **values).extra["param"] == param


def test_creatinine_clearance_weight_basis_issue_vectors(run):
    base = dict(age=70, weight_kg=120, creatinine_mg_dl=1.2, sex="male", height_cm=180)
    actual = run("creatinine_clearance", **base)
    assert actual["crcl_ml_min"] == round(70 * 120 / 86.4, 1) == 97.2
    assert (actual["weight_basis"], actual["weight_used_kg"]) == ("actual", 120.0)
    ideal = run("creatinine_clearance", **base, weight_basis="ideal")
    assert ideal["crcl_ml_min"] == 60.8 == round(70 * devine(180, "male") / 86.4, 1)
    assert (ideal["weight_basis"], ideal["weight_used_kg"]) == ("ideal", 74.99)
    adjusted = run("creatinine_clearance", **base, weight_basis="adjusted")
    ibw = devine(180, "male")
    assert adjusted["crcl_ml_min"] == 75.3 == round(70 * (ibw + 0.4 * (120 - ibw)) / 86.4, 1)
    assert adjusted["weight_used_kg"] == 93.0 and "adjusted body weight" in adjusted["basis"]


def test_creatinine_clearance_female_ideal(run):
    r = run("creatinine_clearance", age=60, weight_kg=90, creatinine_mg_dl=1.0, sex="female", height_cm=165,
            weight_basis="ideal")
    assert r["crcl_ml_min"] == round(80 * devine(165, "female") / 72 * 0.85, 1)


def test_creatinine_clearance_ideal_needs_height(unlocked, session):
    err = bad(session, "creatinine_clearance", age=70, weight_kg=120, creatinine_mg_dl=1.2, sex="male",
              weight_basis="ideal")
    assert err.extra["param"] == "height_cm" and "height" in str(err)
    err = bad(session, "creatinine_clearance", age=70, weight_kg=120, creatinine_mg_dl=1.2, sex="male",
              weight_basis="lean")
    assert err.extra["param"] == "weight_basis"


@pytest.mark.parametrize("value, unit, converted, target", [
    (7, "%", 53.0, "mmol/mol"), (6.5, "%", 48.0, "mmol/mol"), (5.7, "percent", 39.0, "mmol/mol"),
    (9, "NGSP", 75.0, "mmol/mol"), (53, "mmol/mol", 7.0, "%"), (48, "IFCC", 6.5, "%"),
])
def test_hba1c_ngsp_ifcc_table(run, value, unit, converted, target):
    r = run("convert_lab", value=value, analyte="hba1c", unit=unit)
    assert (r["converted"], r["unit"]) == (converted, target)


@pytest.mark.parametrize("values, param", [
    ({"value": 7, "unit": "mg/dL"}, "unit"), ({"value": 70, "unit": "%"}, "value"), ({"value": 1, "unit": "mmol/mol"}, "value"),
])
def test_hba1c_refuses_wrong_units_and_values(unlocked, session, values, param):
    assert bad(session, "convert_lab", analyte="hba1c", **values).extra["param"] == param


@pytest.mark.parametrize("query, first, before", [
    # the issue: J18.9 before P23 (congenital); billable codes before their categories
    ("community acquired pneumonia", "J18.9", ["P23", "J18"]),
    ("pneumonia", "J18.9", ["J18", "P23.9"]),
    ("hypertension", "I10", ["H40.05", "I15"]),
    ("type 2 diabetes", "E11.9", ["E11"]),
    ("asthma", "J45.909", ["J45"]),
    ("heart failure", "I50.9", ["I50"]),
    ("urinary tract infection", "N39.0", ["P39.3"]),
    # a setting the words ask for comes first
    ("newborn pneumonia", "P23.9", ["J18.9"]),
    ("neonatal jaundice", "P59.9", []),
    ("gestational diabetes", "O24.419", ["Z86.32"]),
])
def test_icd10_search_ranks_what_a_clinician_means(run, query, first, before):
    codes = [m["code"] for m in run("icd10_lookup", query=query, limit=40)["matches"]]
    assert codes[0] == first, codes[:5]
    for other in before:
        assert other not in codes or codes.index(first) < codes.index(other)
