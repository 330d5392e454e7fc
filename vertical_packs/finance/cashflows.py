"""Discounted cash flow actions: NPV and IRR on numpy-financial, XIRR (dated flows) on pyxirr.

Convention (numpy-financial's): the first cash flow happens now, at t=0, and is not discounted. Excel's
NPV() starts at t=1, so Excel's value is ours divided by (1+rate); the result carries both.
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from intents.sdk import ParameterError, Render, Result, Slot
from vertical_packs.finance.manifest import pack

MAX_FLOWS = 1200  # 100 years of monthly flows
MAX_FLOW = 1e15  # a single cash flow above this is a typo


_AMOUNT = re.compile(r"^(?P<neg>-)?\(?(?P<paren>-)?[$€£¥]?(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<scale>k|m|mm|bn|b)?\)?$", re.I)
_SCALE = {"": 1, "k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}


def _amount(item: Any) -> Any:
    """'-40k', '$5000', '(1,200)', '1.2m' -> float; anything else is left for pydantic to reject."""
    if not isinstance(item, str):
        return item
    text = item.strip().replace(",", "").replace("_", "").replace(" ", "")
    m = _AMOUNT.match(text)
    if not m:
        return item
    value = float(m["num"]) * _SCALE[(m["scale"] or "").lower()]
    negative = bool(m["neg"] or m["paren"]) or (text.startswith("(") and text.endswith(")"))
    return -value if negative else value


def _amounts(value: Any) -> Any:
    return [_amount(v) for v in value] if isinstance(value, (list, tuple)) else value


CashFlows = Annotated[list[Annotated[float, Field(ge=-MAX_FLOW, le=MAX_FLOW)]], BeforeValidator(_amounts)]


# the flows by the words a user names them by ("what if the outlay was 14000" is the first flow)
FLOW_ELEMENTS = {"outlay": 0, "investment": 0, "upfront cost": 0, "up-front cost": 0, "purchase price": 0,
                 "sale": -1, "sale price": -1, "exit": -1, "exit value": -1, "terminal value": -1}


def _flows(description: str) -> object:
    return Slot(description, kind="number_list", max_length=MAX_FLOWS, elements=FLOW_ELEMENTS,
                question="What are the cash flows, first one now (e.g. -1000, 300, 400, 500)?")


def _check_flows(cash_flows: list[float]) -> None:
    if not cash_flows:
        raise ParameterError("cash_flows", "give at least one cash flow, the first one at t=0 (now)")
    if len(cash_flows) > MAX_FLOWS:
        raise ParameterError("cash_flows", f"at most {MAX_FLOWS} cash flows, got {len(cash_flows)}")
    bad = next((v for v in cash_flows if not math.isfinite(v) or abs(v) > MAX_FLOW), None)
    if bad is not None:
        raise ParameterError("cash_flows", f"{bad!r} is not a plausible cash flow")


class NPV(Result):
    npv: float
    npv_excel: float  # the same flows under Excel's NPV() convention (first flow at t=1)
    periods: int


@pack.action(
    title="Net present value",
    samples=[
        "npv at 8% of -40000, 5000, 8000, 12000, 30000",
        "net present value of -10k, 3k, 4.2k, 6.8k at 10 percent",
        "what is the NPV of these cash flows at a 6.5% discount rate: -1.2 million, 300k, 400k, 500k, 600k",
        "discount -$450,000, $100,000, $150,000, $200,000, $250,000 at 7%",
        "present value of cash flows -500 200 200 200 at six percent",
        "npv 12% -100000 25000 35000 45000 55000",
        "calculate net present value",
        "is this project worth it at a 9% hurdle rate: invest 70000 now, then 12000, 15000, 18000, 21000, 26000",
        "NPV with discount rate 5%, flows -2500, 800, 900, 1000",
        "net present value of an investment, 10% rate, cash flows -40,000; 8,000; 9,200; 10,000; 12,000; 14,500",
        "what's the npv",
        "discounted cash flow value at 4.5 percent of -300k then 80k a year for 5 years: -300000, 80000, 80000, 80000, 80000, 80000",
    ],
    templates=[
        "(npv|net present value) [at] {rate_pct} [of] {cash_flows}",
        "(npv|net present value) [of] {cash_flows} at {rate_pct}",
        "discount {cash_flows} at {rate_pct}",
    ],
    render=Render(kind="headline", headline="npv", headline_format="money"),
)
def npv(
    rate_pct: float = Slot("Discount rate per period, in percent", kind="percent", ge=-99, le=100,
                           cues=["rate", "at", "interest", "discount", "yield", "return"],
                           question="At what discount rate (%)?"),
    cash_flows: CashFlows = _flows("Cash flows per period, the first one now (t=0); outflows negative"),
) -> NPV:
    """Net present value of a series of cash flows, the first one at t=0 (numpy-financial convention)."""
    import numpy_financial as npf

    _check_flows(cash_flows)
    r = rate_pct / 100
    value = float(npf.npv(r, cash_flows))
    return NPV(
        npv=round(value, 2),
        npv_excel=round(value / (1 + r), 2),
        periods=len(cash_flows),
        basis=f"NPV = sum CF_t/(1+r)^t for t = 0..{len(cash_flows) - 1}, r = {rate_pct:g}% per period, the "
        "first flow at t=0 undiscounted (numpy-financial npv); Excel's NPV() discounts the first flow too, "
        "giving npv_excel = NPV/(1+r)",
    )


class IRR(Result):
    irr_pct: float
    sign_changes: int


@pack.action(
    title="Internal rate of return",
    samples=[
        "irr of -100, 39, 59, 55, 20",
        "internal rate of return for -70000 12000 15000 18000 21000 26000",
        "what's the IRR if I put in $450,000 now and get back 100k, 150k, 200k, 250k",
        "rate of return on -1.2 million followed by 300k, 400k, 500k, 600k",
        "irr -10k 3k 4.2k 6.8k",
        "calculate the internal rate of return",
        "what yield does this investment give: -5000, 1500, 1500, 1500, 1500",
        "IRR for cash flows -40,000; 5,000; 8,000; 12,000; 30,000",
        "annualised return of paying 25000 and receiving 8000 a year for 4 years: -25000, 8000, 8000, 8000, 8000",
        "what's the irr on these flows",
        "find the break-even discount rate for -300000, 80000, 90000, 100000, 110000",
        "internal rate of return of -2500 800 900 1000",
    ],
    templates=[
        "(irr|internal rate of return|rate of return) [of|for|on] {cash_flows}",
        "what is the (irr|internal rate of return) [of|for] {cash_flows}",
    ],
    render=Render(kind="headline", headline="irr_pct", headline_format="percent"),
)
def irr(cash_flows: CashFlows = _flows("Cash flows per period, the first one now (t=0); "
                                         "needs both outflows (negative) and inflows (positive)")) -> IRR:
    """Internal rate of return per period: the rate at which the cash flows' NPV is zero."""
    import numpy_financial as npf

    _check_flows(cash_flows)
    signs = [v > 0 for v in cash_flows if v != 0]
    changes = sum(1 for a, b in zip(signs, signs[1:]) if a != b)
    if changes == 0:
        raise ParameterError("cash_flows", "an IRR needs at least one negative and one positive cash flow")
    value = float(npf.irr(cash_flows))
    if not math.isfinite(value):
        raise ParameterError("cash_flows", "these cash flows have no internal rate of return above -100%")
    note = "" if changes == 1 else (f"; the flows change sign {changes} times, so more than one IRR may exist "
                                    "and this is the one closest to zero")
    return IRR(
        irr_pct=round(value * 100, 4),
        sign_changes=changes,
        basis=f"IRR solves sum CF_t/(1+irr)^t = 0 for t = 0..{len(cash_flows) - 1}, the first flow at t=0 "
        f"(numpy-financial irr), per period{note}",
    )


