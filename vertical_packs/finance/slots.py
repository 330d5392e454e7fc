"""Slot declarations shared by the finance actions (kinds and units are the catalog contract).

Each is a factory so every action gets its own pydantic FieldInfo.
"""
from __future__ import annotations

from typing import Any

from intents.sdk import ParameterError, Slot

MAX_MONEY = 1e12  # above any real loan or balance; catches typos like an extra six zeros
MIN_MONEY = 0.01  # one cent: a smaller amount is a typo, not a loan
MIN_RATE_PCT = 0.0001  # a hundredth of a basis point; a smaller rate than that (1e-320%) is a typo, 0% is not
MAX_YEARS = 100


def principal(description: str = "Loan amount, in the currency's units", **kw: Any) -> Any:
    kw.setdefault("ge", MIN_MONEY)
    kw.setdefault("cues", ["loan", "borrow", "principal", "mortgage", "invest", "deposit", "of", "on", "start", "initial",
                           "lump", "put", "starting", "with", "have"])
    return Slot(description, kind="money", le=MAX_MONEY, question=kw.pop("question", "How much is the loan?"), **kw)


def rate(description: str = "Annual interest rate in percent", **kw: Any) -> Any:
    kw.setdefault("ge", 0)
    kw.setdefault("min_nonzero", MIN_RATE_PCT)
    kw.setdefault("cues", ["rate", "at", "interest", "apr", "discount", "yield", "return"])
    return Slot(description, kind="percent", le=100, question=kw.pop("question", "At what annual interest rate (%)?"), **kw)


def years(description: str = "Term in years", **kw: Any) -> Any:
    return Slot(description, kind="years", gt=0, le=MAX_YEARS, question=kw.pop("question", "Over how many years?"), **kw)


def months_of(years_value: float, param: str = "years") -> int:
    """Whole monthly periods in a term; a term that rounds to no month at all is rejected."""
    months = round(years_value * 12)
    if months < 1:
        raise ParameterError(param, f"a term of {years_value:g} years is less than one monthly period")
    return months
