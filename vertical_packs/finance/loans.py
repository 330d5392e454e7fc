"""Loan actions on numpy-financial (monthly payments at the end of each period, its default)."""
from __future__ import annotations

import math
from typing import Literal

from typing_extensions import TypedDict  # pydantic needs this one, not typing's, before Python 3.12

from intents.sdk import ActionContext, Chart, ParameterError, Render, Result, Slot
from vertical_packs.finance import slots
from vertical_packs.finance.manifest import pack


class LoanPayment(Result):
    monthly_payment: float  # the scheduled payment, without any extra
    total_interest: float  # what is actually paid in interest (with the extra, when there is one)
    total_paid: float
    timing: str = "end"
    payoff_months: int | None = None  # when extra_monthly > 0: months until the balance is paid off
    interest_saved: float | None = None  # when extra_monthly > 0: interest of the plain schedule minus this one
    extra_monthly: float | None = None


def _payment(principal: float, rate_pct: float, months: int, timing: str = "end") -> float:
    import numpy_financial as npf

    return -float(npf.pmt(rate_pct / 100 / 12, months, principal, when=timing))


def _payoff(principal: float, rate_pct: float, payment: float, timing: str) -> tuple[int, float, float]:
    """(months, interest, total paid) paying `payment` a month until the balance is gone; the last payment
    is only what is left. Payments at the start of a month (timing=begin) come off before interest accrues."""
    r = rate_pct / 100 / 12
    balance, months, interest, paid = principal, 0, 0.0, 0.0
    while balance > 0.005 and months < 12 * 1000:
        if timing == "end":
            accrued = balance * r
            interest += accrued
            balance += accrued
        amount = min(payment, balance)
        balance -= amount
        paid += amount
        months += 1
        if timing == "begin" and balance > 0.005:
            accrued = balance * r
            interest += accrued
            balance += accrued
    return months, interest, paid


@pack.action(
    title="Loan payment",
    samples=[
        "monthly payment on a 300k loan at 6.5% over 30 years",
        "what is the payment on a $200,000 mortgage at 7.5% for 15 years",
        "mortgage payment for 450000 at 5 percent 30 year term",
        "how much would i pay each month on a loan of 25000 at 9% over 5 years",
        "calculate loan repayment",
        "monthly installment for a car loan",
        "payment on $450,000 at six percent for 30 years",
        "I'm borrowing 1.2 million over 25 years at 4.75%, what will my monthly repayments be?",
        "car loan 18k 3 years 7.9% monthly payment",
        "what does a 15 year mortgage of 350,000 at 5.25 percent cost per month",
        "loan payment 40000 8% 18 months",
        "how much is the mortgage payment on 600k at 6 and a half percent for thirty years",
        "what's my monthly payment if I borrow $12,500 for 48 months at 11.5%",
        "student loan of 60k at 5.5% over 10 years, monthly payment?",
        "300k mortgage at 6.5% over 30 years with an extra 200 a month",
        "how much interest do i save paying an additional $500 per month on a 400,000 loan at 7% for 30 years",
        "how soon is a 250k loan at 6% over 25 years repaid if i overpay by 300 a month",
        "monthly payment on 300k at 6.5% for 30 years, payments in advance",
        "loan payment 200000 at 5% over 15 years with payments at the beginning of each month",
        "annuity due payment on a 50k loan at 8% over 5 years",
    ],
    templates=[
        "[monthly] (payment|repayment|repayments|installment) [on|for] [a] {principal} (loan|mortgage) at {rate_pct} (over|for) {years}",
        "[what is the] (monthly payment|mortgage payment|loan payment) [on|for] {principal} [at] {rate_pct} [for|over] {years}",
        "[if I] borrow {principal} (over|for) {years} at {rate_pct} [what (is|are) my] [monthly] (payment|repayments)",
        "{principal} (loan|mortgage) at {rate_pct} (over|for) {years} with an (extra|additional) {extra_monthly} a month",
        "[monthly] payment on {principal} at {rate_pct} (over|for) {years} [with] payments in advance",
    ],
    render=Render(kind="headline", headline="monthly_payment", headline_format="money"),
)
def loan_payment(
    principal: float = slots.principal(),
    rate_pct: float = slots.rate(),
    years: float = slots.years("Term of the loan in years"),
    extra_monthly: float = Slot("Extra paid every month on top of the scheduled amount, to overpay and clear the "
                                "balance sooner", default=0, kind="money", ge=0, le=slots.MAX_MONEY),
    timing: Literal["end", "begin"] = Slot("When each payment is made: end of the month (in arrears, the usual "
                                           "loan) or begin (in advance, an annuity due).", default="end",
                                           kind="choice"),
) -> LoanPayment:
    """Monthly payment on an amortising loan, with total interest and total paid; an extra monthly payment
    gives the months to payoff and the interest saved."""
    months = slots.months_of(years)
    payment = _payment(principal, rate_pct, months, timing)
    total = payment * months
    basis = (f"PMT = P*r/(1-(1+r)^-n){'/(1+r)' if timing == 'begin' else ''}, r = {rate_pct:g}%/12 per month, "
             f"n = {months} monthly payments (numpy-financial pmt, payments at the "
             f"{'start' if timing == 'begin' else 'end'} of each month)")
    if extra_monthly <= 0:
        return LoanPayment(monthly_payment=round(payment, 2), total_interest=round(total - principal, 2),
                           total_paid=round(total, 2), timing=timing, basis=basis)
    if extra_monthly > principal:
        raise ParameterError("extra_monthly", f"an extra {extra_monthly:,.2f} a month is more than the loan "
                                              f"itself ({principal:,.2f})")
    payoff, interest, paid = _payoff(principal, rate_pct, payment + extra_monthly, timing)
    saved = (total - principal) - interest
    return LoanPayment(
        monthly_payment=round(payment, 2),
        total_interest=round(interest, 2),
        total_paid=round(paid, 2),
        timing=timing,
        payoff_months=payoff,
        interest_saved=round(saved, 2),
        extra_monthly=extra_monthly,
        basis=basis + f"; with {extra_monthly:,.2f} extra each month ({payment + extra_monthly:,.2f} in all) the "
        f"balance, month by month (interest = balance x r), is paid off in {payoff} months instead of {months} "
        f"({payoff // 12} years {payoff % 12} month{'' if payoff % 12 == 1 else 's'}), the last payment only what is left; interest "
        f"{interest:,.2f} instead of {total - principal:,.2f}",
    )


