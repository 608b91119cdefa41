"""SQLite storage: opening the database with safe settings and applying migrations at start-up."""

from bot.storage.database import from_iso, open_database, to_iso, utc_now
from bot.storage.migrations import migrations

__all__ = ["from_iso", "migrations", "open_database", "to_iso", "utc_now"]
