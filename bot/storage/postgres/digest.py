"""Digest reads and exactly-once digest runs on PostgreSQL: the shared SQL, with row-locked claims."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from bot.escalations.models import Escalation
from bot.storage import sql as shared
from bot.storage.digest import (
    ActiveLoad,
    DigestRun,
    UndeliveredNotice,
    active_loads,
    undelivered_notices,
    window_totals,
)
from bot.storage.postgres.base import PoolStore
from bot.storage.postgres.escalations import escalations_from
from bot.storage.postgres.pool import connection
from bot.storage.sql import for_postgres


def _run(row: tuple[Any, ...]) -> DigestRun:
    return DigestRun(row[0], date.fromisoformat(row[1]), *row[2:])


class PostgresDigestRuns(PoolStore):
    def get(self, team: str, run_date: date, kind: str) -> DigestRun | None:
        row = self._one(for_postgres(shared.GET_DIGEST_RUN), [team, run_date.isoformat(), kind])
        return _run(row) if row else None

    def claim(
        self,
        team: str,
        run_date: date,
        kind: str,
        owner: str,
        now: datetime,
        claimable: Callable[[DigestRun], bool],
    ) -> DigestRun | None:
        """The unique key decides who creates the run; an existing one is locked (FOR UPDATE) while
        `claimable` looks at it, so two replicas never both take it over."""
        key = [team, run_date.isoformat(), kind]
        with connection(self.pool) as conn, conn.transaction():
            created = conn.execute(
                for_postgres(shared.CREATE_DIGEST_RUN)
                + f" ON CONFLICT (team, run_date, kind) DO NOTHING RETURNING {shared.DIGEST_RUN_COLUMNS}",
                [*key, now, owner, now],
            ).fetchone()
            if created is not None:
                return _run(created)
            row = conn.execute(for_postgres(shared.GET_DIGEST_RUN) + " FOR UPDATE", key).fetchone()
            if row is None or not claimable(_run(row)):
                return None
            claimed = conn.execute(
                for_postgres(shared.TAKE_DIGEST_RUN) + f" RETURNING {shared.DIGEST_RUN_COLUMNS}",
                [owner, now, *key],
            ).fetchone()
        return _run(claimed) if claimed else None

    def finish(self, run: DigestRun, state: str, error: str | None, sent_at: datetime | None) -> None:
        key = [run.team, run.run_date.isoformat(), run.kind]
        self._write(for_postgres(shared.FINISH_DIGEST_RUN), [state, sent_at, error, *key])

    def last_sent(self, team: str, kind: str, before: date | None = None) -> datetime | None:
        if before is None:
            row = self._one(for_postgres(shared.LAST_SENT), [team, kind])
        else:
            row = self._one(for_postgres(shared.LAST_SENT_BEFORE), [team, kind, before.isoformat()])
        return row[0] if row else None

    def recent(self, limit: int = 50) -> list[DigestRun]:
        return [_run(row) for row in self._all(for_postgres(shared.RECENT_DIGEST_RUNS), [limit])]


class PostgresDigestQueries(PoolStore):
    """The same bounded reads as SqliteDigestQueries: lists limited, totals counted."""

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Escalation]:
        with connection(self.pool) as conn:
            return escalations_from(conn.execute(for_postgres(sql), params))

    def _count(self, sql: str, params: dict[str, Any]) -> int:
        row = self._one(for_postgres(sql), params)
        return int(row[0]) if row else 0

    def _page(self, statements: tuple[str, str], params: dict[str, Any]) -> tuple[list[Escalation], int]:
        listing, count = statements
        return self._rows(listing, params), self._count(count, params)

    def created(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        return self._page(shared.CREATED, {"team": team, "since": since, "until": until, "limit": limit})

    def active(self, team: str, limit: int) -> tuple[list[Escalation], int]:
        params = {"team": team, "limit": limit}
        rows: list[Escalation] = []
        for state in ("open", "acknowledged"):
            rows += self._rows(shared.ACTIVE_IN_STATE, {**params, "state": state})
        rows.sort(key=lambda e: e.created_at)
        return rows[:limit], self._count(shared.ACTIVE_COUNT, params)

    def overdue(
        self, teams: Sequence[str] | None, now: datetime, limit: int, resolved_since: datetime | None = None
    ) -> tuple[list[Escalation], int]:
        params: dict[str, Any] = {"now": now, "limit": limit, "teams": list(teams or ())}
        scope = "" if teams is None else " AND team = ANY(:teams)"
        if resolved_since is not None:
            params.update({"since": resolved_since, "until": now})
        return self._page(shared.overdue_page(scope, resolved_since is not None), params)

    def resolved(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        return self._page(shared.RESOLVED, {"team": team, "since": since, "until": until, "limit": limit})

    def undelivered(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[UndeliveredNotice], int]:
        params = {"team": team, "since": since, "until": until, "limit": limit}
        listing, count = shared.UNDELIVERED
        return undelivered_notices(self._all(for_postgres(listing), params)), self._count(count, params)

    def load_by_team(self, now: datetime) -> dict[str, ActiveLoad]:
        breached = self._all(for_postgres(shared.BREACHED_BY_TEAM), {"now": now})
        return active_loads(self._all(shared.LOAD_BY_STATE), breached)

    def window_counts(self, since: datetime, until: datetime) -> dict[str, tuple[int, int, int]]:
        params = {"since": since, "until": until}
        return window_totals([self._all(for_postgres(sql), params) for sql in shared.WINDOW_COUNTS])