class APR(Result):
    apr_pct: float
    monthly_payment: float
    amount_financed: float  # what the borrower actually receives: principal less the fees
    finance_charge: float  # interest plus fees over the whole term


@pack.action(
    title="Annual percentage rate (APR)",
    samples=[
        "apr on a 200k loan at 6% for 30 years with 4000 in fees",
        "what is the apr of a $300,000 mortgage at 6.5% over 30 years with $6,000 closing costs",
        "annual percentage rate for 25000 at 9% over 5 years, origination fee 500",
        "effective rate with fees: 450k at 5.25% for 30 years, 2 points costing 9000",
        "true cost of a 15 year 350,000 mortgage at 5.5% with 7,500 of fees as an apr",
        "calculate the apr",
        "apr with fees of 3,200 on a 180k loan at 6.75% over 20 years",
        "how much do 5000 of closing costs add to the rate on a 400k loan at 7% for 30 years",
        "what's the real interest rate after fees on a 60k car loan at 4.9% for 6 years, fees 900",
        "apr for an 18k auto loan at 7.9% for 3 years with a 300 dollar doc fee",
        "annual percentage rate with points: 500000 at 6.125% over 30 years, 10000 in points",
        "compute apr from the note rate and fees",
    ],
    templates=[
        "(apr|annual percentage rate) [on|for|of] [a] {principal} [loan|mortgage] at {rate_pct} (over|for) {years} "
        "with {fees} [in] [fees|closing costs|points]",
        "(apr|annual percentage rate) with fees of {fees} on [a] {principal} [loan|mortgage] at {rate_pct} (over|for) {years}",
        "(apr|annual percentage rate) [for|on] {principal} at {rate_pct} (over|for) {years} [origination] (fee|fees) {fees}",
    ],
    render=Render(kind="headline", headline="apr_pct", headline_format="percent"),
)
def apr(
    principal: float = slots.principal(),
    rate_pct: float = slots.rate("The loan's note (contract) interest rate, annual, in percent"),
    years: float = slots.years("Term of the loan in years"),
    fees: float = Slot("Up-front fees (any fee, points, closing costs: prepaid finance charges), taken out of "
                       "what the borrower receives", kind="money", ge=0, le=slots.MAX_MONEY,
                       question="How much are the fees (closing costs, points)?"),
) -> APR:
    """The actuarial annual percentage rate of a loan whose fees are paid out of its proceeds."""
    import numpy_financial as npf

    months = slots.months_of(years)
    if fees >= principal:
        raise ParameterError("fees", f"fees of {fees:,.2f} would leave nothing of the {principal:,.2f} loan")
    payment = _payment(principal, rate_pct, months)
    financed = principal - fees
    monthly = float(npf.rate(months, -payment, financed, 0, guess=max(rate_pct, 0.1) / 1200))
    if not math.isfinite(monthly):
        raise ParameterError("fees", "no rate makes these payments repay the amount financed")
    value = monthly * 12 * 100
    return APR(
        apr_pct=round(value, 3),
        monthly_payment=round(payment, 2),
        amount_financed=round(financed, 2),
        finance_charge=round(payment * months - financed, 2),
        basis=f"the payment {payment:,.2f} a month is set by the note rate {rate_pct:g}% on {principal:,.2f} "
        f"over {months} months; the APR is the yearly rate (12 x the monthly rate i, actuarial method) at which "
        f"those {months} payments are worth exactly the amount financed, {principal:,.2f} - {fees:,.2f} fees = "
        f"{financed:,.2f}: sum PMT/(1+i)^k = {financed:,.2f} (numpy-financial rate), as in US Regulation Z, "
        "appendix J. Only the fees given are counted; which fees are finance charges is set by the regulation",
    )


