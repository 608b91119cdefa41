"""FeedbackStore on SQLite: routing corrections and unrouted questions (knowledge gaps)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from bot.storage.clock import from_iso, to_iso, utc_now
from bot.storage.feedback import MAX_QUESTION, Correction, normalize_question
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
                "INSERT INTO routing_feedback (question, normalized_question, language, routed_team,"
                " routed_role, corrected_team, corrected_role, platform, user, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            rows = self.db.execute(
                "SELECT question, normalized_question, language, routed_team, routed_role, corrected_team,"
                " corrected_role, platform, user, created_at FROM routing_feedback ORDER BY id"
            ).fetchall()
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
                "INSERT INTO unrouted_questions (question, language, platform, user, near_team, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [text, language, platform, user, near_team, to_iso(self.clock())],
            )

    def unrouted_since(self, since: datetime, team: str | None = None) -> list[tuple[str, int]]:
        sql = "SELECT question FROM unrouted_questions WHERE created_at >= ?"
        params: list[object] = [to_iso(since)]
        if team is not None:
            sql += " AND near_team = ?"
            params.append(team)
        with connection_lock(self.db):
            rows = self.db.execute(sql + " ORDER BY id DESC", params).fetchall()
        # Grouped in Python on the normalised text (SQLite has no Unicode casefold); the latest
        # wording of each question is the one shown.
        counts: Counter[str] = Counter()
        wording: dict[str, str] = {}
        for (question,) in rows:
            key = normalize_question(question)
            counts[key] += 1
            wording.setdefault(key, question)
        return [(wording[key], count) for key, count in counts.most_common()]
