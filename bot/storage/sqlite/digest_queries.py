"""DigestQueryStore on SQLite: bounded, index-backed reads of escalations per team and time window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.escalations.models import Escalation
from bot.escalations.wire import row_to_escalation
from bot.storage import sql as shared
from bot.storage.clock import from_iso, to_iso
from bot.storage.digest import (
    ActiveLoad,
    UndeliveredNotice,
    active_loads,
    undelivered_notices,
    window_totals,
)
from bot.storage.sqlite.database import connection_lock


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

    def _page(self, statements: tuple[str, str], params: dict[str, Any]) -> tuple[list[Escalation], int]:
        listing, count = statements
        return self._rows(listing, params), self._count(count, params)

    def created(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        params = {"team": team, "since": to_iso(since), "until": to_iso(until), "limit": limit}
        return self._page(shared.CREATED, params)

    def active(self, team: str, limit: int) -> tuple[list[Escalation], int]:
        """Open and acknowledged escalations, oldest first."""
        params = {"team": team, "limit": limit}
        rows: list[Escalation] = []
        for state in ("open", "acknowledged"):
            rows += self._rows(shared.ACTIVE_IN_STATE, {**params, "state": state})
        rows.sort(key=lambda e: e.created_at)
        return rows[:limit], self._count(shared.ACTIVE_COUNT, params)

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
        if resolved_since is not None:
            params.update({"since": to_iso(resolved_since), "until": to_iso(now)})
        return self._page(shared.overdue_page(scope, resolved_since is not None), params)

    def resolved(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        """Resolved in the window (still resolved now: a reopened one is open again), latest first."""
        params = {"team": team, "since": to_iso(since), "until": to_iso(until), "limit": limit}
        return self._page(shared.RESOLVED, params)

    def load_by_team(self, now: datetime) -> dict[str, ActiveLoad]:
        """Per team: open and acknowledged counts, overdue count and the oldest active creation time."""
        with self._lock:
            by_state = self.db.execute(shared.LOAD_BY_STATE).fetchall()
            breached = self.db.execute(shared.BREACHED_BY_TEAM, {"now": to_iso(now)}).fetchall()
        return active_loads([(t, s, n, from_iso(oldest)) for t, s, n, oldest in by_state], breached)

    def window_counts(self, since: datetime, until: datetime) -> dict[str, tuple[int, int, int]]:
        """Per team: (created, resolved, resolved late) between `since` and `until`."""
        params = {"since": to_iso(since), "until": to_iso(until)}
        with self._lock:
            return window_totals([self.db.execute(sql, params).fetchall() for sql in shared.WINDOW_COUNTS])

    def undelivered(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[UndeliveredNotice], int]:
        params = {"team": team, "since": to_iso(since), "until": to_iso(until), "limit": limit}
        listing, count = shared.UNDELIVERED
        with self._lock:
            rows = self.db.execute(listing, params).fetchall()
            total = int(self.db.execute(count, params).fetchone()[0])
        return undelivered_notices(rows), total