class AmortizationRow(TypedDict):
    """One month of the schedule (a TypedDict: 360 of them validate far faster than 360 models)."""

    month: int
    payment: float
    principal: float
    interest: float
    balance: float


class Amortization(Result):
    monthly_payment: float
    total_interest: float
    rows: list[AmortizationRow]


@pack.action(
    title="Amortization schedule",
    samples=[
        "amortization schedule for a 300k loan at 6.5% over 30 years",
        "show me the amortisation table for $200,000 at 7.5% for 15 years",
        "amortize 250000 at 6 percent over 30 years",
        "break down each payment into principal and interest for a 25k loan at 9% over 5 years",
        "loan schedule month by month 18k 7.9% 3 years",
        "how much of each mortgage payment goes to interest, 450k, 5.25%, 30 years",
        "repayment schedule for 1.2 million at 4.75% over 25 years",
        "give me the full amortization table",
        "principal and interest breakdown by month for $12,500 at 11.5% for 48 months",
        "amortisation of a 2500 loan at 8.24% over 1 year",
        "balance remaining each month on a 350,000 mortgage at six percent for thirty years",
        "schedule of payments, 40000 loan, 8%, 18 months",
        "show the amortization",
    ],
    templates=[
        "(amortization|amortisation|repayment|payment|loan) (schedule|table) [for|on] [a] {principal} [loan|mortgage] at {rate_pct} (over|for) {years}",
        "(amortize|amortise) {principal} at {rate_pct} (over|for) {years}",
        "[show] [the] (amortization|amortisation) [schedule|table]",
    ],
    render=Render(kind="table", headline="monthly_payment", headline_format="money", table="rows", charts=[
        Chart(kind="line", title="balance", table="rows", x="month", y=["balance"]),
        Chart(kind="stacked", title="principal and interest in each payment", table="rows", x="month",
              y=["principal", "interest"]),
    ]),
)
def amortization(principal: float = slots.principal(), rate_pct: float = slots.rate(),
                 years: float = slots.years("Term of the loan in years")) -> Amortization:
    """Month-by-month amortization schedule: payment, principal, interest and remaining balance."""
    months = slots.months_of(years)
    payment, rows, total_interest = _schedule(principal, rate_pct, months)
    # every value is a float or int of our own arithmetic just above; validating 360 rows again would
    # double the cost of a 30-year schedule, so the result is constructed as is
    return Amortization.model_construct(monthly_payment=round(payment, 2), total_interest=round(total_interest, 2),
                                        rows=rows, basis=_schedule_basis(rate_pct, months))


