"""What people asked about: routed questions recorded by topic (never their text) and their labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from bot.knowledge import KnowledgeBase
from bot.languages import pick
from bot.routing import Routing
from bot.storage.database import connection_lock, to_iso, utc_now, write_transaction


class AskedQuestionLog:
    """asked_questions on the rolebot database: one row per routed question, keyed by its topic."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.clock = clock

    def record(self, routing: Routing, platform: str) -> None:
        """Keep the team, role and matched responsibility of a routed question (abstentions are gaps)."""
        if routing.team is None:
            return
        topic = routing.matched_id or f"{routing.team}/{routing.role or '-'}/identity"
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO asked_questions (team, role, topic, language, platform, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [routing.team, routing.role, topic, routing.language, platform, to_iso(self.clock())],
            )

    def top_topics(
        self, team: str, since: datetime, until: datetime, limit: int = 5
    ) -> list[tuple[str, int]]:
        """(topic id, count) for `team` between `since` and `until`, most asked first."""
        with connection_lock(self.db):
            rows = self.db.execute(
                "SELECT topic, COUNT(*) AS n FROM asked_questions WHERE team = ? AND created_at >= ?"
                " AND created_at <= ? GROUP BY topic ORDER BY n DESC, topic LIMIT ?",
                [team, to_iso(since), to_iso(until), limit],
            ).fetchall()
        return [(str(topic), int(count)) for topic, count in rows]


def topic_label(kb: KnowledgeBase, topic: str, language: str) -> str:
    """The responsibility a topic id names ('team/role/responsibility'), in `language`."""
    team_id, _, rest = topic.partition("/")
    role_id, _, resp_id = rest.partition("/")
    team = kb.teams.get(team_id)
    if team is None:
        return topic
    role = next((r for r in team.roles if r.id == role_id), None)
    for resp in role.responsibilities if role else team.responsibilities:
        if resp.id == resp_id:
            return pick(resp.text, language)
    # identity/correction topics: the question was about the role or team itself
    return role.name(language) if role else team.name(language)
