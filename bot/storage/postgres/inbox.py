"""The inbox on PostgreSQL: a request key is taken in once across every replica (UNIQUE platform, key)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.storage.clock import utc_now
from bot.storage.delivery import InboxRow
from bot.storage.postgres.pool import connection

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool


class PostgresInbox:
    """The SqliteInbox interface on a pool; ON CONFLICT DO NOTHING is how a retried request is seen."""

    def __init__(self, pool: ConnectionPool, platform: str) -> None:
        self.pool, self.platform = pool, platform

    def accept(self, key: str, route: str | None, payload: dict[str, Any] | None) -> bool:
        state = "pending" if route else "done"
        body = json.dumps(payload, ensure_ascii=False) if route and payload is not None else ""
        now = utc_now()
        with connection(self.pool) as conn:
            row = conn.execute(
                "INSERT INTO inbox (platform, key, route, payload, state, created_at, done_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (platform, key) DO NOTHING RETURNING id",
                [self.platform, key, route, body, state, now, None if route else now],
            ).fetchone()
        return row is not None

    def remember(self, keys: list[str]) -> None:
        now = utc_now()
        with connection(self.pool) as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO inbox (platform, key, route, payload, state, created_at, done_at)"
                " VALUES (%s, %s, NULL, '', 'done', %s, %s) ON CONFLICT (platform, key) DO NOTHING",
                [(self.platform, key, now, now) for key in keys],
            )

    def known(self, key: str) -> bool:
        with connection(self.pool) as conn:
            row = conn.execute(
                "SELECT 1 FROM inbox WHERE platform = %s AND key = %s", [self.platform, key]
            ).fetchone()
        return row is not None

    def finish(self, key: str, state: str = "done") -> None:
        with connection(self.pool) as conn:
            conn.execute(
                "UPDATE inbox SET state = %s, payload = '', done_at = %s, attempts = attempts + 1"
                " WHERE platform = %s AND key = %s",
                [state, utc_now(), self.platform, key],
            )

    def attempt(self, key: str) -> None:
        with connection(self.pool) as conn:
            conn.execute(
                "UPDATE inbox SET attempts = attempts + 1 WHERE platform = %s AND key = %s",
                [self.platform, key],
            )

    def unfinished(self, limit: int = 10_000) -> list[InboxRow]:
        """Pending requests, oldest first. With several replicas this includes requests another live
        replica is still working on: recovery must claim them first (see README, Running two replicas)."""
        with connection(self.pool) as conn:
            rows = conn.execute(
                "SELECT id, key, route, payload, attempts FROM inbox WHERE platform = %s"
                " AND state = 'pending' ORDER BY id LIMIT %s",
                [self.platform, limit],
            ).fetchall()
        return [InboxRow(int(r[0]), str(r[1]), str(r[2]), json.loads(r[3] or "{}"), int(r[4])) for r in rows]

    def prune(self, older_than: datetime) -> int:
        with connection(self.pool) as conn:
            cursor = conn.execute(
                "DELETE FROM inbox WHERE platform = %s AND state != 'pending' AND created_at < %s",
                [self.platform, older_than],
            )
        return int(cursor.rowcount)

    def pending(self) -> int:
        with connection(self.pool) as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM inbox WHERE platform = %s AND state = 'pending'", [self.platform]
            ).fetchone()
        return int(row[0]) if row else 0
