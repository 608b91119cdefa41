"""SLA clocks: due times counted in a team's working hours and time zone, and who each level notifies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays as holidays_lib

from bot.directory import Directory, EscalationPolicy, Level, Schedule
from bot.escalations.models import Escalation
from bot.knowledge import KnowledgeBase

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


@dataclass(frozen=True)
class SlaClock:
    """Computes due times for one directory (policy + schedule per team)."""

    directory: Directory

    def _due(self, team: str, priority: str, start: datetime, table: str) -> datetime:
        policy = self.directory.policy(team)
        durations = policy.ack if table == "ack" else policy.resolve
        return add_working_time(
            start,
            durations[priority],
            self.directory.contact(team).schedule,
            around_the_clock=priority in policy.around_the_clock,
        )

    def ack_due(self, team: str, priority: str, start: datetime) -> datetime:
        return self._due(team, priority, start, "ack")

    def resolve_due(self, team: str, priority: str, start: datetime) -> datetime:
        return self._due(team, priority, start, "resolve")

    def ack_window(self, team: str, priority: str) -> timedelta:
        return self.directory.policy(team).ack[priority]


def format_duration(value: timedelta) -> str:
    """'30m', '4h', '1h30m': how audit comments name a policy duration."""
    minutes = int(value.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours}h{mins}m"
    return f"{hours}h" if hours else f"{mins}m"


@dataclass(frozen=True)
class NextLevel:
    """Where the sweep moves an overdue escalation: a new level/cycle, or nowhere (chain exhausted)."""

    level: int
    cycle: int
    exhausted: bool


def next_level(level: int, cycle: int, policy: EscalationPolicy) -> NextLevel:
    """One step up the chain; from the top, back to level 0 while repeats are left."""
    top = max(len(policy.chain) - 1, 0)
    if level < top:
        return NextLevel(level + 1, cycle, False)
    if cycle < policy.repeat:
        return NextLevel(0, cycle + 1, False)
    return NextLevel(level, cycle, True)


@dataclass(frozen=True)
class Recipients:
    """Who a chain level reaches: resolved directory person ids and/or the team's channel(s)."""

    level: Level
    team: str
    person_ids: tuple[str, ...]
    slack_channel: str | None = None
    teams_channel: str | None = None


def level_recipients(
    escalation: Escalation, directory: Directory, kb: KnowledgeBase | None = None, level: int | None = None
) -> Recipients:
    """Resolve escalation.level (or `level`) of its team's chain into people and channels."""
    policy = directory.policy(escalation.team)
    chain = policy.chain or (Level(name="team channel", notify="channel"),)
    index = min(escalation.level if level is None else level, len(chain) - 1)
    step = chain[index]
    kind, _, target = step.notify.partition(":")
    contact = directory.contact(escalation.team)
    resolvers: dict[str, Callable[[], Recipients]] = {
        "channel": lambda: Recipients(
            step, escalation.team, (), contact.slack_channel, contact.teams_channel
        ),
        "role": lambda: Recipients(
            step, escalation.team, _role_holders(directory, escalation.team, target, kb)
        ),
        "person": lambda: Recipients(step, escalation.team, (target,) if target in directory.people else ()),
        "team": lambda: Recipients(
            step,
            target,
            directory.contact(target).owners,
            directory.contact(target).slack_channel,
            directory.contact(target).teams_channel,
        ),
    }
    resolver = resolvers.get(kind)
    if resolver is None:
        return Recipients(step, escalation.team, (), contact.slack_channel, contact.teams_channel)
    return resolver()


def _role_holders(directory: Directory, team: str, role: str, kb: KnowledgeBase | None) -> tuple[str, ...]:
    """Who holds `role`: the team's lead for it, else any team's (e.g. head-of-digital), else owners."""
    contact = directory.contact(team)
    if role in contact.leads:
        return (contact.leads[role],)
    for other in directory.teams.values():
        if role in other.leads:
            return (other.leads[role],)
    if kb is not None and role in kb.roles:
        owner_team = kb.roles[role].team
        return directory.contact(owner_team).owners
    return contact.owners
