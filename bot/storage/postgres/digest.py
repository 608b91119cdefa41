"""Digest reads and exactly-once digest runs on PostgreSQL: the shared SQL, with row-locked claims."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from bot.escalations.models import Escalation
from bot.storage import sql as shared
from bot.storage.digest import DigestRun
from bot.storage.digest_reads import DigestReads
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


class PostgresDigestQueries(PoolStore, DigestReads):
    """The shared digest reads on a pool (timestamptz times, team lists as arrays)."""

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Escalation]:
        with connection(self.pool) as conn:
            return escalations_from(conn.execute(for_postgres(sql), params))

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[Sequence[Any]]:
        return list(self._all(for_postgres(sql), params))

    def _in_teams(self, teams: Sequence[str], params: dict[str, Any]) -> str:
        params["teams"] = list(teams)
        return "team = ANY(:teams)"
