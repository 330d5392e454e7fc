"""Issue 17: the resolver knows the new actions and options in the words professionals use, from the packs'
own samples, templates and slot declarations. Phrasings here are not the packs' samples verbatim."""
from __future__ import annotations

import pytest

CASES = [
    # finance
    ("what's the payment on 300k at 6.5% over 30 years with an extra 200 a month", "finance.loan_payment",
     {"principal": 300000, "rate_pct": 6.5, "years": 30, "extra_monthly": 200}),
    ("mortgage of 450,000 at 5% for 30 years, paying an additional 300 per month", "finance.loan_payment",
     {"principal": 450000, "extra_monthly": 300}),
    ("payment on a 300k loan at 6.5% over 30 years with payments in advance", "finance.loan_payment",
     {"principal": 300000, "timing": "begin"}),
    ("monthly payment on 250k at 6% for 20 years", "finance.loan_payment", {"principal": 250000, "timing": None}),
    ("apr of a 200k loan at 6% over 30 years with 4,000 in fees", "finance.apr",
     {"principal": 200000, "rate_pct": 6, "years": 30, "fees": 4000}),
    ("annual percentage rate, 350k mortgage at 6.25% for 30 years, closing costs of 7000", "finance.apr",
     {"principal": 350000, "fees": 7000}),
    ("XIRR with these dates: -10000 on 2008-01-01, 2750 on 2008-03-01, 4250 on 2008-10-30", "finance.xirr",
     {"cash_flows": [-10000, 2750, 4250], "dates": ["2008-01-01", "2008-03-01", "2008-10-30"]}),
    ("xirr of -1000, 300, 900 dated 2024-01-01, 2024-07-01, 2025-06-30", "finance.xirr",
     {"cash_flows": [-1000, 300, 900], "dates": ["2024-01-01", "2024-07-01", "2025-06-30"]}),
    # legal
    ("response due 21 days after service on 2026-03-02, add it to my calendar", "legal.deadline",
     {"days": 21, "calendar": True}),
    ("30 calendar days after 2026-04-01", "legal.deadline", {"days": 30, "calendar": None, "day_type": "calendar"}),
    ("california state court: 10 days after 2026-03-02", "legal.deadline",
     {"days": 10, "day_type": None, "jurisdiction": "US-CA"}),
    ("10 court days after 2026-03-02", "legal.deadline", {"day_type": "court"}),
    # healthcare
    ("ibw for a 180 cm male who weighs 120 kg", "healthcare.body_weight",
     {"height_cm": 180, "weight_kg": 120, "sex": "male"}),
    ("creatinine clearance using ideal body weight: 70 year old man, 120 kg, 180 cm, creatinine 1.2",
     "healthcare.creatinine_clearance", {"weight_basis": "ideal", "height_cm": 180, "weight_kg": 120, "age": 70}),
    ("cockcroft gault on adjusted body weight, woman 66 years, 105 kg, 160 cm, scr 1.1",
     "healthcare.creatinine_clearance", {"weight_basis": "adjusted", "sex": "female", "height_cm": 160}),
    ("convert an a1c of 7% to mmol/mol", "healthcare.convert_lab", {"analyte": "hba1c", "value": 7, "unit": "%"}),
    ("hba1c 64 mmol/mol in percent", "healthcare.convert_lab", {"analyte": "hba1c", "value": 64, "unit": "mmol/mol"}),
]


@pytest.mark.parametrize("text, action, slots", CASES)
def test_new_actions_and_options_resolve(cli, text, action, slots):
    r = cli("resolve", "--json", text)
    assert r.code == 0, r.err
    got = r.json
    assert got["action"] == action, got
    for name, value in slots.items():
        if value is None:
            assert name not in got["slots"], (name, got["slots"])
        else:
            assert got["slots"].get(name) == value, (name, got["slots"])
    assert not got["missing"], got
