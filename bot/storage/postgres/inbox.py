"""The inbox on PostgreSQL: a key is taken in once across replicas (UNIQUE), unfinished work is leased."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.storage.clock import utc_now
from bot.storage.delivery import Accepted, InboxRequest, InboxRow
from bot.storage.postgres.pool import connection

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)
# One statement, one round trip and one commit for a whole batch (a replica's concurrent acks).
_INSERT_MANY = (
    "INSERT INTO inbox (platform, key, route, payload, state, created_at, done_at)"
    " SELECT %s, r.key, r.route, r.payload, r.state, %s, CASE WHEN r.route IS NULL THEN %s END"
    " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY"
    " AS r(key, route, payload, state, n) ORDER BY r.n"
    " ON CONFLICT (platform, key) DO NOTHING RETURNING key"
)


def _row(values: Sequence[Any]) -> InboxRow:
    payload = json.loads(values[3] or "{}")
    return InboxRow(int(values[0]), str(values[1]), str(values[2]), payload, int(values[4]))


class PostgresInbox:
    """The SqliteInbox interface on a pool; ON CONFLICT DO NOTHING is how a retried request is seen, and
    unfinished requests are leased, so a replica takes over a dead one's without a restart."""

    shared = True  # replicas share it: only requests whose lease ran out are taken over

    def __init__(self, pool: ConnectionPool, platform: str) -> None:
        self.pool, self.platform = pool, platform

    def accept(self, key: str, route: str | None, payload: dict[str, Any] | None) -> bool:
        [result] = self.accept_many([InboxRequest(key, route, payload)])
        if isinstance(result, Exception):
            raise result
        return result

    def accept_many(self, requests: Sequence[InboxRequest]) -> list[Accepted]:
        """One INSERT for the batch; when it fails (a row PostgreSQL refuses fails the statement), each
        row on its own, so that row gets its error and the others are taken in."""
        now = utc_now()
        try:
            rows = [_columns(request) for request in requests]
            columns = [list(column) for column in zip(*rows, strict=True)] or [[], [], [], []]
            with connection(self.pool) as conn:
                taken = {r[0] for r in conn.execute(_INSERT_MANY, [self.platform, now, now, *columns])}
        except Exception as exc:
            if len(requests) == 1:
                return [exc]
            log.warning("inbox batch of %s refused (%s): taken in one by one", len(requests), exc)
            return [self.accept_many([request])[0] for request in requests]
        results: list[Accepted] = []
        for request in requests:  # a key given twice: the first one is the one taken in
            results.append(request.key in taken)
            taken.discard(request.key)
        return results

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

    def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int = 100, *, everything: bool = False
    ) -> list[InboxRow]:
        """SKIP LOCKED: a replica never waits for a row another one is claiming or finishing."""
        with connection(self.pool) as conn:
            rows = conn.execute(
                "UPDATE inbox SET lease_until = %s, leased_by = %s, attempts = attempts + 1 WHERE id IN"
                " (SELECT id FROM inbox WHERE platform = %s AND state = 'pending' AND (%s OR lease_until < %s"
                " OR (lease_until IS NULL AND created_at < %s)) ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)"
                " RETURNING id, key, route, payload, attempts - 1",
                [now + lease, owner, self.platform, everything, now, now - lease, limit],
            ).fetchall()
        return sorted((_row(r) for r in rows), key=lambda row: row.id)

    def renew(self, owner: str, keys: Sequence[str], until: datetime) -> None:
        if not keys:
            return
        with connection(self.pool) as conn:
            conn.execute(
                "UPDATE inbox SET lease_until = %s, leased_by = %s WHERE platform = %s AND state = 'pending'"
                " AND (leased_by IS NULL OR leased_by = %s) AND key = ANY(%s)",
                [until, owner, self.platform, owner, list(keys)],
            )

    def unfinished(self, limit: int = 10_000) -> list[InboxRow]:
        """Pending requests, oldest first, leased or not (a listing: `claim` is how work is taken)."""
        with connection(self.pool) as conn:
            rows = conn.execute(
                "SELECT id, key, route, payload, attempts FROM inbox WHERE platform = %s"
                " AND state = 'pending' ORDER BY id LIMIT %s",
                [self.platform, limit],
            ).fetchall()
        return [_row(r) for r in rows]

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


def _columns(request: InboxRequest) -> tuple[str, str | None, str, str]:
    route, payload = request.route, request.payload
    body = json.dumps(payload, ensure_ascii=False) if route and payload is not None else ""
    return (request.key, route, body, "pending" if route else "done")
