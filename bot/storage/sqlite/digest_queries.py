"""DigestQueryStore on SQLite: bounded, index-backed reads of escalations per team and time window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.escalations.models import Escalation
from bot.escalations.wire import row_to_escalation
from bot.storage.clock import from_iso, to_iso
from bot.storage.digest import ActiveLoad, UndeliveredNotice
from bot.storage.sqlite.database import connection_lock

ACTIVE = "state IN ('open', 'acknowledged')"
# Past ack_due while open, past resolve_due while acknowledged (with BREACHED: Escalation.overdue()).
OVERDUE = "((state = 'open' AND ack_due <= :now) OR (state = 'acknowledged' AND resolve_due <= :now))"
# A breach stays reported until resolved: overdue now, or a deadline missed before (the sweep moves
# the escalation up its chain with a fresh clock, which must not hide the miss).
BREACHED = f"({ACTIVE} AND (breached_at IS NOT NULL OR {OVERDUE}))"
FIRST_MISSED = "COALESCE(breached_at, CASE state WHEN 'open' THEN ack_due ELSE resolve_due END)"
RESOLVED_LATE = (
    "state = 'resolved' AND breached_at IS NOT NULL AND resolved_at >= :since AND resolved_at <= :until"
)


class SqliteDigestQueries:
    """Reads for one database; every list is limited and every total is a COUNT, so a digest stays
    fast however many escalations are stored."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = connection_lock(db)

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Escalation]:
        with self._lock:
            cursor = self.db.execute(sql, params)
            cols = [d[0] for d in cursor.description]
            return [row_to_escalation(dict(zip(cols, row, strict=True))) for row in cursor.fetchall()]

    def _count(self, sql: str, params: dict[str, Any]) -> int:
        with self._lock:
            return int(self.db.execute(sql, params).fetchone()[0])

    def created(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        where = "team = :team AND created_at >= :since AND created_at <= :until"
        params = {"team": team, "since": to_iso(since), "until": to_iso(until), "limit": limit}
        rows = self._rows(f"SELECT * FROM escalations WHERE {where} ORDER BY created_at LIMIT :limit", params)
        return rows, self._count(f"SELECT COUNT(*) FROM escalations WHERE {where}", params)

    def active(self, team: str, limit: int) -> tuple[list[Escalation], int]:
        """Open and acknowledged escalations, oldest first."""
        params = {"team": team, "limit": limit}
        # One index range per state keeps "oldest first" an ordered index walk, not a sort.
        rows: list[Escalation] = []
        for state in ("open", "acknowledged"):
            rows += self._rows(
                "SELECT * FROM escalations WHERE team = :team AND state = :state"
                " ORDER BY created_at LIMIT :limit",
                {**params, "state": state},
            )
        rows.sort(key=lambda e: e.created_at)
        total = self._count(f"SELECT COUNT(*) FROM escalations WHERE team = :team AND {ACTIVE}", params)
        return rows[:limit], total

    def overdue(
        self,
        teams: Sequence[str] | None,
        now: datetime,
        limit: int,
        resolved_since: datetime | None = None,
    ) -> tuple[list[Escalation], int]:
        """SLA breaches not yet resolved, most overdue first; `teams` None means every team. With
        `resolved_since`, escalations resolved late since then count too (after the unresolved ones)."""
        params: dict[str, Any] = {"now": to_iso(now), "limit": limit}
        scope = ""
        if teams is not None:
            names = [f":t{i}" for i in range(len(teams))]
            scope = f" AND team IN ({', '.join(names) or 'NULL'})"
            params.update({f"t{i}": team for i, team in enumerate(teams)})
        where = BREACHED
        if resolved_since is not None:
            where = f"({BREACHED} OR ({RESOLVED_LATE}))"
            params.update({"since": to_iso(resolved_since), "until": to_iso(now)})
        rows = self._rows(
            f"SELECT * FROM escalations WHERE {where}{scope}"
            f" ORDER BY state = 'resolved', {FIRST_MISSED} LIMIT :limit",
            params,
        )
        return rows, self._count(f"SELECT COUNT(*) FROM escalations WHERE {where}{scope}", params)

    def resolved(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        """Resolved in the window (still resolved now: a reopened one is open again), latest first."""
        where = "team = :team AND resolved_at >= :since AND resolved_at <= :until AND state = 'resolved'"
        params = {"team": team, "since": to_iso(since), "until": to_iso(until), "limit": limit}
        rows = self._rows(
            f"SELECT * FROM escalations WHERE {where} ORDER BY resolved_at DESC LIMIT :limit", params
        )
        return rows, self._count(f"SELECT COUNT(*) FROM escalations WHERE {where}", params)

    def load_by_team(self, now: datetime) -> dict[str, ActiveLoad]:
        """Per team: open and acknowledged counts, overdue count and the oldest active creation time."""
        loads: dict[str, dict[str, Any]] = {}
        with self._lock:
            for team, state, count, oldest in self.db.execute(
                f"SELECT team, state, COUNT(*), MIN(created_at) FROM escalations WHERE {ACTIVE}"
                " GROUP BY team, state"
            ).fetchall():
                load = loads.setdefault(team, {"open": 0, "acknowledged": 0, "overdue": 0, "oldest": None})
                load[state] = int(count)
                first = from_iso(oldest)
                load["oldest"] = first if load["oldest"] is None else min(load["oldest"], first)
            for team, count in self.db.execute(
                f"SELECT team, COUNT(*) FROM escalations WHERE {BREACHED} GROUP BY team", {"now": to_iso(now)}
            ).fetchall():
                loads.setdefault(team, {"open": 0, "acknowledged": 0, "overdue": 0, "oldest": None})
                loads[team]["overdue"] = int(count)
        return {team: ActiveLoad(**load) for team, load in loads.items()}

    def window_counts(self, since: datetime, until: datetime) -> dict[str, tuple[int, int, int]]:
        """Per team: (created, resolved, resolved late) between `since` and `until`."""
        params = {"since": to_iso(since), "until": to_iso(until)}
        counts: dict[str, list[int]] = {}
        window = "{column} >= :since AND {column} <= :until"
        with self._lock:
            for index, where in enumerate(
                (
                    window.format(column="created_at"),
                    window.format(column="resolved_at") + " AND state = 'resolved'",
                    RESOLVED_LATE,
                )
            ):
                for team, count in self.db.execute(
                    f"SELECT team, COUNT(*) FROM escalations WHERE {where} GROUP BY team", params
                ).fetchall():
                    counts.setdefault(team, [0, 0, 0])[index] = int(count)
        return {team: (c[0], c[1], c[2]) for team, c in counts.items()}

    def undelivered(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[UndeliveredNotice], int]:
        where = (
            "e.team = :team AND ((o.state = 'failed' AND o.done_at >= :since AND o.done_at <= :until)"
            " OR (o.state = 'pending' AND o.attempts > 0))"
        )
        tables = "outbox o JOIN escalations e ON e.id = o.escalation_id"
        params = {"team": team, "since": to_iso(since), "until": to_iso(until), "limit": limit}
        with self._lock:
            rows = self.db.execute(
                f"SELECT o.escalation_id, o.platform, o.kind, o.state, o.error FROM {tables}"
                f" WHERE {where} ORDER BY o.id LIMIT :limit",
                params,
            ).fetchall()
            total = int(self.db.execute(f"SELECT COUNT(*) FROM {tables} WHERE {where}", params).fetchone()[0])
        notices = [UndeliveredNotice(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows]
        return notices, total
