"""When a standup happens: ask, reminder and report times on a team's working days, in its zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.standup.config import StandupSettings
from bot.working_time import is_working_day


@dataclass(frozen=True)
class StandupTimes:
    """One standup's moments (aware, UTC): ask everyone, remind once, report (the digest time)."""

    team: str
    run_date: date
    ask_at: datetime
    remind_at: datetime
    report_at: datetime


def is_standup_day(settings: StandupSettings, day: date) -> bool:
    return settings.enabled and is_working_day(day, settings.schedule)


def local_date(settings: StandupSettings, now: datetime) -> date:
    return now.astimezone(settings.schedule.zone).date()


def standup_times(settings: StandupSettings, day: date) -> StandupTimes:
    """The times of `day`'s standup, whether or not `day` is a working day (check is_standup_day)."""
    zone = settings.schedule.zone
    ask_at = datetime.combine(day, settings.ask_time, tzinfo=zone).astimezone(UTC)
    report_at = datetime.combine(day, settings.report_time, tzinfo=zone).astimezone(UTC)
    # The reminder never comes before the question itself.
    remind_at = max(report_at - settings.remind_before, ask_at)
    return StandupTimes(settings.team, day, ask_at, remind_at, report_at)
