"""Loan actions on numpy-financial (monthly payments at the end of each period, its default)."""
from __future__ import annotations

from intents.sdk import Render, Result, Slot
from vertical_packs.finance.manifest import pack

PRINCIPAL = Slot("Loan amount, in the currency's units", kind="money", gt=0, le=1e12, question="How much is the loan?")
RATE = Slot("Annual interest rate in percent", kind="percent", ge=0, le=100, question="At what annual interest rate (%)?")
YEARS = Slot("Term of the loan in years", kind="years", gt=0, le=100, question="Over how many years?")


class LoanPayment(Result):
    monthly_payment: float
    total_interest: float
    total_paid: float


@pack.action(
    title="Loan payment",
    samples=[
        "monthly payment on a 300k loan at 6.5% over 30 years",
        "what is the payment on a $200,000 mortgage at 7.5% for 15 years",
        "mortgage payment for 450000 at 5 percent 30 year term",
        "how much would i pay each month on a loan of 25000 at 9% over 5 years",
        "calculate loan repayment",
        "monthly installment for a car loan",
    ],
    templates=["[monthly] (payment|repayment|installment) [on|for] [a] {principal} (loan|mortgage) at {rate_pct} (over|for) {years}"],
    render=Render(kind="headline", headline="monthly_payment", headline_format="money"),
)
def loan_payment(principal: float = PRINCIPAL, rate_pct: float = RATE, years: float = YEARS) -> LoanPayment:
    """Monthly payment on an amortising loan, with total interest and total paid."""
    import numpy_financial as npf

    months = round(years * 12)
    payment = -float(npf.pmt(rate_pct / 100 / 12, months, principal))
    total = payment * months
    return LoanPayment(
        monthly_payment=round(payment, 2),
        total_interest=round(total - principal, 2),
        total_paid=round(total, 2),
        basis=f"PMT = P*r/(1-(1+r)^-n), r = {rate_pct}%/12 per month, n = {months} monthly payments "
        "(numpy-financial pmt, payments at period end)",
    )
