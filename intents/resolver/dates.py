"""Dates as people write and say them, to ISO: "March 3 2026", "5 June 2026", "2026-11-20",
"december 11th, 2026", "3/15/2026" (US order), "the third of march", "today", "tomorrow", and the days
named from today: "next friday", "this coming monday", "last tuesday", "2 weeks ago".

A date written without its year ("Feb 14") is this year's here, and marked year-less: the slot filler
moves it to the next or the last such day by what the slot or the request says (`roll_year`).

Our own grammar: dateparser covers more but costs ~1.2 s on its first parse, far over the start-up
budget, and cannot do arithmetic phrases anyway. Runs after spoken numbers became digits, so
"march twenty first" arrives as "march 20 first".
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from intents.resolver.lazyre import lazy

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
ORDINALS["thirtieth"] = 30
_UNIT_ORD = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_ORD_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# day: "3", "3rd", "third", "20 first" (from "twenty first")
_DAY = rf"(?P<day>(?:[12]0|30)[ -](?:{_UNIT_ORD})|\d{{1,2}}(?:st|nd|rd|th)?|{_ORD_WORDS})"
_YEAR = r"(?P<year>\d{4})"

PATTERNS = [
    lazy(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
    lazy(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})\b"),
    lazy(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"),  # "17.09.2026": dotted is day first
    lazy(rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s*{_YEAR})?\b", re.I),
    lazy(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s*{_YEAR})?\b", re.I),
    lazy(rf"\b{_MONTH}\s+{_YEAR}\b", re.I),  # "march 2026" -> the 1st
]
_MONTH_HINT = lazy(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_NUMERIC_DATE = re.compile(r"\d[-/.]\d")  # each numeric pattern holds a digit, a separator, a digit
_RELATIVE_WORDS = ("today", "tomorrow", "yesterday", "now")
RELATIVE = lazy(r"\b(?P<rel>today|tomorrow|yesterday|now)\b", re.I)
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY_NAMES = frozenset(WEEKDAYS)
# a weekday named from today: "next friday", "this coming monday", "coming sat", "last tuesday". A bare
# "friday" is left alone: in "Friday June 5 2026" it only names the date's weekday.
WEEKDAY = lazy(r"\b(?P<which>next|this(?:\s+coming)?|coming|last|past|previous)\s+(?P<wd>"
               + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b\.?", re.I)
# a count of days or weeks before today: "10 days ago", "a week ago". "3 days from now" and "in 2 weeks"
# are the slot filler's: for an action that counts days, "30 days from today" is its count.
COUNTED = lazy(r"\b(?P<n>\d{1,3}|an?)\s+(?P<unit>days?|weeks?)\s+(?P<rel>ago)\b", re.I)
_COUNT_WORDS = ("ago",)
AHEAD, BEHIND = "next", "last"


def roll_year(iso: str, toward: str | None, today: date | None = None) -> str:
    """A year-less date read as this year's, moved to the next such day (`toward` "next", today
    included) or the most recent one ("last", today included); any other `toward` keeps it. 29 February
    goes to the nearest year that has one."""
    if toward not in (AHEAD, BEHIND):
        return iso
    today = today or date.today()
    d = date.fromisoformat(iso)
    step = 1 if toward == AHEAD else -1
    for years in range(0, 9):  # a leap day is at most 8 years away
        try:
            got = d.replace(year=today.year + step * years)
        except ValueError:
            continue
        if (got >= today) if toward == AHEAD else (got <= today):
            return got.isoformat()
    return iso


def after_days(days: int, today: date | None = None) -> str:
    """Today plus `days` (negative: before), ISO."""
    return ((today or date.today()) + timedelta(days=days)).isoformat()


def _day(raw: str) -> int | None:
    raw = raw.lower().replace("-", " ")
    if raw in ORDINALS:
        return ORDINALS[raw]
    m = re.match(r"(\d+)(?:\s+(\w+))?", raw)
    if not m:
        return None
    value = int(m.group(1))
    if m.group(2):
        unit = ORDINALS.get(m.group(2))
        if unit is None:
            value = value  # "3rd" etc. already numeric
        else:
            value += unit
    return value


def find_dates(text: str, today: date | None = None, words: set[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) for every date in `text`, non-overlapping, in order. `words`: the text's
    lowercased [a-z]+ words, when the caller has them (a named month is one of them)."""
    return [d[:3] for d in find_dates_marked(text, today, words)]


