"""`open_stores`: the stores on a database, from the backend its location names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.storage.clock import utc_now
from bot.storage.stores import Stores


def open_stores(
    location: Path | str, *, migrate: bool = True, clock: Callable[[], datetime] = utc_now
) -> Stores:
    """The stores on the database at `location` (a SQLite file path), its schema brought up to date
    (`migrate`, else only checked), refused when a newer rolebot wrote it. A new backend is one more
    branch here on `location` and a sibling folder of bot/storage/sqlite/."""
    from bot.storage.sqlite.stores import open_sqlite_stores  # loaded only when that backend is used

    return open_sqlite_stores(location, migrate=migrate, clock=clock)
