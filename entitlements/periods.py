"""Usage periods of metered features: the period a moment falls in, and when it resets (UTC)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


def period_of(kind: str | None, now: datetime) -> tuple[str, datetime]:
    """(period key, reset time) for `now`. calendar_month -> "2026-11", resets on the 1st at 00:00 UTC."""
    now = now.astimezone(timezone.utc)
    if kind == "day":
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start.strftime("%Y-%m-%d"), start + timedelta(days=1)
    # calendar_month is the default
    if now.month == 12:
        resets = datetime(now.year + 1, 1, 1, tzinfo=timezone.utc)
    else:
        resets = datetime(now.year, now.month + 1, 1, tzinfo=timezone.utc)
    return now.strftime("%Y-%m"), resets
