"""StandupStore on PostgreSQL: runs under a unique (team, date) key, prompts claimed by one UPDATE each."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.storage.postgres.base import PoolStore
from bot.storage.postgres.pool import connection
from bot.storage.standup import Prompt, StandupRun, StoredAnswer

_RUN_COLUMNS = "id, team, run_date, state, created_at, asked_at, reminded_at, reported_at"
_PROMPT_COLUMNS = "person, ask_state, asked_at, reminded_at, skipped_at, language"
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
                f" ON CONFLICT (team, run_date) DO NOTHING RETURNING {_RUN_COLUMNS}",
                [*key, now],
            ).fetchone()
            row = (
                created
                or conn.execute(
                    f"SELECT {_RUN_COLUMNS} FROM standup_runs WHERE team = %s AND run_date = %s", key
                ).fetchone()
            )
        assert row is not None
        return _run(row), created is not None

    def run(self, team: str, run_date: date) -> StandupRun | None:
        row = self._one(
            f"SELECT {_RUN_COLUMNS} FROM standup_runs WHERE team = %s AND run_date = %s",
            [team, run_date.isoformat()],
        )
        return _run(row) if row else None

    def run_by_id(self, run_id: int) -> StandupRun | None:
        row = self._one(f"SELECT {_RUN_COLUMNS} FROM standup_runs WHERE id = %s", [run_id])
        return _run(row) if row else None

    def runs_on(self, run_date: date) -> list[StandupRun]:
        rows = self._all(
            f"SELECT {_RUN_COLUMNS} FROM standup_runs WHERE run_date = %s ORDER BY team",
            [run_date.isoformat()],
        )
        return [_run(row) for row in rows]

    def open_runs(self, teams: list[str]) -> list[StandupRun]:
        rows = self._all(
            f"SELECT {_RUN_COLUMNS} FROM standup_runs WHERE state = 'open' AND team = ANY(%s)"
            " ORDER BY run_date DESC, id DESC",
            [list(teams)],
        )
        return [_run(row) for row in rows]

    def stamp_run(self, run_id: int, column: str, now: datetime) -> bool:
        if column not in ("asked_at", "reminded_at"):
            raise ValueError(column)
        sql = f"UPDATE standup_runs SET {column} = %s WHERE id = %s AND {column} IS NULL"
        return self._write(sql, [now, run_id]) == 1

    def close_run(self, run_id: int, now: datetime) -> bool:
        return (
            self._write(
                "UPDATE standup_runs SET state = 'reported', reported_at = %s"
                " WHERE id = %s AND state = 'open'",
                [now, run_id],
            )
            == 1
        )

    def add_participants(self, run_id: int, people: dict[str, str]) -> None:
        with connection(self.pool) as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO standup_prompts (run_id, person, language) VALUES (%s, %s, %s)"
                " ON CONFLICT (run_id, person) DO NOTHING",
                [(run_id, person, language) for person, language in people.items()],
            )

    def prompts(self, run_id: int) -> dict[str, Prompt]:
        rows = self._all(
            f"SELECT {_PROMPT_COLUMNS} FROM standup_prompts WHERE run_id = %s ORDER BY id", [run_id]
        )
        return {row[0]: Prompt(*row) for row in rows}

    def claim_ask(self, run_id: int, person: str, now: datetime) -> bool:
        return (
            self._write(
                "UPDATE standup_prompts SET ask_state = 'sending', asked_at = %s"
                " WHERE run_id = %s AND person = %s AND ask_state = 'pending'",
                [now, run_id, person],
            )
            == 1
        )

    def finish_ask(self, run_id: int, person: str, sent: bool) -> None:
        if sent:
            sql = "UPDATE standup_prompts SET ask_state = 'asked'"
        else:
            sql = "UPDATE standup_prompts SET ask_state = 'pending', asked_at = NULL"
        self._write(sql + " WHERE run_id = %s AND person = %s AND ask_state = 'sending'", [run_id, person])

    def claim_remind(self, run_id: int, person: str, now: datetime) -> bool:
        return (
            self._write(
                "UPDATE standup_prompts SET reminded_at = %s WHERE run_id = %s AND person = %s"
                " AND reminded_at IS NULL",
                [now, run_id, person],
            )
            == 1
        )

    def set_skipped(self, run_id: int, person: str, language: str, now: datetime | None) -> bool:
        with connection(self.pool) as conn, conn.transaction():
            if not _is_open(conn, run_id):
                return False
            conn.execute(_ANSWERING, [run_id, person, language])
            conn.execute(
                "UPDATE standup_prompts SET skipped_at = %s WHERE run_id = %s AND person = %s",
                [now, run_id, person],
            )
        return True

    def save_answers(
        self, run_id: int, person: str, language: str, parts: list[tuple[str, str, bool]], now: datetime
    ) -> bool:
        with connection(self.pool) as conn, conn.transaction():
            if not _is_open(conn, run_id):
                return False
            conn.execute(_ANSWERING, [run_id, person, language])
            conn.execute(
                "UPDATE standup_prompts SET skipped_at = NULL, ask_state = CASE ask_state"
                " WHEN 'pending' THEN 'answering' ELSE ask_state END WHERE run_id = %s AND person = %s",
                [run_id, person],
            )
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
        rows = self._all(
            "SELECT person, question, text, updated_at FROM standup_answers WHERE run_id = %s"
            " AND (%s::text IS NULL OR person = %s) ORDER BY id",
            [run_id, person, person],
        )
        return [StoredAnswer(*row) for row in rows]


def _is_open(conn: Any, run_id: int) -> bool:
    """FOR SHARE: a close_run on another replica waits for these answers, or they see it reported."""
    row = conn.execute("SELECT state FROM standup_runs WHERE id = %s FOR SHARE", [run_id]).fetchone()
    return row is not None and row[0] == "open"
