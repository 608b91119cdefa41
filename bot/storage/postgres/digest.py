"""Digest reads and exactly-once digest runs on PostgreSQL (the SQL of bot/storage/sqlite's, adapted)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from bot.escalations.models import Escalation
from bot.storage.digest import ActiveLoad, DigestRun, UndeliveredNotice
from bot.storage.postgres.base import PoolStore
from bot.storage.postgres.escalations import escalations_from
from bot.storage.postgres.pool import connection

# The conditions of the SQLite digest reads (bot/storage/sqlite/digest_queries.py), :name parameters.
ACTIVE = "state IN ('open', 'acknowledged')"
OVERDUE = "((state = 'open' AND ack_due <= :now) OR (state = 'acknowledged' AND resolve_due <= :now))"
BREACHED = f"({ACTIVE} AND (breached_at IS NOT NULL OR {OVERDUE}))"
FIRST_MISSED = "COALESCE(breached_at, CASE state WHEN 'open' THEN ack_due ELSE resolve_due END)"
RESOLVED_LATE = (
    "state = 'resolved' AND breached_at IS NOT NULL AND resolved_at >= :since AND resolved_at <= :until"
)
_COLUMNS = "team, run_date, kind, state, attempts, error, created_at, sent_at, claimed_by, claimed_at"
_KEY = "team = %s AND run_date = %s AND kind = %s"


def named(sql: str) -> str:
    """SQLite's :name parameters as psycopg's %(name)s (the shared SQL fragments use :name)."""
    return re.sub(r"(?<!:):([a-z_][a-z0-9_]*)", r"%(\1)s", sql)


def _run(row: tuple[Any, ...]) -> DigestRun:
    return DigestRun(row[0], date.fromisoformat(row[1]), *row[2:])


class PostgresDigestRuns(PoolStore):
    def get(self, team: str, run_date: date, kind: str) -> DigestRun | None:
        row = self._one(
            f"SELECT {_COLUMNS} FROM digest_runs WHERE {_KEY}", [team, run_date.isoformat(), kind]
        )
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
                "INSERT INTO digest_runs (team, run_date, kind, state, created_at, attempts, claimed_by,"
                " claimed_at) VALUES (%s, %s, %s, 'pending', %s, 1, %s, %s)"
                f" ON CONFLICT (team, run_date, kind) DO NOTHING RETURNING {_COLUMNS}",
                [*key, now, owner, now],
            ).fetchone()
            if created is not None:
                return _run(created)
            row = conn.execute(f"SELECT {_COLUMNS} FROM digest_runs WHERE {_KEY} FOR UPDATE", key).fetchone()
            if row is None or not claimable(_run(row)):
                return None
            claimed = conn.execute(
                "UPDATE digest_runs SET state = 'pending', attempts = attempts + 1, claimed_by = %s,"
                f" claimed_at = %s WHERE {_KEY} RETURNING {_COLUMNS}",
                [owner, now, *key],
            ).fetchone()
        return _run(claimed) if claimed else None

    def finish(self, run: DigestRun, state: str, error: str | None, sent_at: datetime | None) -> None:
        self._write(
            f"UPDATE digest_runs SET state = %s, sent_at = %s, error = %s WHERE {_KEY}",
            [state, sent_at, error, run.team, run.run_date.isoformat(), run.kind],
        )

    def last_sent(self, team: str, kind: str, before: date | None = None) -> datetime | None:
        row = self._one(
            "SELECT MAX(sent_at) FROM digest_runs WHERE team = %s AND kind = %s AND state = 'sent'"
            " AND (%s::text IS NULL OR run_date < %s)",
            [team, kind, before and before.isoformat(), before and before.isoformat()],
        )
        return row[0] if row else None

    def recent(self, limit: int = 50) -> list[DigestRun]:
        rows = self._all(
            f"SELECT {_COLUMNS} FROM digest_runs ORDER BY run_date DESC, id DESC LIMIT %s", [limit]
        )
        return [_run(row) for row in rows]


class PostgresDigestQueries(PoolStore):
    """The same bounded reads as SqliteDigestQueries: lists limited, totals counted."""

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Escalation]:
        with connection(self.pool) as conn:
            return escalations_from(conn.execute(named(sql), params))

    def _count(self, sql: str, params: dict[str, Any]) -> int:
        row = self._one(named(sql), params)
        return int(row[0]) if row else 0

    def created(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        where = "team = :team AND created_at >= :since AND created_at <= :until"
        params = {"team": team, "since": since, "until": until, "limit": limit}
        rows = self._rows(f"SELECT * FROM escalations WHERE {where} ORDER BY created_at LIMIT :limit", params)
        return rows, self._count(f"SELECT COUNT(*) FROM escalations WHERE {where}", params)

    def active(self, team: str, limit: int) -> tuple[list[Escalation], int]:
        rows: list[Escalation] = []
        for state in ("open", "acknowledged"):
            rows += self._rows(
                "SELECT * FROM escalations WHERE team = :team AND state = :state"
                " ORDER BY created_at LIMIT :limit",
                {"team": team, "state": state, "limit": limit},
            )
        rows.sort(key=lambda e: e.created_at)
        total = self._count(
            f"SELECT COUNT(*) FROM escalations WHERE team = :team AND {ACTIVE}", {"team": team}
        )
        return rows[:limit], total

    def overdue(
        self, teams: Sequence[str] | None, now: datetime, limit: int, resolved_since: datetime | None = None
    ) -> tuple[list[Escalation], int]:
        params: dict[str, Any] = {"now": now, "limit": limit, "teams": list(teams or ())}
        scope = "" if teams is None else " AND team = ANY(:teams)"
        where = BREACHED
        if resolved_since is not None:
            where = f"({BREACHED} OR ({RESOLVED_LATE}))"
            params.update({"since": resolved_since, "until": now})
        rows = self._rows(
            f"SELECT * FROM escalations WHERE {where}{scope} ORDER BY state = 'resolved', {FIRST_MISSED}"
            " LIMIT :limit",
            params,
        )
        return rows, self._count(f"SELECT COUNT(*) FROM escalations WHERE {where}{scope}", params)

    def resolved(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        where = "team = :team AND resolved_at >= :since AND resolved_at <= :until AND state = 'resolved'"
        params = {"team": team, "since": since, "until": until, "limit": limit}
        rows = self._rows(
            f"SELECT * FROM escalations WHERE {where} ORDER BY resolved_at DESC LIMIT :limit", params
        )
        return rows, self._count(f"SELECT COUNT(*) FROM escalations WHERE {where}", params)

    def undelivered(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[UndeliveredNotice], int]:
        where = (
            "e.team = :team AND ((o.state = 'failed' AND o.done_at >= :since AND o.done_at <= :until)"
            " OR (o.state = 'pending' AND o.attempts > 0))"
        )
        tables = "outbox o JOIN escalations e ON e.id = o.escalation_id"
        params = {"team": team, "since": since, "until": until, "limit": limit}
        with connection(self.pool) as conn:
            rows = conn.execute(
                named(
                    f"SELECT o.escalation_id, o.platform, o.kind, o.state, o.error FROM {tables}"
                    f" WHERE {where} ORDER BY o.id LIMIT :limit"
                ),
                params,
            ).fetchall()
        notices = [UndeliveredNotice(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows]
        return notices, self._count(f"SELECT COUNT(*) FROM {tables} WHERE {where}", params)

    def load_by_team(self, now: datetime) -> dict[str, ActiveLoad]:
        loads: dict[str, dict[str, Any]] = {}
        blank = {"open": 0, "acknowledged": 0, "overdue": 0, "oldest": None}
        grouped = (
            f"SELECT team, state, COUNT(*), MIN(created_at) FROM escalations WHERE {ACTIVE}"
            " GROUP BY team, state"
        )
        for team, state, count, oldest in self._all(grouped):
            load = loads.setdefault(team, dict(blank))
            load[state] = int(count)
            load["oldest"] = oldest if load["oldest"] is None else min(load["oldest"], oldest)
        late = named(f"SELECT team, COUNT(*) FROM escalations WHERE {BREACHED} GROUP BY team")
        for team, count in self._all(late, {"now": now}):
            loads.setdefault(team, dict(blank))["overdue"] = int(count)
        return {team: ActiveLoad(**load) for team, load in loads.items()}

    def window_counts(self, since: datetime, until: datetime) -> dict[str, tuple[int, int, int]]:
        params = {"since": since, "until": until}
        counts: dict[str, list[int]] = {}
        window = "{column} >= :since AND {column} <= :until"
        wheres = (
            window.format(column="created_at"),
            window.format(column="resolved_at") + " AND state = 'resolved'",
            RESOLVED_LATE,
        )
        for index, where in enumerate(wheres):
            sql = named(f"SELECT team, COUNT(*) FROM escalations WHERE {where} GROUP BY team")
            for team, count in self._all(sql, params):
                counts.setdefault(team, [0, 0, 0])[index] = int(count)
        return {team: (c[0], c[1], c[2]) for team, c in counts.items()}
