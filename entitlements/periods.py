"""Usage periods of metered features: the period a moment falls in, and when it resets (UTC)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

CLOCK_SKEW = timedelta(minutes=5)  # tolerated difference between the vendor's clock and this one


def period_of(kind: str | None, now: datetime) -> tuple[str, datetime]:
    """(period key, reset time) for `now`. calendar_month -> "2026-11", resets on the 1st at 00:00 UTC."""
    now = now.astimezone(timezone.utc)
    if kind == "day":
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return f"{start.year:04d}-{start.month:02d}-{start.day:02d}", start + timedelta(days=1)
    # calendar_month is the default
    if now.month == 12:
        resets = datetime(now.year + 1, 1, 1, tzinfo=timezone.utc)
    else:
        resets = datetime(now.year, now.month + 1, 1, tzinfo=timezone.utc)
    return f"{now.year:04d}-{now.month:02d}", resets


def start_of(kind: str | None, resets: datetime) -> datetime:
    """When the period that ends at `resets` began."""
    if kind == "day":
        return resets - timedelta(days=1)
    last = resets - timedelta(days=1)
    return last.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class PeriodCache:
    """period_of for the hot path: recomputed only when `now` leaves the cached period (or goes back)."""

    def __init__(self) -> None:
        self._cached: dict[str | None, tuple[datetime, datetime, str, str]] = {}

    def get(self, kind: str | None, now: datetime) -> tuple[str, datetime, str]:
        hit = self._cached.get(kind)
        if hit is not None and hit[0] <= now < hit[1]:
            return hit[2], hit[1], hit[3]
        key, resets = period_of(kind, now)
        iso = resets.isoformat(timespec="seconds")
        self._cached[kind] = (start_of(kind, resets), resets, key, iso)
        return key, resets, iso
