"""`open_stores`: the stores on a database, from the backend its location names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.storage.clock import utc_now
from bot.storage.schema_status import SchemaStatus
from bot.storage.stores import Stores

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(location: Path | str) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def open_stores(
    location: Path | str, *, migrate: bool = True, clock: Callable[[], datetime] = utc_now
) -> Stores:
    """The stores on the database at `location` (a SQLite file path, or a postgresql:// URL), its
    schema brought up to date (`migrate`, else only checked), refused when a newer rolebot wrote it.
    A new backend is one more branch here on `location` and a sibling folder of bot/storage/sqlite/."""
    if is_postgres(location):
        from bot.storage.postgres.stores import open_postgres_stores  # psycopg only when it is used

        return open_postgres_stores(str(location), migrate=migrate, clock=clock)
    from bot.storage.sqlite.stores import open_sqlite_stores  # loaded only when that backend is used

    return open_sqlite_stores(location, migrate=migrate, clock=clock)


def schema_status(location: Path | str, *, migrate: bool) -> SchemaStatus:
    """Applied and pending migrations (applying them first with `migrate`); `problem` says why the
    database could not be read (unreachable, missing file, written by a newer rolebot)."""
    if is_postgres(location):
        from bot.storage.postgres.migrate import status

        return status(str(location), migrate=migrate)
    from bot.storage.sqlite.status import status as sqlite_status

    return sqlite_status(Path(location), migrate=migrate)


def copy_database(source: Path, target: str) -> tuple[dict[str, int], str]:
    """Copy a SQLite installation into an empty PostgreSQL database, verified before it commits:
    (rows per table, audit log digest). Raises CopyError (nothing committed) or a storage error."""
    from bot.storage.postgres.copy import copy_sqlite_to_postgres

    report = copy_sqlite_to_postgres(source, target)
    return report.rows, report.audit_digest
