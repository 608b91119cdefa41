"""The outbox on PostgreSQL: rows claimed with FOR UPDATE SKIP LOCKED and a lease, so replicas share it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.storage import sql as shared
from bot.storage.clock import utc_now
from bot.storage.delivery import OutboxRow
from bot.storage.postgres.pool import connection
from bot.storage.sql import for_postgres

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool


def _row(values: Sequence[Any]) -> OutboxRow:
    return OutboxRow(
        int(values[0]),
        int(values[1]),
        str(values[2]),
        str(values[3]),
        str(values[4]),
        str(values[5]),
        int(values[6]),
        values[7],
        None if values[8] is None else str(values[8]),
    )


def insert_rows(conn: psycopg.Connection, rows: Sequence[tuple[int, str, str, str]]) -> None:
    """(escalation id, platform, kind, payload) rows, inside the caller's transaction."""
    if not rows:
        return
    now = utc_now()  # wall time: delivery is about real time, whatever clock the workflow runs on
    # One statement for the two or three notices of a workflow step: executemany would run a pipeline
    # of its own (a sync, a round trip, and the driver's work per row) inside every workflow transaction.
    more = ", (%s, %s, %s, %s, %s, %s)" * (len(rows) - 1)
    conn.execute(
        for_postgres(shared.INSERT_OUTBOX) + more,
        [value for row in rows for value in (*row, now, now)],
    )


class PostgresOutbox:
    """The SqliteOutbox interface on a pool. A claim takes the row lock with SKIP LOCKED: a replica never
    waits for a row another one is claiming, and the lease keeps it theirs while they deliver it."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        with connection(self.pool) as conn:
            return conn.execute(sql, list(params)).rowcount

    def due(self, platform: str, now: datetime, limit: int = 50) -> list[OutboxRow]:
        """The first pending row of each escalation on `platform` that may be tried now (oldest first)."""
        with connection(self.pool) as conn:
            rows = conn.execute(
                for_postgres(shared.OUTBOX_DUE),
                [platform, now, now, limit],
            ).fetchall()
        return [_row(r) for r in rows]

    def claim(self, row_id: int, now: datetime, lease: timedelta) -> bool:
        return (
            self._write(
                "UPDATE outbox SET lease_until = %s WHERE id = (SELECT id FROM outbox WHERE id = %s"
                " AND state = 'pending' AND (lease_until IS NULL OR lease_until < %s)"
                " FOR UPDATE SKIP LOCKED)",
                [now + lease, row_id, now],
            )
            == 1
        )

    def settle(self, row_id: int, state: str, now: datetime, error: str | None = None) -> None:
        self._write(
            "UPDATE outbox SET state = %s, done_at = %s, error = %s, lease_until = NULL,"
            " attempts = attempts + 1 WHERE id = %s",
            [state, now, error, row_id],
        )

    def retry(self, row_id: int, at: datetime, error: str) -> int:
        with connection(self.pool) as conn:
            row = conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_at = %s, error = %s, lease_until = NULL"
                " WHERE id = %s RETURNING attempts",
                [at, error, row_id],
            ).fetchone()
        return int(row[0]) if row else 0

    def retry_now(self, platform: str, now: datetime) -> None:
        self._write(
            "UPDATE outbox SET next_at = %s WHERE platform = %s AND state = 'pending' AND next_at > %s",
            [now, platform, now],
        )

    def prune(self, older_than: datetime) -> int:
        return self._write(
            "DELETE FROM outbox WHERE state IN ('sent', 'skipped') AND done_at < %s", [older_than]
        )

    def expire(self, older_than: datetime, now: datetime, *, besides: str) -> int:
        return self._write(
            "UPDATE outbox SET state = 'skipped', done_at = %s, lease_until = NULL,"
            " error = 'expired: no process delivered it' WHERE state = 'pending' AND platform != %s"
            " AND created_at < %s",
            [now, besides, older_than],
        )

    def skip_pending(self, escalation_id: int, platform: str, kind: str, now: datetime) -> None:
        self._write(
            "UPDATE outbox SET state = 'skipped', done_at = %s WHERE escalation_id = %s AND platform = %s"
            " AND kind = %s AND state = 'pending'",
            [now, escalation_id, platform, kind],
        )

    def counts(self) -> dict[tuple[str, str], int]:
        with connection(self.pool) as conn:
            rows = conn.execute("SELECT platform, state, COUNT(*) FROM outbox GROUP BY platform, state")
            return {(str(p), str(s)): int(n) for p, s, n in rows.fetchall()}

    def waiting(self, platform: str) -> int:
        with connection(self.pool) as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE platform = %s AND state = 'pending'", [platform]
            ).fetchone()
        return int(row[0]) if row else 0

    def listing(self, states: Sequence[str], limit: int = 100) -> list[OutboxRow]:
        with connection(self.pool) as conn:
            rows = conn.execute(
                f"SELECT {shared.OUTBOX_COLUMNS} FROM outbox WHERE state = ANY(%s) ORDER BY id LIMIT %s",
                [list(states), limit],
            ).fetchall()
        return [_row(r) for r in rows]