def find_dates_marked(text: str, today: date | None = None, words: set[str] | None = None) -> list[tuple[int, int, str, bool]]:
    """find_dates, each with whether it was written without its year (then it is this year's)."""
    found: list[tuple[int, int, str, bool]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    low = text.lower()
    ascii_ = text.isascii()  # below, case-folding beyond ASCII ("ſ" matches "s" under re.I) is left to the patterns
    if words is not None and ascii_:
        # a named month is a whole word: the month patterns end it at a dot, a space, a digit or \b
        named = not words.isdisjoint(MONTHS)
    else:
        named = bool(_MONTH_HINT.search(low))
    numeric = ("-" in text or "/" in text or "." in text) and _NUMERIC_DATE.search(text) is not None
    for i, pattern in enumerate(PATTERNS):
        if (i < 3 and not numeric) or (i >= 3 and not named):
            continue  # cheap guards: most sentences name no month and write no 2026-11-20
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            month_raw = g["month"]
            month = int(month_raw) if month_raw.isdigit() else MONTHS.get(month_raw.lower().rstrip("."))
            day = _day(g["day"]) if g.get("day") else 1
            year_raw = g.get("year")
            if year_raw:
                year = int(year_raw)
                if len(year_raw) == 2:  # "3/15/26"; a four-digit "0001" is the year 1, not 2001
                    year += 2000
            else:
                year = (today or date.today()).year
            if not month or not day:
                continue
            # "may 5" is a date, "may" alone is a verb; a bare "mar 3" without a year is still a date.
            try:
                iso = date(year, month, day).isoformat()
            except ValueError:
                continue
            found.append((m.start(), m.end(), iso, not year_raw and g.get("day") is not None))
            taken.append((m.start(), m.end()))
    if words is not None and ascii_:
        weekday = not words.isdisjoint(_WEEKDAY_NAMES)
    else:
        weekday = any(w in low for w in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    for m in (WEEKDAY.finditer(text) if weekday else ()):
        if free(m.start(), m.end()):
            today = today or date.today()
            wd = WEEKDAYS[m.group("wd").lower()]
            which = m.group("which").lower()
            if which in ("last", "past", "previous"):
                delta = -((today.weekday() - wd) % 7 or 7)  # the most recent one before today
            elif which == "this":
                delta = (wd - today.weekday()) % 7  # this week's, from today on: "this wednesday" on one is today
            else:
                delta = (wd - today.weekday()) % 7 or 7  # "next", "coming": the first one after today
            found.append((m.start(), m.end(), after_days(delta, today), False))
            taken.append((m.start(), m.end()))
    for m in (COUNTED.finditer(text) if any(w in low for w in _COUNT_WORDS) else ()):
        if free(m.start(), m.end()):
            n = m.group("n").lower()
            days = (1 if n in ("a", "an") else int(n)) * (7 if m.group("unit").lower().startswith("week") else 1)
            found.append((m.start(), m.end(), after_days(-days, today), False))  # "ago": COUNTED's only word
            taken.append((m.start(), m.end()))
    relative = ("to" in low or "yesterday" in low) and (not ascii_ or any(w in low for w in _RELATIVE_WORDS))
    for m in (RELATIVE.finditer(text) if relative else ()):
        if not free(m.start(), m.end()):
            continue
        today = today or date.today()
        rel = m.group("rel").lower()
        delta = {"today": 0, "now": 0, "tomorrow": 1, "yesterday": -1}[rel]
        if rel == "now":
            continue  # "now" is too often filler ("calculate now"); only explicit days count
        found.append((m.start(), m.end(), (today + timedelta(days=delta)).isoformat(), False))
        taken.append((m.start(), m.end()))
    found.sort()
    return found
