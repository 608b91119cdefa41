"""Moments as a reader sees them: their language's date and time format, in their zone, zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location

from bot.i18n import t
from bot.languages import babel_locale


def local_text(value: datetime, language: str, zone: str) -> str:
    """'Nov 29, 2026, 2:39 PM', '29 nov. 2026 14:39': the month spelt out, so no reader confuses
    11/12 with 12/11; in `zone`, which the caller names."""
    locale = Locale.parse(babel_locale(language))
    local = value.astimezone(ZoneInfo(zone))
    day = format_date(local, "medium", locale=locale)
    clock = format_time(local, "short", locale=locale)
    # the locale's own way of joining a date and a time ("{1}, {0}", "{1} {0}")
    return str(locale.datetime_formats["medium"]).replace("'", "").replace("{1}", day).replace("{0}", clock)


def zone_name(zone: str, language: str) -> str:
    """'Sweden Time', 'Sverigetid', '대한민국 시간': the zone as the reader's language names it."""
    if zone in ("UTC", "Etc/UTC"):
        return "UTC"
    return str(get_timezone_location(ZoneInfo(zone), locale=Locale.parse(babel_locale(language))))


def moment(value: datetime, language: str, zone: str) -> str:
    """'Nov 29, 2026, 2:39 PM (Sweden Time)', '29 nov. 2026 14:39 (Sverigetid)'."""
    return t(language, "time-in-zone", time=local_text(value, language, zone), zone=zone_name(zone, language))
