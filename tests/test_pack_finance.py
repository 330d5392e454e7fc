"""The finance pack against published reference vectors.

Sources (each vector below names its own):
- npf docs: the numpy-financial 1.0.0 docstrings (pmt, ipmt, fv, npv, irr examples), reproduced here.
- Excel docs: Microsoft support pages for PMT, IPMT, PPMT, FV, NPV and IRR (their worked examples), and
  Microsoft's "Plan payments and savings with Excel" article (PMT(6%/12, 360, 180000) = 1,079.19).
- Wikipedia, "Compound interest": 1,500 at 4.3% compounded quarterly for 6 years -> 1,938.84.
- Adobe LiveCycle Designer FormCalc reference, NPV function examples.
- ECB euro foreign exchange reference rates: EUR/USD 1.1789 on 1999-01-04 (the first fixing), 1.0956 on
  2024-01-02, 1.0921 on 2024-01-05.
"""
from __future__ import annotations

import pytest

from intents.errors import BadParameters


def run(session, action: str, **values):
    return session.run_action(action, values).result


def bad(session, action: str, **values) -> BadParameters:
    with pytest.raises(BadParameters) as info:
        session.run_action(action, values)
    return info.value


# ---- finance.loan_payment -------------------------------------------------------------------------

def test_loan_payment_cli_npf_docs(cli):
    # npf docs (pmt): 200,000 over 15 years at 7.5% -> -1854.0247200054619
    r = cli("do", "finance.loan_payment", "principal=200000", "rate_pct=7.5", "years=15", "--json")
    assert r.code == 0, r.err
    result = r.json["result"]
    assert result["monthly_payment"] == 1854.02
    assert result["total_paid"] == pytest.approx(1854.0247200054619 * 180, abs=0.01)
    assert result["disclaimer"] == "Not investment, tax or financial advice."
    assert "PMT" in result["basis"]


@pytest.mark.parametrize("principal, rate, years, expected, source", [
    (180000, 6, 30, 1079.19, "Microsoft, Plan payments and savings with Excel: PMT(6%/12,30*12,180000)"),
    (10000, 8, 10 / 12, 1037.03, "Excel PMT docs: PMT(8%/12, 10, 10000)"),
    (300000, 6.5, 30, 1896.20, "issue 4 acceptance vector"),
])
def test_loan_payment_excel_docs(session, principal, rate, years, expected, source):
    assert run(session, "finance.loan_payment", principal=principal, rate_pct=rate,
               years=years)["monthly_payment"] == expected, source


def test_loan_payment_zero_rate_is_straight_division(session):
    result = run(session, "finance.loan_payment", principal=12000, rate_pct=0, years=1)
    assert result["monthly_payment"] == 1000 and result["total_interest"] == 0


@pytest.mark.parametrize("param, values", [
    ("principal", {"principal": -5000, "rate_pct": 6, "years": 30}),
    ("rate_pct", {"principal": 5000, "rate_pct": 150, "years": 30}),
    ("years", {"principal": 5000, "rate_pct": 6, "years": 0}),
    ("years", {"principal": 5000, "rate_pct": 6, "years": 0.01}),  # less than one monthly period
])
def test_loan_payment_rejects_implausible_input(session, param, values):
    assert bad(session, "finance.loan_payment", **values).extra["param"] == param


def test_negative_principal_exits_2_naming_it(cli):
    r = cli("do", "finance.loan_payment", "principal=-300000", "rate_pct=6.5", "years=30", "--json")
    assert r.code == 2
    assert r.json["error"]["param"] == "principal"
    assert "principal" in r.json["error"]["message"]


# ---- finance.amortization -------------------------------------------------------------------------

def test_amortization_cli_npf_ipmt_docs(cli):
    # npf docs (ipmt): 2,500 at 8.24% over 1 year; the printed table's rows 1, 2, 11 and 12,
    # and total interest 112.98
    r = cli("do", "finance.amortization", "principal=2500", "rate_pct=8.24", "years=1", "--json")
    assert r.code == 0, r.err
    result = r.json["result"]
    rows = result["rows"]
    assert len(rows) == 12
    assert rows[0] == {"month": 1, "payment": 217.75, "principal": 200.58, "interest": 17.17, "balance": 2299.42}
    assert (rows[1]["principal"], rows[1]["interest"], rows[1]["balance"]) == (201.96, 15.79, 2097.46)
    assert (rows[10]["principal"], rows[10]["interest"], rows[10]["balance"]) == (214.79, 2.96, 216.26)
    assert (rows[11]["principal"], rows[11]["interest"], rows[11]["balance"]) == (216.26, 1.49, 0.0)
    assert result["total_interest"] == 112.98
    assert result["monthly_payment"] == 217.75


