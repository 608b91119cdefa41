"""SQLite storage: opening the database with safe settings and applying migrations at start-up."""

from bot.storage.database import (
    connection_lock,
    from_iso,
    open_database,
    to_iso,
    utc_now,
    write_transaction,
)
from bot.storage.migrations import migrations

__all__ = [
    "connection_lock",
    "from_iso",
    "migrations",
    "open_database",
    "to_iso",
    "utc_now",
    "write_transaction",
]
