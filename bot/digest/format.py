"""Locale-aware dates, times and durations for digests (Babel), shared by every renderer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date, format_timedelta

from bot import times
from bot.digest.model import DigestItem, LeadershipDigest, TeamLoad, Undelivered
from bot.i18n import t
from bot.languages import babel_locale

SUMMARY_CHARS = 120  # a digest line stays one line; the escalation itself has the full text


def locale_of(language: str) -> str:
    return babel_locale(language)


def day(value: date, language: str) -> str:
    return format_date(value, format="full", locale=locale_of(language))


def moment(value: datetime, language: str, zone: str) -> str:
    return times.local_text(value, language, zone)  # the period line names the zone once


def duration(value: timedelta, language: str) -> str:
    """'3 days', '5 hours', '12 min': the largest unit, as people glance at ages in a standup."""
    seconds = max(value.total_seconds(), 60.0)
    return format_timedelta(
        timedelta(seconds=seconds), threshold=1, format="long", locale=locale_of(language)
    )


def short(text: str, limit: int = SUMMARY_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def item_details(item: DigestItem, language: str, *, resolved: bool = False) -> str:
    """'not acknowledged · created 3 days ago · 2 hours past due · missed at levels 1, 2 · level 3'."""
    parts = [t(language, f"digest-state-{item.state}")] if not resolved else []
    parts.append(t(language, "digest-item-age", age=duration(item.age, language)))
    if item.overdue_by is not None:
        key = "digest-item-resolved-late" if item.state == "resolved" else "digest-item-late"
        parts.append(t(language, key, late=duration(item.overdue_by, language)))
    if item.missed_levels and (item.overdue_by is not None):
        levels = ", ".join(str(level + 1) for level in item.missed_levels)
        parts.append(t(language, "digest-item-missed", levels=levels, count=len(item.missed_levels)))
    if item.level and item.state != "resolved":
        parts.append(t(language, "digest-item-level", level=item.level + 1))
    return " · ".join(parts)


def load_details(load: TeamLoad, language: str) -> str:
    """One leadership row: counts, the oldest open escalation's age and the unrouted questions."""
    parts = [t(language, "digest-load-line", **_counts(load))]
    if load.oldest_age is not None:
        parts.append(t(language, "digest-load-oldest", age=duration(load.oldest_age, language)))
    if load.late:
        parts.append(t(language, "digest-load-late", count=load.late))
    if load.gaps:
        parts.append(t(language, "digest-load-gaps", count=load.gaps))
    return " · ".join(parts)


def totals_line(digest: LeadershipDigest) -> str:
    """The leadership digest's one-line totals (open, acknowledged, overdue, new, resolved)."""
    return t(digest.language, "digest-totals", **_counts(digest.totals))


def _counts(load: TeamLoad) -> dict[str, int]:
    """The five counts a load line (and the totals line) shows."""
    names = ("open", "acknowledged", "overdue", "new", "resolved")
    return {name: int(getattr(load, name)) for name in names}


PLATFORM_NAMES = {"slack": "Slack", "teams": "Microsoft Teams"}
_NOTICE_TO = {  # the rest go to a person
    "card": "digest-undelivered-card",
    "channel": "digest-undelivered-channel",
    "fallback": "digest-undelivered-channel",
}


def undelivered_line(notice: Undelivered, language: str) -> str:
    """'ESC-3 · Slack · the team's card · gave up (channel_not_found)'."""
    what = t(language, _NOTICE_TO.get(notice.kind, "digest-undelivered-person"))
    state = t(
        language, "digest-undelivered-failed" if notice.state == "failed" else "digest-undelivered-retrying"
    )
    platform = PLATFORM_NAMES.get(notice.platform, notice.platform)
    error = f" ({short(notice.error, 80)})" if notice.error else ""
    return f"{notice.ref} · {platform} · {what} · {state}{error}"