def test_amortization_excel_ipmt_ppmt_docs(session):
    # Excel IPMT docs: 8,000 at 10% over 3 years, interest in month 1 = 66.67
    rows = run(session, "finance.amortization", principal=8000, rate_pct=10, years=3)["rows"]
    assert len(rows) == 36 and rows[0]["interest"] == 66.67
    # Excel PPMT docs: 2,000 at 10% over 2 years, principal in month 1 = 75.62
    rows = run(session, "finance.amortization", principal=2000, rate_pct=10, years=2)["rows"]
    assert rows[0]["principal"] == 75.62


def test_amortization_rows_add_up(session):
    result = run(session, "finance.amortization", principal=300000, rate_pct=6.5, years=30)
    rows = result["rows"]
    assert len(rows) == 360 and rows[-1]["balance"] == 0
    assert sum(r["principal"] for r in rows) == pytest.approx(300000, abs=1.0)
    assert result["monthly_payment"] == 1896.20
    interests = [r["interest"] for r in rows]
    assert interests == sorted(interests, reverse=True)  # interest falls as the balance falls


def test_amortization_renders_as_table(session):
    spec = session.registry.spec("finance.amortization")
    assert spec.render.kind == "table" and spec.render.table == "rows"
    assert "rows" in spec.result_fields and "monthly_payment" in spec.result_fields


def test_amortization_human_output_is_a_table(cli):
    r = cli("do", "finance.amortization", "principal=2500", "rate_pct=8.24", "years=1")
    assert r.code == 0, r.err
    assert "2,299.42" in r.out and "217.75" in r.out and "Not investment, tax or financial advice." in r.out


def test_amortization_csv_writes_new_files_never_overwriting(session, tmp_path):
    import csv

    first = run(session, "finance.amortization_csv", principal=2500, rate_pct=8.24, years=1)
    second = run(session, "finance.amortization_csv", principal=2500, rate_pct=8.24, years=1)
    assert first["path"] != second["path"]
    for result in (first, second):
        path = tmp_path / "out" / result["path"].rsplit("/", 1)[-1]
        assert result["path"] == str(path) and result["row_count"] == 12
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        # npf docs (ipmt) table, row 1
        assert rows[0] == {"month": "1", "payment": "217.75", "principal": "200.58", "interest": "17.17",
                           "balance": "2299.42"}
        assert rows[-1]["balance"] == "0.0"
    assert session.registry.spec("finance.amortization_csv").risk.value == "writes-files"


# ---- finance.compound_interest --------------------------------------------------------------------

def test_compound_interest_cli_npf_fv_docs(cli):
    # npf docs (fv): 100 now plus 100 a month at 5% for 10 years -> 15692.928894335748
    r = cli("do", "finance.compound_interest", "principal=100", "rate_pct=5", "years=10",
            "monthly_contribution=100", "--json")
    assert r.code == 0, r.err
    result = r.json["result"]
    assert result["future_value"] == 15692.93
    assert result["total_contributions"] == 100 + 100 * 120
    assert result["interest_earned"] == pytest.approx(15692.93 - 12100, abs=0.01)


def test_compound_interest_npf_fv_docs_other_rates(session):
    # npf docs (fv), the array example: 6% -> 16569.87435405, 7% -> 17509.44688102
    for rate, expected in ((6, 16569.87), (7, 17509.45)):
        result = run(session, "finance.compound_interest", principal=100, rate_pct=rate, years=10,
                     monthly_contribution=100)
        assert result["future_value"] == expected


def test_compound_interest_wikipedia_quarterly(session):
    # Wikipedia "Compound interest": 1,500 at 4.3% compounded quarterly for 6 years -> 1,938.84
    result = run(session, "finance.compound_interest", principal=1500, rate_pct=4.3, years=6, compounds_per_year=4)
    assert result["future_value"] == 1938.84
    assert result["interest_earned"] == 438.84
    assert "n = 4" in result["basis"]


