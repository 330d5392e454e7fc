"""Real-estate investment figures: a third-party pack built only on intents.sdk."""
from __future__ import annotations

from intents.sdk import Pack, ParameterError, Render, Result, Slot

pack = Pack(
    id="realestate",
    name="Real estate",
    version="1.0.0",
    description="Cap rate, gross rent multiplier and cash-on-cash return for income property.",
    publisher="Example Realty Tools",
    vertical="real-estate",
    sensitive=[],
    disclaimers=["Not investment advice."],
)

PRICE = Slot("Purchase price or value of the property", kind="money", gt=0, question="What is the price?",
             cues=["price", "priced", "building", "property", "house", "home", "value", "worth", "costing"])


class CapRate(Result):
    cap_rate_pct: float


@pack.action(
    title="Cap rate",
    samples=[
        "cap rate for a 1.2 million building with 84k net operating income",
        "what is the capitalization rate if noi is 50000 and the price is 800000",
        "cap rate on a $2,500,000 property with noi of $175,000",
        "capitalisation rate noi 30k value 450k",
        "compute the cap rate",
    ],
    templates=["cap rate [for] {price} [with] {noi} noi"],
    render=Render(kind="headline", headline="cap_rate_pct", headline_format="percent"),
)
def cap_rate(
    noi: float = Slot("Net operating income per year", kind="money", question="What is the yearly NOI?",
                      cues=["noi", "net", "operating", "income"]),
    price: float = PRICE,
) -> CapRate:
    """Capitalization rate: net operating income divided by the property's price."""
    return CapRate(cap_rate_pct=round(noi / price * 100, 2), basis=f"cap rate = NOI / price = {noi:g} / {price:g}")


class RentMultiplier(Result):
    grm: float


@pack.action(
    title="Gross rent multiplier",
    samples=[
        "gross rent multiplier for a 600k house renting for 48k a year",
        "grm price 900000 annual rent 72000",
        "what's the rent multiplier on a $350,000 duplex with $30,000 yearly rent",
        "gross rent multiplier",
    ],
    render=Render(kind="headline", headline="grm"),
)
def rent_multiplier(
    price: float = PRICE,
    annual_rent: float = Slot("Gross rent per year", kind="money", gt=0, question="What is the gross yearly rent?",
                              cues=["rent", "rents", "renting", "rental", "yearly"]),
) -> RentMultiplier:
    """Gross rent multiplier: price divided by gross annual rent."""
    return RentMultiplier(grm=round(price / annual_rent, 2), basis=f"GRM = price / gross annual rent = {price:g} / {annual_rent:g}")


class CashOnCash(Result):
    cash_on_cash_pct: float


@pack.action(
    title="Cash-on-cash return",
    samples=[
        "cash on cash return with 12k yearly cash flow on 150k invested",
        "cash-on-cash for 9000 annual cash flow and 100000 cash invested",
        "what is my cash on cash return",
        "coc return 15k cash flow 200k down",
    ],
    render=Render(kind="headline", headline="cash_on_cash_pct", headline_format="percent"),
)
def cash_on_cash(
    annual_cash_flow: float = Slot("Pre-tax cash flow per year", kind="money", cues=["cash", "flow", "yearly"]),
    cash_invested: float = Slot("Cash invested (down payment and costs)", kind="money",
                                cues=["invested", "investing", "invest", "down", "payment", "costs"]),
) -> CashOnCash:
    """Cash-on-cash return: yearly pre-tax cash flow divided by the cash invested."""
    if cash_invested <= 0:
        raise ParameterError("cash_invested", "must be more than zero")
    pct = annual_cash_flow / cash_invested * 100
    return CashOnCash(cash_on_cash_pct=round(pct, 2), basis="cash-on-cash = annual pre-tax cash flow / cash invested")
