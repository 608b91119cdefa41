"""Applying the shared migration list to PostgreSQL, under an advisory lock so replicas do not race."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import psycopg

from bot.storage.postgres.schema import STATEMENTS

if TYPE_CHECKING:
    from bot.storage.schema_status import SchemaStatus

# Advisory lock keys (one bigint namespace per database): fixed numbers, named once here.
MIGRATE_LOCK = 0x726F6C65_00000001
SWEEP_LOCK = 0x726F6C65_00000002


class SchemaTooNew(psycopg.DatabaseError):
    """The database has migrations this version does not know: a newer rolebot wrote it."""


def migration_names() -> list[str]:
    """The steps in order: the same names, in the same order, as the SQLite backend's list (a test
    holds the two lists equal, so a step added to one and not the other fails the suite)."""
    return list(STATEMENTS)


def _ensure_table(conn: psycopg.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS rolebot_migrations"
        " (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)"
    )


def applied(conn: psycopg.Connection) -> list[str]:
    exists = conn.execute("SELECT to_regclass('rolebot_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return []
    rows = conn.execute("SELECT name FROM rolebot_migrations ORDER BY applied_at, name").fetchall()
    return [str(row[0]) for row in rows]


def pending(conn: psycopg.Connection) -> list[str]:
    done = set(applied(conn))
    return [name for name in migration_names() if name not in done]


def check_schema(conn: psycopg.Connection) -> None:
    """Refuse a database with migrations unknown to this version, naming them and the ones known."""
    known = migration_names()
    unknown = [name for name in applied(conn) if name not in known]
    if unknown:
        raise SchemaTooNew(
            f"the database was written by a newer rolebot: it has migration {', '.join(unknown)},"
            f" this version knows up to {known[-1]}; upgrade rolebot or use another database"
        )


def apply_migrations(conn: psycopg.Connection) -> list[str]:
    """Apply what is pending in one transaction (DDL is transactional here); returns the names applied."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATE_LOCK])
        # Checked inside the lock: another replica may have migrated while we waited.
        check_schema(conn)
        _ensure_table(conn)
        todo = pending(conn)
        for name in todo:
            for statement in STATEMENTS[name]:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO rolebot_migrations (name, applied_at) VALUES (%s, %s)", [name, datetime.now(UTC)]
            )
    return todo


def status(url: str, *, migrate: bool) -> SchemaStatus:
    from bot.config import redact_url
    from bot.storage.postgres.pool import connect
    from bot.storage.schema_status import SchemaStatus

    found = SchemaStatus(redact_url(url), "postgresql")
    try:
        with connect(url) as conn:
            if migrate:
                apply_migrations(conn)
            check_schema(conn)
            found.applied, found.pending = applied(conn), pending(conn)
    except psycopg.Error as exc:
        found.problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return found