def test_compound_interest_excel_fv_docs_contributions_only(session):
    # Excel FV docs: FV(12%/12, 12, -1000) -> 12,682.50 (no starting balance)
    result = run(session, "finance.compound_interest", principal=0, rate_pct=12, years=1, monthly_contribution=1000)
    assert result["future_value"] == 12682.50
    assert result["total_contributions"] == 12000


def test_compound_interest_defaults_and_rejections(session):
    # defaults: no contribution, monthly compounding: 10,000 at 6% for 1 year -> 10000*(1.005)^12
    assert run(session, "finance.compound_interest", principal=10000, rate_pct=6, years=1)["future_value"] == 10616.78
    assert bad(session, "finance.compound_interest", principal=0, rate_pct=5, years=10).extra["param"] == "principal"
    assert bad(session, "finance.compound_interest", principal=100, rate_pct=5, years=10,
               compounds_per_year=0).extra["param"] == "compounds_per_year"
    assert bad(session, "finance.compound_interest", principal=100, rate_pct=5, years=10,
               monthly_contribution=-50).extra["param"] == "monthly_contribution"


# ---- finance.savings_goal -------------------------------------------------------------------------

def test_savings_goal_excel_pmt_docs(cli):
    # Excel PMT docs: to have 50,000 in 18 years at 6%, save PMT(6%/12, 18*12, 0, 50000) = 129.08 a month
    r = cli("do", "finance.savings_goal", "target=50000", "rate_pct=6", "years=18", "--json")
    assert r.code == 0, r.err
    assert r.json["result"]["monthly_contribution"] == 129.08


def test_savings_goal_inverts_npf_fv_docs(session):
    # npf docs (fv): 100 already saved plus 100 a month at 5% gives 15692.93 after 10 years, so that target
    # needs exactly 100 a month
    result = run(session, "finance.savings_goal", target=15692.928894335748, rate_pct=5, years=10,
                 current_savings=100)
    assert result["monthly_contribution"] == 100.00
    assert result["total_contributions"] == 12100


def test_savings_goal_zero_rate_and_already_there(session):
    assert run(session, "finance.savings_goal", target=12000, rate_pct=0, years=1)["monthly_contribution"] == 1000
    done = run(session, "finance.savings_goal", target=1000, rate_pct=5, years=10, current_savings=5000)
    assert done["monthly_contribution"] == 0
    assert bad(session, "finance.savings_goal", target=0, rate_pct=5, years=10).extra["param"] == "target"


# ---- finance.npv ----------------------------------------------------------------------------------

def test_npv_cli_npf_docs(cli):
    # npf docs (npv): 8%, [-40000, 5000, 8000, 12000, 30000] -> 3065.22267 (first flow at t=0)
    r = cli("do", "finance.npv", "rate_pct=8", "cash_flows=-40000,5000,8000,12000,30000", "--json")
    assert r.code == 0, r.err
    assert r.json["result"]["npv"] == 3065.22
    assert r.json["params"]["cash_flows"] == [-40000, 5000, 8000, 12000, 30000]


def test_npv_excel_docs_both_conventions(session):
    # Excel NPV docs, example 1: NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44, Excel discounting the
    # first flow too; that is our npv_excel, and our npv is it times 1.1
    result = run(session, "finance.npv", rate_pct=10, cash_flows=[-10000, 3000, 4200, 6800])
    assert result["npv_excel"] == 1188.44
    assert result["npv"] == pytest.approx(1188.44 * 1.1, abs=0.01)
    # Excel NPV docs, example 2: an initial 40,000 now plus NPV(8%, 8000, 9200, 10000, 12000, 14500)
    # = 1,922.06, which is exactly the t=0 convention
    assert run(session, "finance.npv", rate_pct=8, cash_flows=[-40000, 8000, 9200, 10000, 12000, 14500])["npv"] == 1922.06


def test_npv_adobe_formcalc_reference(session):
    # Adobe LiveCycle FormCalc reference, NPV(0.10, 500, 1500, 4000, 10000) = 11529.60863329007 with the first
    # flow a year out: the same flows after a zero at t=0
    result = run(session, "finance.npv", rate_pct=10, cash_flows=[0, 500, 1500, 4000, 10000])
    assert result["npv"] == 11529.61


