"""People-ops arithmetic on the public SDK: prorated salary, overtime pay, PTO accrual and the end of a
notice period. The rules are the common defaults (FLSA-style overtime over 40 hours a week, straight-line
accrual); a contract or local law that says otherwise wins."""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

from intents.sdk import ActionContext, Pack, ParameterError, Render, Result, Slot

pack = Pack(
    id="hr",
    name="HR",
    version="1.0.0",
    description="Prorated salary, overtime pay, paid time off accrual and notice period end dates.",
    publisher="Example People Ops",
    vertical="human-resources",
    sensitive=[],
    disclaimers=["Not legal or payroll advice: employment contracts and local law take precedence."],
    negatives=["hire a new engineer", "post a job opening", "fire an employee", "approve my vacation request",
               "run payroll for this month"],
)

SALARY = Slot("Gross annual salary", kind="money", gt=0, le=100_000_000, question="What is the annual salary?",
              cues=["salary", "earning", "earns", "paid", "pay", "annual", "yearly", "a year", "per year"])


class ProratedSalary(Result):
    prorated_pay: float
    days: int
    daily_rate: float


def _weekdays(start: date, end: date) -> int:
    return sum(1 for i in range((end - start).days + 1) if (start + timedelta(days=i)).weekday() < 5)


@pack.action(
    title="Prorated salary",
    samples=[
        "prorated salary for 60000 a year starting March 10 2026",
        "prorate a $85,000 salary from 2026-06-15 to 2026-06-30",
        "partial month pay on 72k annual salary for someone who started on 2026-09-18",
        "how much is a 50k salary for 2026-01-01 to 2026-04-30 using working days",
        "prorated pay",
    ],
    render=Render(kind="headline", headline="prorated_pay"),
)
def prorated_salary(
    annual_salary: float = SALARY,
    start_date: date = Slot("First day paid", kind="date", question="From which day?",
                            cues=["from", "starting", "starts", "started", "start", "joined", "joining", "hired"]),
    end_date: date | None = Slot("Last day paid (default: the end of the start date's month)", default=None,
                                 kind="date", cues=["to", "until", "through", "ending", "ends", "last", "leaving"]),
    method: Literal["calendar", "working"] = Slot(
        "Prorate by calendar days (of the year) or by working days (260 a year)", default="calendar",
        kind="choice", synonyms={"calendar days": "calendar", "working days": "working", "business days": "working",
                                 "weekdays": "working", "workdays": "working"}),
) -> ProratedSalary:
    """Salary for part of a month or year: the annual salary spread over the days actually employed."""
    if end_date is None:
        end_date = start_date.replace(day=calendar.monthrange(start_date.year, start_date.month)[1])
    if end_date < start_date:
        raise ParameterError("end_date", "is before the start date")
    if method == "working":
        days = _weekdays(start_date, end_date)
        daily = annual_salary / 260
        rule = "working days (Mon-Fri) x annual / 260"
    else:
        days = (end_date - start_date).days + 1
        year_days = 366 if calendar.isleap(start_date.year) else 365
        daily = annual_salary / year_days
        rule = f"calendar days x annual / {year_days}"
    return ProratedSalary(prorated_pay=round(daily * days, 2), days=days, daily_rate=round(daily, 2),
                          basis=f"{start_date.isoformat()} to {end_date.isoformat()} inclusive: {days} {rule}")


class OvertimePay(Result):
    total_pay: float
    regular_pay: float
    overtime_pay: float
    overtime_hours: float


