"""What every PostgreSQL store shares: a pool, and one statement per short transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.storage.postgres.pool import connection

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool


class PoolStore:
    """A store on a psycopg pool: each call borrows a connection and commits when it returns it."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def _all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        with connection(self.pool) as conn:
            return list(conn.execute(sql, params).fetchall())

    def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> tuple[Any, ...] | None:
        with connection(self.pool) as conn:
            row: tuple[Any, ...] | None = conn.execute(sql, params).fetchone()
            return row

    def _write(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Rows the statement changed (committed when it returns)."""
        with connection(self.pool) as conn:
            return int(conn.execute(sql, params).rowcount)