def test_npv_cli_accepts_shorthand_amounts(cli):
    # the Excel NPV docs' flows written the way people type them: -10k, 3k, 4.2k, $6,800 as (accounting) text
    r = cli("do", "finance.npv", "rate_pct=10", "cash_flows=(10k), 3k, 4.2k, $6800", "--json")
    assert r.code == 0, r.err
    assert r.json["params"]["cash_flows"] == [-10000, 3000, 4200, 6800]
    assert r.json["result"]["npv_excel"] == 1188.44


def test_npv_rejects_empty_and_bad_rate(session):
    err = bad(session, "finance.npv", rate_pct=8, cash_flows=[])
    assert err.extra["param"] == "cash_flows" and "at least one" in str(err)
    assert bad(session, "finance.npv", rate_pct=-100, cash_flows=[1, 2]).extra["param"] == "rate_pct"
    assert bad(session, "finance.npv", rate_pct=8, cash_flows=["abc"]).extra["param"].startswith("cash_flows")


# ---- finance.irr ----------------------------------------------------------------------------------

@pytest.mark.parametrize("flows, expected, source", [
    ([-100, 39, 59, 55, 20], 28.095, "npf docs"),
    ([-100, 0, 0, 74], -9.55, "npf docs"),
    ([-100, 100, 0, 7], 6.206, "npf docs"),
    ([-70000, 12000, 15000, 18000, 21000, 26000], 8.66, "Excel IRR docs (after five years)"),
    ([-70000, 12000, 15000, 18000, 21000], -2.12, "Excel IRR docs (after four years, shown -2.1%)"),
])
def test_irr_reference_vectors(session, flows, expected, source):
    assert run(session, "finance.irr", cash_flows=flows)["irr_pct"] == pytest.approx(expected, abs=0.005), source


def test_irr_cli_and_no_sign_change(cli):
    r = cli("do", "finance.irr", "cash_flows=-100,39,59,55,20", "--json")
    assert r.code == 0, r.err
    assert round(r.json["result"]["irr_pct"], 3) == 28.095
    r = cli("do", "finance.irr", "cash_flows=100,39,59", "--json")
    assert r.code == 2
    assert r.json["error"]["param"] == "cash_flows"
    assert "negative and one positive" in r.json["error"]["message"]


def test_irr_notes_multiple_sign_changes(session):
    # npf docs: [-5, 10.5, 1, -8, 1] -> 0.0886, with three sign changes (more than one IRR may exist)
    result = run(session, "finance.irr", cash_flows=[-5, 10.5, 1, -8, 1])
    assert result["irr_pct"] == pytest.approx(8.86, abs=0.005)
    assert result["sign_changes"] == 3 and "more than one IRR" in result["basis"]
    assert bad(session, "finance.irr", cash_flows=[]).extra["param"] == "cash_flows"


# ---- finance.convert_currency ---------------------------------------------------------------------

def test_convert_currency_cli_ecb_2024(cli):
    # ECB reference rate EUR/USD 1.0956 on 2024-01-02
    r = cli("do", "finance.convert_currency", "amount=100", "from_currency=EUR", "to_currency=usd",
            "date=2024-01-02", "--json")
    assert r.code == 0, r.err
    result = r.json["result"]
    assert (result["converted"], result["rate"], result["rate_date"]) == (109.56, 1.0956, "2024-01-02")
    assert result["converted_text"] == "$109.56"
    assert "ECB reference rates as of 2024-01-02, for information only." in result["basis"]
    assert result["disclaimer"] == "Not investment, tax or financial advice."


def test_convert_currency_first_ecb_fixing_and_inverse(session):
    # ECB: the first euro fixing, 1999-01-04, EUR/USD 1.1789
    result = run(session, "finance.convert_currency", amount=1000, from_currency="EUR", to_currency="USD",
                 date="1999-01-04")
    assert (result["converted"], result["rate"]) == (1178.90, 1.1789)
    back = run(session, "finance.convert_currency", amount=1178.90, from_currency="USD", to_currency="EUR",
               date="1999-01-04")
    assert back["converted"] == 1000.00 and back["rate"] == pytest.approx(1 / 1.1789, rel=1e-5)


