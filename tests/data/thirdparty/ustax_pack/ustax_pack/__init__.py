"""A third-party pack on the public SDK only, written as the README documents: integers over their
whole range, choices with synonyms, money, and cue words the slots declare.

Figures are the IRS's published ones for 2023-2025 (standard mileage rate, standard deduction); the
estimate and capital-gains actions are simplified (ordinary brackets, no credits) and say so."""
from __future__ import annotations

from typing import Literal

from intents.sdk import Pack, ParameterError, Result, Slot

pack = Pack(id="ustax", name="US Tax", version="1.0.0", vertical="tax", publisher="Example Tax Tools",
            description="US federal tax: mileage deduction, standard deduction, 1040-ES quarterly estimates, "
                        "capital gains.", disclaimers=["Not tax advice."], sensitive=["financial"])

Status = Literal["single", "married_joint", "married_separate", "head_of_household"]
STATUS_WORDS = {"married filing jointly": "married_joint", "filing jointly": "married_joint", "jointly": "married_joint",
                "joint": "married_joint", "mfj": "married_joint", "married couple": "married_joint",
                "married filing separately": "married_separate", "filing separately": "married_separate",
                "separately": "married_separate", "mfs": "married_separate", "head of household": "head_of_household",
                "hoh": "head_of_household", "unmarried": "single", "not married": "single"}
YEAR = dict(kind="integer", ge=2023, le=2025, cues=["year", "tax", "for", "in"])
MILEAGE_RATE = {2023: 0.655, 2024: 0.67, 2025: 0.70}
STANDARD = {2023: {"single": 13850, "married_joint": 27700, "married_separate": 13850, "head_of_household": 20800},
            2024: {"single": 14600, "married_joint": 29200, "married_separate": 14600, "head_of_household": 21900},
            2025: {"single": 15000, "married_joint": 30000, "married_separate": 15000, "head_of_household": 22500}}
BRACKETS_2024 = [(0.10, 11600), (0.12, 47150), (0.22, 100525), (0.24, 191950), (0.32, 243725), (0.35, 609350),
                 (0.37, float("inf"))]


def _status(description: str) -> object:
    return Slot(description, default="single", kind="choice", synonyms=STATUS_WORDS)


class Mileage(Result):
    deduction: float


@pack.action(samples=["mileage deduction for 12000 business miles in 2024", "irs mileage deduction 8000 miles",
                      "how much can I deduct for driving 5400 miles for work in 2023",
                      "standard mileage rate deduction for 15,000 miles"])
def mileage_deduction(miles: int = Slot("Business miles driven", kind="integer", unit="mi", ge=1,
                                        cues=["miles", "mile", "driven", "drove", "driving"]),
                      year: int = Slot("Tax year", default=2024, **YEAR)) -> Mileage:
    """Business mileage deduction at the IRS standard mileage rate."""
    rate = MILEAGE_RATE[year]
    return Mileage(deduction=round(miles * rate, 2), basis=f"{miles} mi x ${rate}/mi (IRS {year})")


class Standard(Result):
    deduction: float


@pack.action(samples=["standard deduction for single filers in 2024", "what is the standard deduction married filing jointly",
                      "standard deduction head of household 2025", "2023 standard deduction for married filing separately"])
def standard_deduction(filing_status: Status = _status("Filing status"),
                       year: int = Slot("Tax year", default=2024, **YEAR)) -> Standard:
    """The standard deduction for a filing status and tax year."""
    return Standard(deduction=STANDARD[year][filing_status], basis=f"IRS {year}, {filing_status}")


def _tax(taxable: float) -> float:
    tax, lower = 0.0, 0.0
    for rate, upper in BRACKETS_2024:
        if taxable > lower:
            tax += (min(taxable, upper) - lower) * rate
        lower = upper
    return tax


class Estimate(Result):
    quarterly_payment: float
    annual_tax: float


@pack.action(samples=["quarterly estimated tax on 90000 of self employment income",
                      "1040-ES payment for 120k income married filing jointly",
                      "estimated tax payments if I expect to earn $75,000", "how much are my quarterly taxes on 60k"])
def estimated_payment(income: float = Slot("Expected income for the year", kind="money", gt=0, le=1e9,
                                           cues=["income", "earn", "earning", "make", "making", "on", "of"]),
                      filing_status: Status = _status("Filing status")) -> Estimate:
    """A simplified 1040-ES quarterly estimate: 2024 ordinary brackets after the standard deduction."""
    taxable = max(0.0, income - STANDARD[2024][filing_status])
    annual = round(_tax(taxable), 2)
    return Estimate(quarterly_payment=round(annual / 4, 2), annual_tax=annual,
                    basis="2024 brackets (single table), standard deduction; simplified")


class Gains(Result):
    tax: float


@pack.action(samples=["capital gains tax on a 20000 long term gain", "tax on 5k short term capital gains",
                      "capital gains on 50,000 held more than a year married filing jointly",
                      "how much tax on a $12,000 gain from stock held 6 months"])
def capital_gains(gain: float = Slot("The gain", kind="money", gt=0, le=1e9, cues=["gain", "gains", "profit", "on", "of"]),
                  holding: Literal["short", "long"] = Slot("Short term (a year or less) or long term", default="long",
                                                           kind="choice",
                                                           synonyms={"short term": "short", "short-term": "short",
                                                                     "less than a year": "short", "long term": "long",
                                                                     "long-term": "long", "more than a year": "long",
                                                                     "over a year": "long"}),
                  filing_status: Status = _status("Filing status")) -> Gains:
    """Federal tax on a capital gain: 15 % long term (simplified), ordinary 22 % short term."""
    if gain <= 0:
        raise ParameterError("gain", "give a gain above zero")
    rate = 0.15 if holding == "long" else 0.22
    return Gains(tax=round(gain * rate, 2), basis=f"{holding} term at {rate:.0%} (simplified)")
