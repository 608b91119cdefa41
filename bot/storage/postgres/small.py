"""Small PostgreSQL stores: feedback, asked questions, identities, request channels, watchers, health."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.storage import sql as shared
from bot.storage.clock import utc_now
from bot.storage.feedback import MAX_QUESTION, Correction, most_asked, normalize_question
from bot.storage.health import Gauges
from bot.storage.identities import Identity
from bot.storage.postgres.base import PoolStore
from bot.storage.sql import for_postgres

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool


class PostgresFeedbackStore(PoolStore):
    def __init__(self, pool: ConnectionPool, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(pool)
        self.clock = clock

    def record_correction(
        self,
        question: str,
        language: str,
        routed_team: str | None,
        routed_role: str | None,
        corrected_team: str,
        corrected_role: str | None,
        platform: str,
        user: str,
    ) -> None:
        text = question.strip()[:MAX_QUESTION]
        self._write(
            for_postgres(shared.INSERT_CORRECTION),
            [
                text,
                normalize_question(text),
                language,
                routed_team,
                routed_role,
                corrected_team,
                corrected_role,
                platform,
                user,
                self.clock(),
            ],
        )

    def corrections(self) -> list[Correction]:
        return [Correction(*row) for row in self._all(shared.CORRECTIONS)]

    def record_unrouted(
        self, question: str, language: str, platform: str, user: str, near_team: str | None = None
    ) -> None:
        text = question.strip()[:MAX_QUESTION]
        if not text:
            return  # an empty message is not a knowledge gap
        self._write(
            for_postgres(shared.INSERT_UNROUTED),
            [text, language, platform, user, near_team, self.clock()],
        )

    def unrouted_since(self, since: datetime, team: str | None = None) -> list[tuple[str, int]]:
        sql = shared.UNROUTED_SINCE if team is None else shared.UNROUTED_SINCE + shared.UNROUTED_NEAR
        params: list[object] = [since] if team is None else [since, team]
        rows = self._all(for_postgres(sql + " ORDER BY id DESC"), params)
        return most_asked(question for (question,) in rows)


class PostgresAskedQuestions(PoolStore):
    def record(
        self, team: str, role: str | None, topic: str, language: str, platform: str, at: datetime
    ) -> None:
        self._write(
            "INSERT INTO asked_questions (team, role, topic, language, platform, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [team, role, topic, language, platform, at],
        )

    def top_topics(
        self, team: str, since: datetime, until: datetime, limit: int = 5
    ) -> list[tuple[str, int]]:
        rows = self._all(
            "SELECT topic, COUNT(*) AS n FROM asked_questions WHERE team = %s AND created_at >= %s"
            " AND created_at <= %s GROUP BY topic ORDER BY n DESC, topic LIMIT %s",
            [team, since, until, limit],
        )
        return [(str(topic), int(count)) for topic, count in rows]


class PostgresIdentityStore(PoolStore):
    def __init__(self, pool: ConnectionPool, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(pool)
        self.clock = clock

    def save(self, identity: Identity) -> None:
        self._write(
            "INSERT INTO platform_identities (platform, user_id, email, name, person_id, seen_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (platform, user_id) DO UPDATE SET"
            " email = excluded.email, name = excluded.name, person_id = excluded.person_id,"
            " seen_at = excluded.seen_at",
            [
                identity.platform,
                identity.user_id,
                identity.email,
                identity.name,
                identity.person_id,
                self.clock(),
            ],
        )

    def forget(self, platform: str, user_id: str) -> None:
        self._write(
            "DELETE FROM platform_identities WHERE platform = %s AND user_id = %s", [platform, user_id]
        )

    def all(self, platform: str | None = None) -> list[Identity]:
        rows = self._all(
            "SELECT platform, user_id, email, name, person_id FROM platform_identities"
            " WHERE %s::text IS NULL OR platform = %s ORDER BY platform, user_id",
            [platform, platform],
        )
        return [Identity(*row) for row in rows]


class PostgresChannelStore(PoolStore):
    def claim_thread(
        self, platform: str, channel: str, thread: str, team: str | None, now: datetime | None = None
    ) -> bool:
        """True for the first caller only, on whichever replica: the unique key decides."""
        return (
            self._write(
                "INSERT INTO channel_answers (platform, channel, thread, team, created_at)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [platform, channel, thread, team, now or utc_now()],
            )
            == 1
        )

    def switch(
        self, platform: str, channel: str, enabled: bool, by: str, now: datetime | None = None
    ) -> None:
        self._write(
            "INSERT INTO channel_switches (platform, channel, enabled, changed_by, changed_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (platform, channel) DO UPDATE SET"
            " enabled = excluded.enabled, changed_by = excluded.changed_by, changed_at = excluded.changed_at",
            [platform, channel, int(enabled), by, now or utc_now()],
        )

    def enabled(self, platform: str, channel: str) -> bool | None:
        row = self._one(
            "SELECT enabled FROM channel_switches WHERE platform = %s AND channel = %s", [platform, channel]
        )
        return None if row is None else bool(row[0])


class PostgresWatcherStore(PoolStore):
    def add(self, escalation_id: int, team: str, by: str, now: datetime | None = None) -> bool:
        return (
            self._write(
                "INSERT INTO escalation_watchers (escalation_id, team, added_by, created_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [escalation_id, team, by, now or utc_now()],
            )
            == 1
        )

    def teams(self, escalation_id: int) -> list[str]:
        rows = self._all(
            "SELECT team FROM escalation_watchers WHERE escalation_id = %s ORDER BY id", [escalation_id]
        )
        return [str(row[0]) for row in rows]


class PostgresHealth(PoolStore):
    def problem(self) -> str | None:
        try:
            self._one("SELECT 1")
        except Exception as exc:  # the server is gone or refuses us: /healthz says why
            return f"unreachable: {type(exc).__name__}"
        return None

    def probe(self) -> None:
        self._write(
            "INSERT INTO health_probe (id, at) VALUES (1, %s)"
            " ON CONFLICT (id) DO UPDATE SET at = excluded.at",
            [utc_now()],
        )

    def gauges(self, now: datetime) -> Gauges:
        counts = self._all(shared.STATE_COUNTS)
        late = self._one(for_postgres(shared.LATE_COUNT), [now, now])
        notices = self._all("SELECT platform, state, COUNT(*) FROM outbox GROUP BY platform, state")
        return Gauges(
            {str(state): int(n) for state, n in counts},
            int(late[0]) if late else 0,
            {(str(p), str(s)): int(n) for p, s, n in notices},
        )
