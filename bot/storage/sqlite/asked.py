"""AskedQuestionStore on SQLite: asked_questions, one row per routed question, keyed by its topic."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.storage.clock import to_iso
from bot.storage.sqlite.database import connection_lock, write_transaction


class SqliteAskedQuestions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self, team: str, role: str | None, topic: str, language: str, platform: str, at: datetime
    ) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO asked_questions (team, role, topic, language, platform, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [team, role, topic, language, platform, to_iso(at)],
            )

    def top_topics(
        self, team: str, since: datetime, until: datetime, limit: int = 5
    ) -> list[tuple[str, int]]:
        with connection_lock(self.db):
            rows = self.db.execute(
                "SELECT topic, COUNT(*) AS n FROM asked_questions WHERE team = ? AND created_at >= ?"
                " AND created_at <= ? GROUP BY topic ORDER BY n DESC, topic LIMIT ?",
                [team, to_iso(since), to_iso(until), limit],
            ).fetchall()
        return [(str(topic), int(count)) for topic, count in rows]
