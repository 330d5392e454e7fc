"""Household date arithmetic on the public SDK: days until a day or since one, what is left of a warranty,
when a subscription renews next and the refund for the unused part of a plan. Calendar days, no holidays;
a month is a calendar month (the 31st of a short month is its last day)."""
from __future__ import annotations

import calendar
from datetime import date
from typing import Literal

from intents.sdk import Pack, ParameterError, Render, Result, Slot

pack = Pack(
    id="renewal",
    name="Renewals",
    version="1.0.0",
    description="Days until a date or since one, warranty time left, subscription renewal dates and prorated refunds.",
    publisher="Example Household Tools",
    vertical="household",
    sensitive=[],
    negatives=["cancel my netflix subscription", "renew my passport", "register my warranty online",
               "what's the return policy at ikea", "remind me before my subscription renews"],
)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


class Days(Result):
    days: int
    weeks: float


@pack.action(
    title="Days until a date",
    samples=[
        "how many days until 2027-03-14",
        "days left before my trip on June 5 2027",
        "countdown to christmas 2026-12-25",
        "how long until the 1st of april 2027",
        "days until my birthday",
    ],
    render=Render(kind="headline", headline="days"),
)
def days_until(
    target_date: date = Slot("The day counted to", kind="date", question="Until which day?",
                             cues=["until", "till", "to", "before", "countdown"]),
) -> Days:
    """Calendar days from today until a date."""
    days = (target_date - date.today()).days
    if days < 0:
        raise ParameterError("target_date", "is in the past; ask for the days since it")
    return Days(days=days, weeks=round(days / 7, 2), basis=f"{target_date.isoformat()} - today, calendar days")


@pack.action(
    title="Days since a date",
    samples=[
        "how many days since 2026-01-10",
        "days since I quit smoking on March 3 2026",
        "how long ago was 2025-07-04 in days",
        "days elapsed since the incident on 2026-05-20",
        "how many days since my last haircut",
    ],
    render=Render(kind="headline", headline="days"),
)
def days_since(
    start_date: date = Slot("The day counted from", kind="date", question="Since which day?", yearless="last",
                            cues=["since", "from", "on", "incident", "ago"]),
) -> Days:
    """Calendar days from a past date until today."""
    days = (date.today() - start_date).days
    if days < 0:
        raise ParameterError("start_date", "is in the future; ask for the days until it")
    return Days(days=days, weeks=round(days / 7, 2), basis=f"today - {start_date.isoformat()}, calendar days")


class Warranty(Result):
    expires: date
    days_left: int
    expired: bool


@pack.action(
    title="Warranty time left",
    samples=[
        "my laptop warranty is 24 months from 2025-08-15, how much is left",
        "bought the fridge on March 2 2026 with a 2 year warranty, when does it expire",
        "warranty expiry for a 12 month guarantee purchased 2026-06-30",
        "is my 36 month warranty from 2024-01-05 still valid",
        "how long is left on my warranty",
    ],
    render=Render(kind="headline", headline="expires"),
)
def warranty_left(
    purchase_date: date = Slot("Day it was bought (the warranty starts)", kind="date", yearless="last",
                               question="When was it bought?",
                               cues=["bought", "purchased", "from", "since", "started", "on", "delivered"]),
    months: int = Slot("Length of the warranty in months", kind="integer", ge=1, le=240,
                       question="How many months of warranty?", cues=["months", "month", "warranty", "guarantee"]),
) -> Warranty:
    """When a warranty of some months from the purchase date expires, and the days left."""
    expires = _add_months(purchase_date, months)
    left = (expires - date.today()).days
    return Warranty(expires=expires, days_left=max(left, 0), expired=left < 0,
                    basis=f"{purchase_date.isoformat()} + {months} calendar months")


class Renewal(Result):
    next_renewal: date
    days_until: int


CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


@pack.action(
    title="Next subscription renewal",
    samples=[
        "when does my yearly subscription renew if I signed up on 2025-09-12",
        "next renewal of a monthly plan started 2026-10-31",
        "quarterly membership from 2026-02-01, when is the next billing date",
        "my annual plan began March 3 2024, next renewal date",
        "when does my subscription renew",
    ],
    render=Render(kind="headline", headline="next_renewal"),
)
def next_renewal(
    start_date: date = Slot("Day the subscription started", kind="date", yearless="last",
                            question="When did it start?",
                            cues=["started", "signed", "began", "joined", "from", "since", "subscribed"]),
    cycle: Literal["monthly", "quarterly", "yearly"] = Slot(
        "Billing cycle", default="monthly", kind="choice",
        synonyms={"annual": "yearly", "annually": "yearly", "year": "yearly", "every year": "yearly",
                  "month": "monthly", "every month": "monthly", "quarter": "quarterly", "every 3 months": "quarterly"}),
) -> Renewal:
    """The next day a subscription renews: the start date plus whole billing cycles, after today."""
    step = CYCLE_MONTHS[cycle]
    today = date.today()
    n, got = 0, start_date
    while got <= today:
        n += 1
        got = _add_months(start_date, n * step)
    return Renewal(next_renewal=got, days_until=(got - today).days,
                   basis=f"{start_date.isoformat()} + {n} x {step} month(s), the first after today")


class Refund(Result):
    refund: float
    share_unused: float


@pack.action(
    title="Prorated refund",
    samples=[
        "prorated refund on a 120 dollar yearly plan with 0.25 of it used",
        "refund for the unused part of a $90 plan, half of it used",
        "I paid 240 for a year and used 3 months, what refund",
        "pro rata refund of 60 euros with 40 percent used",
        "how much refund do I get",
    ],
    render=Render(kind="headline", headline="refund"),
)
def prorated_refund(
    price: float = Slot("Price paid for the whole term", kind="money", gt=0, le=1_000_000, question="What did you pay?",
                        cues=["paid", "price", "cost", "plan", "for"]),
    share_used: float = Slot("Share of the term already used (0 to 1)", kind="number", ge=0, le=1,
                             question="How much of the term is used (a share, like 1/4)?",
                             cues=["used", "through", "share"]),
) -> Refund:
    """Refund of the unused share of a prepaid plan."""
    unused = 1 - share_used
    return Refund(refund=round(price * unused, 2), share_unused=round(unused, 4),
                  basis=f"{price:g} x (1 - {share_used:g}) unused")
