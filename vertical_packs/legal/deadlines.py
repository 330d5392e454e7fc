"""legal.deadline: count a period under FRCP 6(a), rolling past weekends and legal holidays.

FRCP 6(a)(1): exclude the day of the event, count every day, include the last day; if the last day is a
Saturday, Sunday or legal holiday the period runs to the next day that is none of these. 6(a)(5): that "next
day" is found by counting forward for periods after an event and backward for periods before one.
6(a)(6): legal holidays are the federal statutory ones (observed days included), days declared by the
President or Congress, and, for forward-counted periods only, the holidays of the state where the court sits.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from intents.sdk import ActionContext, ParameterError, Render, Result, Slot
from vertical_packs.legal.jurisdictions import FEDERAL, parse_us_jurisdiction
from vertical_packs.legal.manifest import pack

MAX_DAYS = 3650  # ten years: longer periods are stated in years, not days


class SkippedDay(BaseModel):
    date: date
    why: str  # "Saturday", "Sunday" or the holiday's name


class Deadline(Result):
    due_date: date
    rule: str
    rolled_forward_from: date | None = None  # the raw last day when it was moved (backward periods move back)
    weekday: str
    start_date: date
    days: int
    day_type: str
    jurisdiction: str
    skipped: list[SkippedDay] = []  # the closed days the roll stepped over
    ics_path: str | None = None  # the RFC 5545 event written when calendar=true


@pack.action(
    title="Court deadline",
    samples=[
        "answer due 21 days after service on 3 Mar 2025",
        "when is the response due 14 days from 2025-06-02",
        "deadline 30 days after August 2 2007",
        "21 days before 2007-09-22",
        "file the reply brief 7 days before the hearing on 12 May 2026",
        "count 10 court days from January 15 2026",
        "what date is 60 days after the judgment entered on 2026-03-16",
        "notice of appeal 30 days after entry of judgment on 11/20/2026",
        "opposition due 21 days from December 11 2026",
        "calculate a filing deadline of 28 days after 1 July 2026 in California",
        "5 court days after service on 2026-11-25 under California rules",
        "frcp 6 deadline 14 days after 4 July 2026",
        "when does a 90 day period starting 2026-01-02 end",
        "response due 21 days after service by mail on 2026-02-02",
        "compute a court deadline",
        "legal deadline calculator",
        "answer due 21 days after service on 3 Mar 2025, add it to my calendar",
        "put the deadline 30 days after 2026-04-01 in my calendar",
        "opposition due 14 days from June 2 2026 and create a calendar invite",
        "export the deadline 28 days after 2026-07-01 to an ics file",
    ],
    templates=[
        "[answer|response|reply|opposition|filing|deadline|motion] [is] due {days} [calendar|court] days (after|from|following) [service on|entry of judgment on|the hearing on] {start_date}",
        "{days} [calendar|court] days (after|from|before) {start_date} [in|under] [{jurisdiction}] [law|rules]",
        "(when is|what date is|compute|calculate) [the] [deadline] {days} days (after|from|before) {start_date}",
        "[file|serve] [the] [brief|reply|motion] {days} days before [the hearing on] {start_date}",
        "{days} days (after|from|before) {start_date} [and] (add|put|save) it (to|in) my calendar",
    ],
    render=Render(kind="headline", headline="due_date", headline_format="date"),
)
def deadline(
    start_date: date = Slot("The day of the triggering event (service, entry of judgment, the hearing)", kind="date",
                            question="From what date (the triggering event)?"),
    days: int = Slot("Length of the period in days; negative counts backward from an event (days before it)",
                     kind="days", question="How many days?"),
    day_type: Literal["calendar", "court"] = Slot("calendar (FRCP 6(a)(1)) or court days (weekends and holidays "
                                                  "not counted)", default="calendar", kind="choice"),
    jurisdiction: str = Slot("Whose legal holidays: US-federal, or a state as US-CA", default=FEDERAL,
                             kind="jurisdiction"),
    direction: Literal["after", "before"] = Slot("Whether the period runs after the event or before it (a "
                                                 "filing due N days before a hearing)", default="after",
                                                 kind="choice"),
    mail_service: bool = Slot("Served by mail or another FRCP 6(d) method: 3 days are added", default=False,
                              kind="boolean"),
    calendar: bool = Slot("Also write the due date as an RFC 5545 calendar event (.ics) to add to a calendar",
                          default=False, kind="boolean"),
    ctx: ActionContext = None,
) -> Deadline:
    """The last day of a court period counted under FRCP 6(a), rolled past weekends and legal holidays."""
    if days == 0:
        raise ParameterError("days", "a period of 0 days has no last day to compute; give a positive or negative number")
    if direction == "before":  # "-21 days before" says "before" twice; either way the period runs backward
        days = -abs(days)
    if abs(days) > MAX_DAYS:
        raise ParameterError("days", f"{days} days is implausible for a court period (limit {MAX_DAYS}); state it in years")
    if not 1900 <= start_date.year <= 2150:
        raise ParameterError("start_date", f"{start_date.isoformat()} is outside the years 1900-2150")
    if mail_service and days < 0:
        raise ParameterError("mail_service", "FRCP 6(d) adds 3 days only to periods that run after service")
    code, subdiv = parse_us_jurisdiction(jurisdiction)
    court = _Calendar(subdiv if days > 0 else None)  # 6(a)(6)(C): state holidays only count forward

    step = 1 if days > 0 else -1
    if day_type == "calendar":
        raw = start_date + timedelta(days=days)
        due, skipped = court.roll(raw, step)
        rule = ("FRCP 6(a)(1): exclude the day of the event, count every day including weekends and holidays, "
                f"include the last day ({raw.isoformat()}, a {raw:%A}); ")
        if skipped:
            rule += ("FRCP 6(a)(1)(C): it is a Saturday, Sunday or legal holiday, so the period runs until the "
                     f"{'next' if step > 0 else 'preceding'} day that is not one (FRCP 6(a)(5): counting "
                     f"{'forward' if step > 0 else 'backward'})")
        else:
            rule += "FRCP 6(a)(1)(C): it is not a Saturday, Sunday or legal holiday, so it stands"
        moved_from = raw if skipped else None
    else:
        due, skipped = court.count_court_days(start_date, days)
        raw, moved_from = due, None
        rule = ("Court days: exclude the day of the event and count only days that are not a Saturday, Sunday or "
                "legal holiday (as in Cal. Civ. Proc. Code §12c and pre-2009 FRCP 6(a) for short periods); the "
                "last day counted is therefore open. FRCP 6(a)(1)(C) itself counts calendar days")
    if mail_service:
        after_6a = due
        due, extra = court.roll(due + timedelta(days=3), 1)
        skipped = skipped + extra
        rule += (f"; FRCP 6(d): served by mail, 3 days are added after the period would otherwise expire "
                 f"({after_6a.isoformat()}), and a weekend or holiday on the third day rolls forward again")
        if moved_from is None and extra:
            moved_from = after_6a + timedelta(days=3)

    holidays_used = (f"US federal legal holidays and observed days (FRCP 6(a)(6)(A)) and days the President "
                     f"declared holidays (6(a)(6)(B))"
                     + (f" plus {subdiv} state holidays (6(a)(6)(C))" if court.subdiv else ""))
    note = ("; state holidays are not legal holidays for backward-counted periods (6(a)(6)(C))"
            if subdiv and days < 0 else "")
    result = Deadline(
        due_date=due,
        rule=rule,
        rolled_forward_from=moved_from,
        weekday=f"{due:%A}",
        start_date=start_date,
        days=days,
        day_type=day_type,
        jurisdiction=code,
        skipped=skipped,
        basis=f"{abs(days)} {day_type} days {'after' if days > 0 else 'before'} {start_date.isoformat()}; "
        f"holidays: {holidays_used}{note} (python holidays {court.version}). A deadline set by order for a "
        "specific date is not rolled forward.",
    )
    if calendar:
        from vertical_packs.legal.ics import write_deadline_event

        result.ics_path = str(write_deadline_event(result, ctx or ActionContext(home=Path.cwd()), pack.manifest.disclaimers))
    return result


@lru_cache(maxsize=64)
def _holidays(subdiv: str | None, category: str = "public"):
    """One holidays.US per state and category, kept: it fills in years as dates are looked up (expand=True).

    "public" holds the statutory holidays and their observed days (6(a)(6)(A)); "government" adds the days
    the President closed the executive departments by executive order (6(a)(6)(B)), e.g. Christmas Eve 2024
    and the National Day of Mourning for President Carter, 2025-01-09."""
    import holidays

    return holidays.US(subdiv=subdiv, categories=(category,))


class _Calendar:
    """Which days a court is closed under FRCP 6(a)(6)."""

    def __init__(self, subdiv: str | None) -> None:
        import holidays

        self.subdiv = subdiv
        self.version = holidays.__version__
        self._federal = _holidays(None)
        self._declared = _holidays(None, "government")
        self._state = _holidays(subdiv) if subdiv else None

    def closed(self, day: date) -> str | None:
        """Why `day` is not a filing day, or None when it is one."""
        if day.weekday() == 5:
            return "Saturday"
        if day.weekday() == 6:
            return "Sunday"
        name = self._federal.get(day)
        if name is None:
            declared = self._declared.get(day)
            # a half-day closing is not a day "declared a holiday"
            name = declared if declared and "half-day" not in declared else None
        if name is None and self._state is not None:
            name = self._state.get(day)
        return name

    def roll(self, day: date, step: int) -> tuple[date, list[SkippedDay]]:
        skipped = []
        while (why := self.closed(day)) is not None:
            skipped.append(SkippedDay(date=day, why=why))
            day += timedelta(days=step)
        return day, skipped

    def count_court_days(self, start: date, days: int) -> tuple[date, list[SkippedDay]]:
        step = 1 if days > 0 else -1
        day, counted, skipped = start, 0, []
        while counted < abs(days):
            day += timedelta(days=step)
            why = self.closed(day)
            if why is None:
                counted += 1
            elif why not in ("Saturday", "Sunday"):  # weekends are implied; holidays are worth showing
                skipped.append(SkippedDay(date=day, why=why))
        return day, skipped
