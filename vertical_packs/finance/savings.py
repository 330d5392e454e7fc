"""Savings actions: compound growth with monthly contributions, and the saving needed to reach a goal.

Contributions are made monthly at the end of each month (numpy-financial's default, the catalog's rule).
"""
from __future__ import annotations

from intents.sdk import ParameterError, Render, Result, Slot, figure
from vertical_packs.finance import slots
from vertical_packs.finance.manifest import pack


class CompoundInterest(Result):
    future_value: float
    total_contributions: float
    interest_earned: float


@pack.action(
    title="Compound interest",
    samples=[
        "what will 10k grow to at 5% over 10 years",
        "compound interest on $1,500 at 4.3% compounded quarterly for 6 years",
        "if I invest 100 now and add 100 a month at 5 percent, how much after 10 years",
        "future value of 50000 at 7% for 20 years with 500 monthly contributions",
        "how much will my savings be worth in 30 years at six percent",
        "invest $25,000 at 8% annually compounded for 15 years",
        "grow 1.2 million at 3.5% for 18 months",
        "compound growth of 300k at 6.5% over 25 years adding 1000 per month",
        "what's the future value of my savings",
        "compounding calculator 20k 4% 5 years daily compounding",
        "how much interest will I earn on 5000 at 2.5 percent over 3 years",
        "if I put away $200 every month for 40 years at 7%, starting with 1000, what do I end up with",
        "savings growth with monthly deposits",
    ],
    templates=[
        "(what will|how much will) {principal} (grow to|be worth) at {rate_pct} (over|for|in) {years}",
        "(compound interest|future value|compound growth) [on|of] {principal} at {rate_pct} (over|for) {years} [with {monthly_contribution} (a|per|each) month]",
        "invest {principal} at {rate_pct} for {years} [adding {monthly_contribution} (a|per) month] [compounded {compounds_per_year}]",
    ],
    render=Render(kind="headline", headline="future_value", headline_format="money"),
)
def compound_interest(
    principal: float = slots.principal("Starting balance, in the currency's units", gt=None, ge=0,
                                       question="How much do you start with?"),
    rate_pct: float = slots.rate(),
    years: float = slots.years("How many years it grows"),
    monthly_contribution: float = Slot("Added at the end of every month", default=0.0, kind="money",
                                       ge=0, le=slots.MAX_MONEY),
    compounds_per_year: int = Slot("How often interest compounds per year (1 yearly, 4 quarterly, "
                                   "12 monthly, 365 daily)", default=12, kind="integer", ge=1, le=365),
) -> CompoundInterest:
    """Future value of a starting balance plus monthly contributions, with interest compounded n times a year."""
    import numpy_financial as npf

    if principal == 0 and monthly_contribution == 0:
        raise ParameterError("principal", "give a starting balance or a monthly contribution above zero")
    months = slots.months_of(years)
    r, n = rate_pct / 100, compounds_per_year
    # the balance itself compounds n times a year over the exact term (A = P(1+r/n)^(nt))...
    grown = principal * (1 + r / n) ** (n * years)
    # ...and each monthly contribution earns the equivalent monthly rate of that compounding
    monthly = (1 + r / n) ** (n / 12) - 1
    contributed = float(npf.fv(monthly, months, -monthly_contribution, 0)) if monthly_contribution else 0.0
    future = grown + contributed
    paid_in = principal + monthly_contribution * months
    equivalent = "" if n == 12 else f"; contributions earn the equivalent monthly rate {monthly * 100:.6g}%"
    return CompoundInterest(
        future_value=round(future, 2),
        total_contributions=round(paid_in, 2),
        interest_earned=round(future - paid_in, 2),
        basis=f"FV = P(1+r/n)^(n*t) + C*((1+i)^m-1)/i with P = {figure(principal)}, r = {rate_pct:g}%, "
        f"n = {n} compoundings a year, t = {years:g} years, C = {figure(monthly_contribution)} at the end of each "
        f"of m = {months} months{equivalent}; total contributions include the starting balance",
    )


class SavingsGoal(Result):
    monthly_contribution: float
    total_contributions: float
    interest_earned: float


@pack.action(
    title="Savings goal",
    samples=[
        "how much do I need to save each month to have 50k in 18 years at 6%",
        "monthly savings to reach $1,000,000 in 30 years at 7 percent",
        "save for a 20000 down payment in 3 years at 4.5%",
        "what should I put away per month to reach 1.2 million by retirement in 25 years at 5%",
        "savings goal 10k 18 months 3%",
        "I want $450,000 in 20 years; the account pays six percent, how much monthly?",
        "monthly deposit needed to accumulate 300k over 15 years at 6.5%",
        "how much to set aside each month for college, 120,000 in 18 years at 5.5 percent",
        "reach a savings target",
        "to have 1 million in thirty years at 8% how much should I save monthly",
        "savings plan: 75k goal, 10 years, 4% interest",
        "I already have 10k saved, how much more per month to get to 100k in 10 years at 5%",
        "how much a month to save 5000 in 2 years",
    ],
    templates=[
        "how much (do I need|should I) (save|put away|set aside) (each|per|a) month to (have|reach|get) {target} (in|over) {years} at {rate_pct}",
        "(savings goal|savings target) {target} [in|over] {years} [at] {rate_pct}",
        "monthly (savings|deposit|contribution) (needed|required) to (reach|accumulate) {target} (in|over) {years} at {rate_pct}",
    ],
    render=Render(kind="headline", headline="monthly_contribution", headline_format="money"),
)
def savings_goal(
    target: float = Slot("The amount to have at the end, in the currency's units", kind="money", gt=0,
                         le=slots.MAX_MONEY, question="How much do you want to have?"),
    rate_pct: float = slots.rate("Annual interest rate the savings earn, in percent"),
    years: float = slots.years("How many years until you need it", question="In how many years?"),
    current_savings: float = Slot("What is already saved towards it", default=0.0, kind="money", ge=0,
                                  le=slots.MAX_MONEY),
) -> SavingsGoal:
    """Monthly contribution needed to reach a target, with interest compounded monthly."""
    import numpy_financial as npf

    months = slots.months_of(years)
    r = rate_pct / 100 / 12
    needed = float(npf.pmt(r, months, -current_savings, target))
    needed = max(-needed, 0.0)  # already on track: nothing more to save
    paid_in = current_savings + needed * months
    # with deposits the balance lands exactly on the target; without, the savings alone grow past it
    final = target if needed else float(npf.fv(r, months, 0, -current_savings))
    start = f", starting from {figure(current_savings)} already saved" if current_savings else ""
    return SavingsGoal(
        monthly_contribution=round(needed, 2),
        total_contributions=round(paid_in, 2),
        interest_earned=round(final - paid_in, 2),
        basis=f"PMT = (FV - PV(1+r)^n)*r/((1+r)^n-1) with FV = {figure(target)}, r = {rate_pct:g}%/12, "
        f"n = {months} monthly deposits at the end of each month{start} (numpy-financial pmt)",
    )
