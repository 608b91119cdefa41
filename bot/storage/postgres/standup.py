"""StandupStore on PostgreSQL: runs under a unique (team, date) key, prompts claimed by one UPDATE each."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.storage import sql as shared
from bot.storage.postgres.base import PoolStore
from bot.storage.postgres.pool import connection
from bot.storage.sql import for_postgres
from bot.storage.standup import Prompt, StandupRun, StoredAnswer

_ANSWERING = (
    "INSERT INTO standup_prompts (run_id, person, ask_state, language) VALUES (%s, %s, 'answering', %s)"
    " ON CONFLICT (run_id, person) DO NOTHING"
)


def _run(row: tuple[Any, ...]) -> StandupRun:
    return StandupRun(int(row[0]), row[1], date.fromisoformat(row[2]), *row[3:])


class PostgresStandupStore(PoolStore):
    def open_run(self, team: str, run_date: date, now: datetime) -> tuple[StandupRun, bool]:
        key = [team, run_date.isoformat()]
        with connection(self.pool) as conn, conn.transaction():
            created = conn.execute(
                "INSERT INTO standup_runs (team, run_date, state, created_at) VALUES (%s, %s, 'open', %s)"
                f" ON CONFLICT (team, run_date) DO NOTHING RETURNING {shared.STANDUP_RUN_COLUMNS}",
                [*key, now],
            ).fetchone()
            row = created or conn.execute(for_postgres(shared.STANDUP_RUN), key).fetchone()
        assert row is not None
        return _run(row), created is not None

    def run(self, team: str, run_date: date) -> StandupRun | None:
        row = self._one(for_postgres(shared.STANDUP_RUN), [team, run_date.isoformat()])
        return _run(row) if row else None

    def run_by_id(self, run_id: int) -> StandupRun | None:
        row = self._one(for_postgres(shared.STANDUP_RUN_BY_ID), [run_id])
        return _run(row) if row else None

    def runs_on(self, run_date: date) -> list[StandupRun]:
        rows = self._all(for_postgres(shared.STANDUP_RUNS_ON), [run_date.isoformat()])
        return [_run(row) for row in rows]

    def open_runs(self, teams: list[str]) -> list[StandupRun]:
        rows = self._all(for_postgres(shared.open_standup_runs("team = ANY(?)")), [list(teams)])
        return [_run(row) for row in rows]

    def stamp_run(self, run_id: int, column: str, now: datetime) -> bool:
        return self._write(for_postgres(shared.stamp_standup_run(column)), [now, run_id]) == 1

    def close_run(self, run_id: int, now: datetime) -> bool:
        return self._write(for_postgres(shared.CLOSE_STANDUP_RUN), [now, run_id]) == 1

    def add_participants(self, run_id: int, people: dict[str, str]) -> None:
        with connection(self.pool) as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO standup_prompts (run_id, person, language) VALUES (%s, %s, %s)"
                " ON CONFLICT (run_id, person) DO NOTHING",
                [(run_id, person, language) for person, language in people.items()],
            )

    def prompts(self, run_id: int) -> dict[str, Prompt]:
        rows = self._all(for_postgres(shared.STANDUP_PROMPTS), [run_id])
        return {row[0]: Prompt(*row) for row in rows}

    def claim_ask(self, run_id: int, person: str, now: datetime) -> bool:
        return self._write(for_postgres(shared.CLAIM_STANDUP_ASK), [now, run_id, person]) == 1

    def finish_ask(self, run_id: int, person: str, sent: bool) -> None:
        self._write(
            for_postgres(shared.STANDUP_ASKED if sent else shared.STANDUP_NOT_ASKED), [run_id, person]
        )

    def claim_remind(self, run_id: int, person: str, now: datetime) -> bool:
        return self._write(for_postgres(shared.CLAIM_STANDUP_REMINDER), [now, run_id, person]) == 1

    def set_skipped(self, run_id: int, person: str, language: str, now: datetime | None) -> bool:
        with connection(self.pool) as conn, conn.transaction():
            if not _take_part(conn, run_id, person, language):
                return False
            conn.execute(for_postgres(shared.SKIP_STANDUP), [now, run_id, person])
        return True

    def save_answers(
        self, run_id: int, person: str, language: str, parts: list[tuple[str, str, bool]], now: datetime
    ) -> bool:
        with connection(self.pool) as conn, conn.transaction():
            if not _take_part(conn, run_id, person, language):
                return False
            conn.execute(for_postgres(shared.START_ANSWERING), [run_id, person])
            for question, text, append in parts:
                conn.execute(
                    "INSERT INTO standup_answers (run_id, person, question, text, created_at, updated_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (run_id, person, question) DO UPDATE SET"
                    " text = CASE WHEN %s THEN standup_answers.text || chr(10) || excluded.text"
                    " ELSE excluded.text END, updated_at = excluded.updated_at",
                    [run_id, person, question, text, now, now, bool(append)],
                )
        return True

    def answers(self, run_id: int, person: str | None = None) -> list[StoredAnswer]:
        if person is None:
            rows = self._all(for_postgres(shared.STANDUP_ANSWERS + " ORDER BY id"), [run_id])
        else:
            rows = self._all(for_postgres(shared.STANDUP_ANSWERS_OF + " ORDER BY id"), [run_id, person])
        return [StoredAnswer(*row) for row in rows]


def _take_part(conn: Any, run_id: int, person: str, language: str) -> bool:
    """In the caller's transaction: False when the run is reported, else `person` has a prompt row (a new
    one answering). FOR SHARE: a close_run on another replica waits for these answers, or they see it
    reported."""
    row = conn.execute("SELECT state FROM standup_runs WHERE id = %s FOR SHARE", [run_id]).fetchone()
    if row is None or row[0] != "open":
        return False
    conn.execute(_ANSWERING, [run_id, person, language])
    return True