class XIRR(Result):
    xirr_pct: float
    days: int  # from the first date to the last
    sign_changes: int


@pack.action(
    title="XIRR (irregular dates)",
    samples=[
        "xirr of -10000, 2750, 4250, 3250, 2750 on 2008-01-01, 2008-03-01, 2008-10-30, 2009-02-15, 2009-04-01",
        "XIRR with these dates: -5000 on 2024-01-15, 1500 on 2024-06-30, 4200 on 2025-03-01",
        "annualised return of cash flows on irregular dates",
        "irr with dates: invested 20000 on 1 March 2023, got 5000 on 1 September 2023 and 18000 on 15 May 2025",
        "money weighted return of -1000 on 2022-01-01 and 1150 on 2023-03-15",
        "calculate xirr",
        "xirr for -25000 2021-02-01, 3000 2021-12-31, 3000 2022-12-31, 26000 2023-06-30",
        "what's the internal rate of return when the flows are on these dates",
        "extended irr of -100k on Jan 5 2024, 40k on Aug 1 2024, 75k on Jul 1 2025",
        "xirr please",
        "dated cash flows irr: -50000 2020-03-01, 10000 2020-09-01, 60000 2022-01-15",
        "excel xirr of my investment flows",
    ],
    templates=[
        "(xirr|extended irr|dated irr) [of|for] {cash_flows} (on|at|dated) {dates}",
        "(xirr|irr) with [these] dates [of|for] {cash_flows} {dates}",
    ],
    render=Render(kind="headline", headline="xirr_pct", headline_format="percent"),
)
def xirr(
    cash_flows: CashFlows = Slot("Cash flows, outflows negative, one per date", kind="number_list",
                                 question="What are the cash flows (e.g. -10000, 2750, 4250)?", max_length=MAX_FLOWS,
                                 elements=FLOW_ELEMENTS),
    dates: list[date] = Slot("The date of each cash flow (ISO YYYY-MM-DD), as many as there are flows",
                             kind="date_list", min_length=2, max_length=MAX_FLOWS,
                             question="On which dates (one per cash flow, YYYY-MM-DD)?"),
) -> XIRR:
    """Annualised internal rate of return of cash flows on irregular dates (Excel's XIRR), via pyxirr."""
    from pyxirr import InvalidPaymentsError, xirr as _xirr

    _check_flows(cash_flows)
    if len(dates) != len(cash_flows):
        raise ParameterError("dates", f"{len(dates)} dates for {len(cash_flows)} cash flows; give one date per flow")
    if not all(1900 <= d.year <= 2200 for d in dates):
        raise ParameterError("dates", "dates must fall between the years 1900 and 2200")
    signs = [v > 0 for v in cash_flows if v != 0]
    changes = sum(1 for a, b in zip(signs, signs[1:]) if a != b)
    if changes == 0:
        raise ParameterError("cash_flows", "an XIRR needs at least one negative and one positive cash flow")
    try:
        value = _xirr(dates, cash_flows)
    except InvalidPaymentsError as exc:
        raise ParameterError("cash_flows", str(exc)) from None
    if value is None or not math.isfinite(value):
        raise ParameterError("cash_flows", "these dated cash flows have no internal rate of return")
    first, last = min(dates), max(dates)
    note = "" if changes == 1 else f"; the flows change sign {changes} times, so more than one rate may solve it"
    return XIRR(
        xirr_pct=round(value * 100, 4),
        days=(last - first).days,
        sign_changes=changes,
        basis=f"XIRR solves sum CF_i/(1+x)^((d_i - d_0)/365) = 0 over {len(dates)} dated flows from "
        f"{first.isoformat()} to {last.isoformat()} (actual days / 365, Excel's XIRR convention; pyxirr "
        f"{_version('pyxirr')}){note}",
    )


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"
