"""Time as every store writes it: aware UTC now, and fixed-width ISO-8601 text for stored moments."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(value: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, so string order is time order and indexes on it work."""
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored: pass an aware datetime")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(value: str | datetime | None) -> datetime | None:
    """A stored moment: ISO-8601 text (SQLite), or already a datetime (PostgreSQL's timestamptz)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
