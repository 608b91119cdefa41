"""Connections to PostgreSQL: one psycopg pool per process, sessions in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(SCHEMES)


def open_pool(url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 30.0) -> ConnectionPool:
    """A pool that is open and has connected once (so a wrong URL fails here, with the server's reason)."""
    from psycopg_pool import ConnectionPool

    pool = ConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        timeout=timeout,
        # UTC sessions: timestamptz values come back as UTC datetimes, as the SQLite stores return them.
        # autocommit: a read is one round trip (no COMMIT after it); transactions are explicit
        # (conn.transaction()), and every round trip counts when the machine is busy.
        kwargs={"options": "-c TimeZone=UTC", "application_name": "rolebot", "autocommit": True},
        open=False,
        name="rolebot",
    )
    pool.open(wait=True, timeout=timeout)
    return pool


@contextmanager
def connect(url: str) -> Iterator[psycopg.Connection]:
    """One connection outside any pool (the CLI's db commands), committed when the block ends."""
    import psycopg

    with psycopg.connect(url, options="-c TimeZone=UTC", application_name="rolebot") as conn:
        yield conn
