"""Connections to PostgreSQL: one psycopg pool per process and database, sessions in UTC."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bot.storage.errors import StorageError

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

SCHEMES = ("postgresql://", "postgres://")
_SHARED: dict[str, ConnectionPool] = {}
_SHARED_LOCK = threading.Lock()


def is_postgres_url(url: object) -> bool:
    return isinstance(url, str) and url.startswith(SCHEMES)


def open_pool(url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 30.0) -> ConnectionPool:
    """A pool that is open and has connected once (so a wrong URL fails here, with the server's reason)."""
    import psycopg
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
    try:
        pool.open(wait=True, timeout=timeout)
    except (psycopg.Error, OSError) as exc:
        pool.close()
        raise StorageError(f"cannot connect to PostgreSQL: {exc}") from exc
    return pool


def shared_pool(url: str, max_size: int = 10) -> ConnectionPool:
    """This process's pool for `url`: every store, worker and adapter shares it (a replica keeps at
    most `max_size` connections, whatever asks for stores)."""
    with _SHARED_LOCK:
        pool = _SHARED.get(url)
        if pool is None or pool.closed:
            pool = _SHARED[url] = open_pool(url, max_size=max_size)
        return pool


def close_shared() -> None:
    """Close this process's shared pools (tests, before their throwaway server stops)."""
    with _SHARED_LOCK:
        pools = list(_SHARED.values())
        _SHARED.clear()
    for pool in pools:
        pool.close()


@contextmanager
def connection(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    """A pooled connection; the driver's errors leave as StorageError (callers catch storage errors)."""
    import psycopg

    try:
        with pool.connection() as conn:
            yield conn
    except psycopg.Error as exc:
        raise StorageError(str(exc).strip() or type(exc).__name__) from exc


@contextmanager
def connect(url: str) -> Iterator[psycopg.Connection]:
    """One connection outside any pool (the db commands, migrations), committed when the block ends."""
    import psycopg

    with psycopg.connect(url, options="-c TimeZone=UTC", application_name="rolebot") as conn:
        yield conn