@pack.action(
    title="Overtime pay",
    samples=[
        "overtime pay for 50 hours at $22 an hour",
        "weekly pay with overtime 46 hours at 18.50 per hour",
        "how much do I earn working 60 hours at 30 dollars an hour with double time",
        "overtime for 45 hours at $25/hr over 37.5 regular hours",
    ],
    templates=["overtime [pay] [for] {hours_worked} at {hourly_rate} [an hour|per hour|/hr]"],
    render=Render(kind="headline", headline="total_pay"),
)
def overtime_pay(
    hourly_rate: float = Slot("Regular hourly rate", kind="money", gt=0, le=10_000, question="What is the hourly rate?",
                              cues=["rate", "hourly", "an hour", "per hour", "/hr", "at", "wage"]),
    hours_worked: float = Slot("Hours worked in the week", kind="quantity", unit="h", gt=0, le=168,
                               question="How many hours were worked?", cues=["worked", "working", "hours", "logged"]),
    regular_hours: float = Slot("Hours a week paid at the regular rate", default=40, kind="quantity", unit="h",
                                ge=0, le=168, cues=["regular", "standard", "base", "over", "contracted"]),
    overtime_rate: Literal["time_and_a_half", "double_time"] = Slot(
        "Overtime premium", default="time_and_a_half", kind="choice",
        synonyms={"time and a half": "time_and_a_half", "1.5x": "time_and_a_half", "150%": "time_and_a_half",
                  "double time": "double_time", "double": "double_time", "2x": "double_time", "200%": "double_time"}),
) -> OvertimePay:
    """A week's pay with overtime: hours over the regular hours paid at a premium."""
    multiplier = 2.0 if overtime_rate == "double_time" else 1.5
    regular = min(hours_worked, regular_hours)
    extra = max(hours_worked - regular_hours, 0.0)
    regular_pay = regular * hourly_rate
    ot_pay = extra * hourly_rate * multiplier
    return OvertimePay(total_pay=round(regular_pay + ot_pay, 2), regular_pay=round(regular_pay, 2),
                       overtime_pay=round(ot_pay, 2), overtime_hours=round(extra, 2),
                       basis=f"{regular:g} h x {hourly_rate:g} + {extra:g} h x {hourly_rate:g} x {multiplier:g} "
                             f"(hours over {regular_hours:g} a week)")


class PtoAccrual(Result):
    accrued_days: float
    balance_days: float
    months_of_service: float


@pack.action(
    title="PTO accrual",
    samples=[
        "pto accrued with 25 days a year since 2026-02-01",
        "how much vacation have I earned at 20 days per year starting January 5 2026",
        "paid time off accrual for 15 days annual leave from 2025-10-01 as of 2026-03-31",
        "vacation balance 22 days a year since 2026-01-01 with 4 days taken",
    ],
    render=Render(kind="headline", headline="balance_days"),
)
def pto_accrual(
    ctx: ActionContext,
    days_per_year: float = Slot("Paid days off earned per full year", kind="days", gt=0, le=100,
                                question="How many days off a year?",
                                cues=["pto", "vacation", "leave", "holiday", "allowance", "entitlement", "a year",
                                      "per year", "annual"]),
    start_date: date = Slot("Date accrual started (the hire date)", kind="date", question="Since when?",
                            cues=["since", "from", "started", "starting", "start", "hired", "joined"]),
    as_of: date | None = Slot("Date to accrue up to (default: today)", default=None, kind="date",
                              cues=["as of", "on", "by", "until", "through", "at"]),
    days_taken: float = Slot("Days already taken", default=0, kind="days", ge=0, le=365,
                             cues=["taken", "used", "took", "off"]),
) -> PtoAccrual:
    """Paid time off accrued since a start date, straight-line over the year, minus days taken."""
    end = as_of or ctx.now().date()
    if end < start_date:
        raise ParameterError("as_of", "is before the start date")
    elapsed = (end - start_date).days
    accrued = days_per_year * elapsed / 365
    return PtoAccrual(accrued_days=round(accrued, 2), balance_days=round(accrued - days_taken, 2),
                      months_of_service=round(elapsed / (365 / 12), 1),
                      basis=f"{days_per_year:g} days/year x {elapsed} days / 365 ({start_date.isoformat()} to "
                            f"{end.isoformat()}), less {days_taken:g} taken")


class NoticeEnd(Result):
    last_day: date
    weekday: str
    last_working_day: date


@pack.action(
    title="Notice period end",
    samples=[
        "notice period end for notice given 2026-05-04 with 30 days notice",
        "when is my last day if I resign on March 2 2026 with 2 weeks notice",
        "4 weeks notice from 2026-11-16, what's the end date",
        "last day of employment with 90 days notice starting 2026-01-15",
    ],
    render=Render(kind="headline", headline="last_day"),
)
def notice_end(
    notice_date: date = Slot("Date notice is given", kind="date", question="When is notice given?",
                             cues=["given", "give", "resign", "resigned", "resigning", "handed", "from", "on",
                                   "served", "starting"]),
    notice_days: int = Slot("Notice period in calendar days", kind="days", ge=1, le=730,
                            question="How long is the notice period?", cues=["notice", "period"]),
) -> NoticeEnd:
    """Last day of a notice period: the day notice is given plus the period in calendar days."""
    last = notice_date + timedelta(days=notice_days)
    working = last
    while working.weekday() >= 5:  # a weekend end: the last day at work is the Friday before
        working -= timedelta(days=1)
    return NoticeEnd(last_day=last, weekday=last.strftime("%A"), last_working_day=working,
                     basis=f"{notice_date.isoformat()} + {notice_days} calendar days; last working day is the "
                           f"weekday on or before it")