def _schedule(principal: float, rate_pct: float, months: int) -> tuple[float, list[dict], float]:
    """(payment, rows, total interest) of a level-payment loan, rows rounded to cents."""
    import numpy as np

    r = rate_pct / 100 / 12
    payment = _payment(principal, rate_pct, months)
    # closed form of the balance after k payments, vectorised: a 30-year schedule stays well under 1 ms
    k = np.arange(months + 1, dtype=float)
    if r:
        growth = (1 + r) ** k
        balance = principal * growth - payment * (growth - 1) / r
    else:
        balance = principal - payment * k
    balance[-1] = 0.0  # the exact annuity ends at zero; drop the float residue (e.g. -1e-9)
    interest = balance[:-1] * r
    paid = payment - interest
    pay = round(payment, 2)
    rows = [
        {"month": m, "payment": pay, "principal": p, "interest": i, "balance": b}
        for m, p, i, b in zip(range(1, months + 1), np.round(paid, 2).tolist(),
                              np.round(interest, 2).tolist(), np.round(balance[1:], 2).tolist())
    ]
    return payment, rows, float(interest.sum())


def _schedule_basis(rate_pct: float, months: int) -> str:
    return (f"level payment PMT = P*r/(1-(1+r)^-n) with r = {rate_pct:g}%/12, n = {months}; each month "
            "interest = balance*r, principal = PMT - interest (numpy-financial pmt/ipmt/ppmt convention, "
            "payments at period end); cents rounded per row")


class AmortizationExport(Result):
    path: str
    format: str
    row_count: int
    monthly_payment: float
    total_interest: float


@pack.action(
    id="finance.amortization_csv",
    title="Export amortization schedule as CSV",
    samples=[
        "export the amortization schedule for a 300k loan at 6.5% over 30 years to csv",
        "save an amortisation table for $200,000 at 7.5% for 15 years as a spreadsheet",
        "write the repayment schedule of 1.2 million at 4.75% over 25 years to a csv file",
        "csv of the mortgage schedule, 450k, 5.25 percent, 30 years",
        "download the amortization table as csv",
        "export amortization to excel, 18k loan, 7.9%, 3 years",
        "amortization schedule csv for 25000 at 9% over 5 years",
        "put the loan schedule for 40000 at 8% over 18 months in a csv",
        "I need the month by month payment breakdown for 350,000 at six percent for thirty years as a file",
        "export loan amortization",
        "save the schedule of payments on a 12,500 loan at 11.5% for 48 months to disk",
        "create a spreadsheet of principal and interest for 600k at 6 and a half percent over 30 years",
    ],
    templates=[
        "(export|save|write|download) [the] (amortization|amortisation|repayment|loan) (schedule|table) "
        "[for|of] [a] {principal} [loan|mortgage] at {rate_pct} (over|for) {years} (to|as) [a] (csv|spreadsheet) [file]",
        "(amortization|amortisation) (schedule|table) csv [for] {principal} at {rate_pct} (over|for) {years}",
    ],
    risk="writes-files",
    render=Render(kind="document", document="path", headline="path", headline_format="text"),
)
def amortization_csv(ctx: ActionContext, principal: float = slots.principal(), rate_pct: float = slots.rate(),
                     years: float = slots.years("Term of the loan in years")) -> AmortizationExport:
    """Write the month-by-month amortization schedule to a CSV file in the output directory."""
    import csv

    months = slots.months_of(years)
    payment, rows, total_interest = _schedule(principal, rate_pct, months)
    # a new file every time: the name says the terms, output_path adds -2, -3... rather than overwrite
    path = ctx.output_path(f"amortization-{principal:g}-at-{rate_pct:g}pct-{months}m.csv")
    with path.open("x", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["month", "payment", "principal", "interest", "balance"])
        writer.writeheader()
        writer.writerows(rows)
    return AmortizationExport(path=str(path), format="csv", row_count=len(rows),
                              monthly_payment=round(payment, 2), total_interest=round(total_interest, 2),
                              basis=_schedule_basis(rate_pct, months))
