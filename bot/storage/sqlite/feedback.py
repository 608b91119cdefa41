"""FeedbackStore on SQLite: routing corrections and unrouted questions (knowledge gaps)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from bot.storage import sql as shared
from bot.storage.clock import from_iso, to_iso, utc_now
from bot.storage.feedback import MAX_QUESTION, Correction, most_asked, normalize_question
from bot.storage.sqlite.database import connection_lock, write_transaction


class SqliteFeedbackStore:
    """FeedbackStore on the rolebot database (shares the connection lock with the other stores)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
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
        with write_transaction(self.db):
            self.db.execute(
                shared.INSERT_CORRECTION,
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
                    to_iso(self.clock()),
                ],
            )

    def corrections(self) -> list[Correction]:
        with connection_lock(self.db):
            rows = self.db.execute(shared.CORRECTIONS).fetchall()
        return [
            Correction(
                question=r[0],
                normalized_question=r[1],
                language=r[2],
                routed_team=r[3],
                routed_role=r[4],
                corrected_team=r[5],
                corrected_role=r[6],
                platform=r[7],
                user=r[8],
                created_at=from_iso(r[9]) or self.clock(),
            )
            for r in rows
        ]

    def record_unrouted(
        self, question: str, language: str, platform: str, user: str, near_team: str | None = None
    ) -> None:
        text = question.strip()[:MAX_QUESTION]
        if not text:
            return  # an empty message is not a knowledge gap
        with write_transaction(self.db):
            self.db.execute(
                shared.INSERT_UNROUTED,
                [text, language, platform, user, near_team, to_iso(self.clock())],
            )

    def unrouted_since(self, since: datetime, team: str | None = None) -> list[tuple[str, int]]:
        sql = shared.UNROUTED_SINCE
        params: list[object] = [to_iso(since)]
        if team is not None:
            sql += shared.UNROUTED_NEAR
            params.append(team)
        with connection_lock(self.db):
            rows = self.db.execute(sql + " ORDER BY id DESC", params).fetchall()
        return most_asked(question for (question,) in rows)
