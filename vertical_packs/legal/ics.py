"""A court deadline as an RFC 5545 calendar event (icalendar), so it can be imported into any calendar.

The event is an all-day VEVENT on the due date (DTSTART;VALUE=DATE, DTEND the next day, as RFC 5545 3.6.1
has it for all-day events), marked TRANSP:TRANSPARENT so it does not block the day, with a display alarm
one day before. The description carries the rule and the disclaimer: an event copied into a shared
calendar still says how the date was reached and that it must be checked.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

PRODID = "-//Intent Terminal//legal.deadline//EN"


def write_deadline_event(deadline, ctx, disclaimers: list[str]) -> Path:
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{uuid.uuid4()}@intent-terminal")
    now = ctx.now() if ctx is not None else datetime.now()
    event.add("dtstamp", (now if now.tzinfo else now.astimezone()).astimezone(timezone.utc))
    event.add("dtstart", deadline.due_date)
    event.add("dtend", deadline.due_date + timedelta(days=1))
    direction = "after" if deadline.days > 0 else "before"
    event.add("summary", f"Deadline: {abs(deadline.days)} {deadline.day_type} days {direction} "
                         f"{deadline.start_date.isoformat()}")
    event.add("description", "\n\n".join([f"Due {deadline.due_date:%A %d %B %Y} ({deadline.jurisdiction}).",
                                          deadline.rule, deadline.basis or "", *disclaimers]).strip())
    event.add("categories", ["Deadline"])
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Deadline tomorrow: {deadline.due_date.isoformat()}")
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    cal.add_component(event)
    path = ctx.output_path(f"deadline-{deadline.due_date.isoformat()}.ics")
    with path.open("xb") as handle:  # never overwrite: output_path picked a name that does not exist yet
        handle.write(cal.to_ical())
    return path
