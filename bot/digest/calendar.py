"""When digests are due: a team's digest time on its working days, in its own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.directory import TeamContact
from bot.working_time import is_working_day

MAX_DAYS_SCANNED = 800  # a schedule with no working day at all has no digest; stop looking


def digest_at(contact: TeamContact, day: date) -> datetime | None:
    """The digest time on local date `day` (aware, UTC), or None when `day` is not a working day."""
    if not is_working_day(day, contact.schedule):
        return None
    return datetime.combine(day, contact.digest_time, tzinfo=contact.schedule.zone).astimezone(UTC)


def next_digest(contact: TeamContact, after: datetime) -> datetime | None:
    """The first digest time strictly after `after` (None when the schedule has no working day)."""
    day = after.astimezone(contact.schedule.zone).date()
    for _ in range(MAX_DAYS_SCANNED):
        due = digest_at(contact, day)
        if due is not None and due > after:
            return due
        day += timedelta(days=1)
    return None


def previous_digest(contact: TeamContact, before: datetime) -> datetime | None:
    """The last digest time strictly before `before` (where "since the last digest" starts by default)."""
    day = before.astimezone(contact.schedule.zone).date()
    for _ in range(MAX_DAYS_SCANNED):
        due = digest_at(contact, day)
        if due is not None and due < before:
            return due
        day -= timedelta(days=1)
    return None


def due_run_date(contact: TeamContact, now: datetime) -> date | None:
    """The local date whose digest is due at `now`: today's, once its time has passed and while it is
    still that working day in the team's zone (a digest missed while down is not sent a day late)."""
    today = now.astimezone(contact.schedule.zone).date()
    due = digest_at(contact, today)
    return today if due is not None and now >= due else None


def local_day_end(contact: TeamContact, day: date) -> datetime:
    """Midnight after `day` in the team's zone, as UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=contact.schedule.zone).astimezone(UTC)
