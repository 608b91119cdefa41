"""DigestQueryStore written once: the shared SQL (bot/storage/sql.py) run through a backend's primitives."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.escalations.models import Escalation
from bot.storage import sql as shared
from bot.storage.digest import ActiveLoad, UndeliveredNotice, active_loads, undelivered_notices, window_totals


class DigestReads:
    """The DigestQueryStore reads (see its docstrings): every list is limited and every total is a COUNT,
    so a digest stays fast however many escalations are stored. A backend says how a statement runs, how
    times go in and come out, and how a list of teams is matched."""

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Escalation]:
        raise NotImplementedError

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[Sequence[Any]]:
        raise NotImplementedError

    def _stamp(self, moment: datetime) -> Any:
        """A time as the database takes it as a parameter."""
        return moment

    def _time(self, value: Any) -> datetime | None:
        """A time as the database returns it."""
        return value

    def _in_teams(self, teams: Sequence[str], params: dict[str, Any]) -> str:
        """The condition that keeps `teams` (their parameters added to `params`)."""
        raise NotImplementedError

    def _count(self, sql: str, params: dict[str, Any]) -> int:
        rows = self._fetch(sql, params)
        return int(rows[0][0]) if rows else 0

    def _page(self, statements: tuple[str, str], params: dict[str, Any]) -> tuple[list[Escalation], int]:
        listing, count = statements
        return self._rows(listing, params), self._count(count, params)

    def _window(self, team: str, since: datetime, until: datetime, limit: int) -> dict[str, Any]:
        return {"team": team, "since": self._stamp(since), "until": self._stamp(until), "limit": limit}

    def created(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        return self._page(shared.CREATED, self._window(team, since, until, limit))

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
        params: dict[str, Any] = {"now": self._stamp(now), "limit": limit}
        scope = "" if teams is None else f" AND {self._in_teams(teams, params)}"
        if resolved_since is not None:
            params.update({"since": self._stamp(resolved_since), "until": self._stamp(now)})
        return self._page(shared.overdue_page(scope, resolved_since is not None), params)

    def resolved(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        return self._page(shared.RESOLVED, self._window(team, since, until, limit))

    def load_by_team(self, now: datetime) -> dict[str, ActiveLoad]:
        by_state = self._fetch(shared.LOAD_BY_STATE, {})
        breached = self._fetch(shared.BREACHED_BY_TEAM, {"now": self._stamp(now)})
        return active_loads([(*row[:3], self._time(row[3])) for row in by_state], breached)

    def window_counts(self, since: datetime, until: datetime) -> dict[str, tuple[int, int, int]]:
        params = {"since": self._stamp(since), "until": self._stamp(until)}
        return window_totals([self._fetch(sql, params) for sql in shared.WINDOW_COUNTS])

    def undelivered(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[UndeliveredNotice], int]:
        listing, count = shared.UNDELIVERED
        params = self._window(team, since, until, limit)
        return undelivered_notices(self._fetch(listing, params)), self._count(count, params)
