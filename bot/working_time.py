"""The working-day calendar: a schedule's working days (holidays skipped) and time counted in its hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays as holidays_lib

from bot.directory import Schedule

MAX_DAYS_SCANNED = 3660  # a schedule with no working day at all would otherwise loop forever


@lru_cache(maxsize=256)
def _country_holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays_lib.country_holidays(country, years=year).keys())
    except NotImplementedError:  # unknown country code: the directory's own list still applies
        return frozenset()


def is_working_day(day: date, schedule: Schedule) -> bool:
    """True when `day` (local date) is one of the schedule's days and not a holiday."""
    if day.weekday() not in schedule.days or day.isoformat() in schedule.holidays:
        return False
    return not (schedule.holiday_country and day in _country_holidays(schedule.holiday_country, day.year))


def _counts_around_the_clock(schedule: Schedule) -> bool:
    # Overnight or empty windows, or no working days, cannot be walked day by day: count 24/7.
    return not schedule.days or schedule.start >= schedule.end


def add_working_time(
    start: datetime, duration: timedelta, schedule: Schedule, *, around_the_clock: bool = False
) -> datetime:
    """`start` plus `duration` counted only inside working hours (or plainly when around the clock)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if around_the_clock or _counts_around_the_clock(schedule):
        return start + duration
    zone = schedule.zone
    remaining = duration
    day = start.astimezone(zone).date()
    cursor = start.astimezone(UTC)
    for _ in range(MAX_DAYS_SCANNED):
        if is_working_day(day, schedule):
            # Window bounds computed via UTC so a DST change inside the window counts real time.
            window_start = datetime.combine(day, schedule.start, tzinfo=zone).astimezone(UTC)
            window_end = datetime.combine(day, schedule.end, tzinfo=zone).astimezone(UTC)
            begin = max(cursor, window_start)
            if begin < window_end:
                available = window_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
        cursor = max(cursor, datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC))
    raise ValueError("no working time found within ten years: check the schedule")
