"""Issue 17 (vertical depth), finance: extra monthly payments and payment timing on finance.loan_payment,
finance.apr and finance.xirr, each against an independent reference:

- extra_monthly: a month-by-month amortisation written out below in plain Python (interest = balance x r,
  payment + extra, the last payment only what is left), not the pack's code; the issue's vector (300k, 6.5%,
  30 years, +200 a month: 277 months, about 103,449 saved).
- timing=begin: the annuity-due identity PMT_begin = PMT_end / (1 + r), and the issue's 1,885.99.
- apr: the definition written out (the payments' present value at the APR equals principal - fees), and the
  issue's 6.189% (200k, 6%, 30 years, 4,000 fees).
- xirr: Microsoft's XIRR documentation example (-10,000 on 2008-01-01, 2,750 on 2008-03-01, 4,250 on
  2008-10-30, 3,250 on 2009-02-15, 2,750 on 2009-04-01 -> 0.373362535), and XNPV at the answer written out
  with actual/365 day counts, which must be zero.
"""
from __future__ import annotations

from datetime import date

import pytest

from intents.errors import BadParameters


def run(session, action: str, **values):
    return session.run_action(action, values).result


def bad(session, action: str, **values) -> BadParameters:
    with pytest.raises(BadParameters) as info:
        session.run_action(action, values)
    return info.value


def hand_payoff(principal, annual_pct, payment):
    r = annual_pct / 1200
    balance, months, interest = principal, 0, 0.0
    while balance > 0.005:
        i = balance * r
        interest += i
        balance = balance + i - min(payment, balance + i)
        months += 1
    return months, interest


def test_extra_monthly_issue_vector_and_hand_schedule(session):
    plain = run(session, "finance.loan_payment", principal=300000, rate_pct=6.5, years=30)
    assert plain["payoff_months"] is None and plain["interest_saved"] is None
    r = run(session, "finance.loan_payment", principal=300000, rate_pct=6.5, years=30, extra_monthly=200)
    assert r["monthly_payment"] == 1896.20  # the scheduled payment is unchanged
    months, interest = hand_payoff(300000, 6.5, 1896.204070478896 + 200)
    assert r["payoff_months"] == months == 277
    assert r["total_interest"] == pytest.approx(interest, abs=0.01)
    assert r["interest_saved"] == pytest.approx(plain["total_interest"] - interest, abs=0.02)
    assert round(r["interest_saved"]) == 103449
    assert "277 months" in r["basis"]


def test_extra_monthly_zero_rate_is_division(session):
    # 120,000 at 0% over 10 years is 1,000 a month; with 500 extra, 120,000 / 1,500 = 80 months, no interest
    r = run(session, "finance.loan_payment", principal=120000, rate_pct=0, years=10, extra_monthly=500)
    assert (r["payoff_months"], r["interest_saved"], r["total_paid"]) == (80, 0.0, 120000.0)


def test_timing_begin_annuity_due(session):
    end = run(session, "finance.loan_payment", principal=300000, rate_pct=6.5, years=30)
    begin = run(session, "finance.loan_payment", principal=300000, rate_pct=6.5, years=30, timing="begin")
    assert begin["monthly_payment"] == 1885.99 and begin["timing"] == "begin"
    assert begin["monthly_payment"] == round(1896.204070478896 / (1 + 0.065 / 12), 2)
    assert end["timing"] == "end"


def test_timing_begin_with_extra_pays_off_no_later(session):
    begin = run(session, "finance.loan_payment", principal=300000, rate_pct=6.5, years=30, timing="begin",
                extra_monthly=200)
    end = run(session, "finance.loan_payment", principal=300000, rate_pct=6.5, years=30, extra_monthly=200)
    assert begin["payoff_months"] <= end["payoff_months"] and begin["interest_saved"] > 0


@pytest.mark.parametrize("values, param", [
    ({"extra_monthly": -50}, "extra_monthly"),
    ({"extra_monthly": 500000}, "extra_monthly"),
    ({"timing": "middle"}, "timing"),
])
def test_loan_payment_new_options_refuse_implausible(session, values, param):
    assert bad(session, "finance.loan_payment", principal=300000, rate_pct=6.5, years=30, **values).extra["param"] == param


def test_apr_issue_vector_and_definition(session):
    r = run(session, "finance.apr", principal=200000, rate_pct=6, years=30, fees=4000)
    assert r["apr_pct"] == 6.189
    assert r["monthly_payment"] == 1199.10

    def present(apr_pct):  # the 360 payments discounted at the APR's monthly rate
        return sum(1199.101050304 / (1 + apr_pct / 1200) ** k for k in range(1, 361))

    # the amount financed lies between the payments' value at 6.1885% and at 6.1895%: the APR rounds to 6.189
    assert present(6.1895) < 196000 < present(6.1885)
    assert r["amount_financed"] == 196000 and r["finance_charge"] == pytest.approx(1199.101050304 * 360 - 196000, abs=0.01)


def test_apr_without_fees_is_the_note_rate(session):
    assert run(session, "finance.apr", principal=150000, rate_pct=5.25, years=15, fees=0)["apr_pct"] == 5.25


@pytest.mark.parametrize("values, param", [
    ({"fees": 200000}, "fees"), ({"fees": -1}, "fees"), ({"years": 0}, "years"), ({"rate_pct": 101}, "rate_pct"),
])
def test_apr_refuses_implausible(session, values, param):
    base = {"principal": 200000, "rate_pct": 6, "years": 30, "fees": 4000} | values
    assert bad(session, "finance.apr", **base).extra["param"] == param


XIRR_FLOWS = [-10000, 2750, 4250, 3250, 2750]
XIRR_DATES = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]


def test_xirr_microsoft_docs_example(session):
    r = run(session, "finance.xirr", cash_flows=XIRR_FLOWS, dates=XIRR_DATES)
    assert r["xirr_pct"] == pytest.approx(37.3362535, abs=1e-4)
    x = r["xirr_pct"] / 100
    d0 = date.fromisoformat(XIRR_DATES[0])
    xnpv = sum(cf / (1 + x) ** ((date.fromisoformat(d) - d0).days / 365) for cf, d in zip(XIRR_FLOWS, XIRR_DATES))
    assert abs(xnpv) < 0.05 and r["days"] == 456


def test_xirr_cli_takes_comma_lists(cli):
    r = cli("do", "finance.xirr", "cash_flows=-10000,2750,4250,3250,2750", "dates=" + ",".join(XIRR_DATES), "--json")
    assert r.code == 0, r.err
    assert round(r.json["result"]["xirr_pct"], 3) == 37.336


@pytest.mark.parametrize("flows, dates, param", [
    ([-10000, 2750], XIRR_DATES[:3], "dates"),
    ([-10000, -2750], XIRR_DATES[:2], "cash_flows"),
    ([-10000, 2750], ["2008-01-01", "not a date"], "dates"),
    ([-10000, 2750], ["2008-01-01", "3008-01-01"], "dates"),
])
def test_xirr_refuses_mismatched_or_one_sided(session, flows, dates, param):
    assert bad(session, "finance.xirr", cash_flows=flows, dates=dates).extra["param"] == param