def test_convert_currency_weekend_uses_last_fixing_and_says_so(session):
    # 2024-01-06 is a Saturday: the ECB's last fixing before it is Friday 2024-01-05, EUR/USD 1.0921
    result = run(session, "finance.convert_currency", amount=100, from_currency="EUR", to_currency="USD",
                 date="2024-01-06")
    assert result["rate_date"] == "2024-01-05" and result["rate"] == 1.0921
    assert "no fixing on 2024-01-06" in result["basis"]


def test_convert_currency_latest_cross_rate_and_minor_units(session):
    result = run(session, "finance.convert_currency", amount=1000, from_currency="GBP", to_currency="JPY")
    assert result["rate_date"] >= "2026-01-01"  # the bundled history's last fixing
    assert result["converted"] == int(result["converted"])  # yen have no minor unit
    assert "cross rate through EUR" in result["basis"]
    assert result["converted_text"].startswith("¥")


@pytest.mark.parametrize("values, param, words", [
    ({"from_currency": "XYZ", "to_currency": "USD"}, "from_currency", "XYZ"),
    ({"from_currency": "EUR", "to_currency": "dollarz"}, "to_currency", "dollarz"),
    ({"from_currency": "EUR", "to_currency": "USD", "date": "1998-12-31"}, "date", "outside"),
    ({"from_currency": "EUR", "to_currency": "USD", "date": "2099-01-01"}, "date", "outside"),
])
def test_convert_currency_rejections(session, values, param, words):
    err = bad(session, "finance.convert_currency", amount=100, **values)
    assert err.extra["param"] == param and words.lower() in str(err).lower()


def test_convert_currency_normalises_codes_and_names(session):
    out = session.run_action("finance.convert_currency", {"amount": 10, "from_currency": " euro ",
                                                          "to_currency": "usd", "date": "2024-01-02"})
    assert out.params["from_currency"] == "EUR" and out.params["to_currency"] == "USD"
    assert out.result["converted"] == 10.96


def test_unknown_currency_cli_exit_2(cli):
    r = cli("do", "finance.convert_currency", "amount=5", "from_currency=EUR", "to_currency=ABC", "--json")
    assert r.code == 2 and r.json["error"]["param"] == "to_currency"


def test_pack_import_stays_light():
    """Listing and resolving import the pack; numpy, babel and the ECB data wait for the first run."""
    import subprocess
    import sys

    code = ("import sys, vertical_packs.finance; "
            "print(sorted(m for m in ('numpy', 'numpy_financial', 'babel', 'currency_converter') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- the declarations the resolver trains on -------------------------------------------------------

CATALOG = {
    "finance.loan_payment": ({"principal": "money", "rate_pct": "percent", "years": "years"},
                             {"monthly_payment", "total_interest", "total_paid"}),
    "finance.amortization": ({"principal": "money", "rate_pct": "percent", "years": "years"},
                             {"monthly_payment", "rows"}),
    "finance.compound_interest": ({"principal": "money", "rate_pct": "percent", "years": "years",
                                   "monthly_contribution": "money", "compounds_per_year": "integer"},
                                  {"future_value", "total_contributions", "interest_earned"}),
    "finance.savings_goal": ({"target": "money", "rate_pct": "percent", "years": "years"}, {"monthly_contribution"}),
    "finance.npv": ({"rate_pct": "percent", "cash_flows": "number_list"}, {"npv"}),
    "finance.irr": ({"cash_flows": "number_list"}, {"irr_pct"}),
    "finance.convert_currency": ({"amount": "money", "from_currency": "currency", "to_currency": "currency",
                                  "date": "date"}, {"converted", "rate", "rate_date"}),
}


def test_catalog_declarations(session):
    specs = {s.id: s for s in session.registry.actions() if s.pack == "finance"}
    assert set(CATALOG) <= set(specs)
    for action_id, (kinds, fields) in CATALOG.items():
        spec = specs[action_id]
        declared = {s.name: s.kind for s in spec.slots}
        assert {k: declared.get(k) for k in kinds} == kinds, action_id
        assert fields <= set(spec.result_fields), action_id
        assert len(spec.samples) >= 12 and spec.templates, action_id
    optional = {s.name: s.default for s in specs["finance.compound_interest"].slots if not s.required}
    assert optional == {"monthly_contribution": 0, "compounds_per_year": 12}
    assert not specs["finance.convert_currency"].slot("date").required
