"""StandupStore on SQLite: runs under a unique (team, date) key, per-person prompts and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from bot.storage import sql as shared
from bot.storage.clock import from_iso, to_iso
from bot.storage.sqlite.database import connection_lock, write_transaction
from bot.storage.standup import Prompt, StandupRun, StoredAnswer


def _run(row: tuple[Any, ...]) -> StandupRun:
    return StandupRun(
        int(row[0]),
        row[1],
        date.fromisoformat(row[2]),
        row[3],
        from_iso(row[4]) or datetime.min,
        from_iso(row[5]),
        from_iso(row[6]),
        from_iso(row[7]),
    )


class SqliteStandupStore:
    """SQL over standup_runs / standup_prompts / standup_answers; every write is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _one(self, sql: str, params: list[Any]) -> tuple[Any, ...] | None:
        with connection_lock(self.db):
            row: tuple[Any, ...] | None = self.db.execute(sql, params).fetchone()
            return row

    def _all(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection_lock(self.db):
            return list(self.db.execute(sql, params).fetchall())

    def _changed_one(self, sql: str, params: list[Any]) -> bool:
        """Run one write in its own transaction; True when it changed exactly one row."""
        with write_transaction(self.db):
            return int(self.db.execute(sql, params).rowcount) == 1

    # ---------------------------------------------------------------- runs
    def open_run(self, team: str, run_date: date, now: datetime) -> tuple[StandupRun, bool]:
        """The (team, date) run, created when missing; True when this call created it."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO standup_runs (team, run_date, state, created_at)"
                " VALUES (?, ?, 'open', ?)",
                [team, run_date.isoformat(), to_iso(now)],
            )
            created = cursor.rowcount == 1
            row = self.db.execute(shared.STANDUP_RUN, [team, run_date.isoformat()]).fetchone()
        return _run(row), created

    def run(self, team: str, run_date: date) -> StandupRun | None:
        row = self._one(shared.STANDUP_RUN, [team, run_date.isoformat()])
        return _run(row) if row else None

    def run_by_id(self, run_id: int) -> StandupRun | None:
        row = self._one(shared.STANDUP_RUN_BY_ID, [run_id])
        return _run(row) if row else None

    def runs_on(self, run_date: date) -> list[StandupRun]:
        rows = self._all(shared.STANDUP_RUNS_ON, [run_date.isoformat()])
        return [_run(row) for row in rows]

    def open_runs(self, teams: list[str]) -> list[StandupRun]:
        """Open runs of `teams`, newest date first."""
        if not teams:
            return []
        marks = ", ".join("?" for _ in teams)
        rows = self._all(shared.open_standup_runs(f"team IN ({marks})"), list(teams))
        return [_run(row) for row in rows]

    def stamp_run(self, run_id: int, column: str, now: datetime) -> bool:
        """Set asked_at / reminded_at once; True for the one caller that set it."""
        return self._changed_one(shared.stamp_standup_run(column), [to_iso(now), run_id])

    def close_run(self, run_id: int, now: datetime) -> bool:
        """Mark the run reported (answers are final from here on); True for the one caller that did."""
        return self._changed_one(shared.CLOSE_STANDUP_RUN, [to_iso(now), run_id])

    # ---------------------------------------------------------------- prompts
    def add_participants(self, run_id: int, people: dict[str, str]) -> None:
        """Prompt rows (person -> language) for everyone not yet in the run, all pending."""
        with write_transaction(self.db):
            for person, language in people.items():
                self.db.execute(
                    "INSERT OR IGNORE INTO standup_prompts (run_id, person, language) VALUES (?, ?, ?)",
                    [run_id, person, language],
                )

    def prompts(self, run_id: int) -> dict[str, Prompt]:
        rows = self._all(shared.STANDUP_PROMPTS, [run_id])
        return {
            row[0]: Prompt(row[0], row[1], from_iso(row[2]), from_iso(row[3]), from_iso(row[4]), row[5])
            for row in rows
        }

    def claim_ask(self, run_id: int, person: str, now: datetime) -> bool:
        """Take the right to ask `person` (pending -> sending). Only one caller ever gets it."""
        return self._changed_one(shared.CLAIM_STANDUP_ASK, [to_iso(now), run_id, person])

    def finish_ask(self, run_id: int, person: str, sent: bool) -> None:
        """After the DM: asked, or back to pending when the platform refused it (asked again later)."""
        self._changed_one(shared.STANDUP_ASKED if sent else shared.STANDUP_NOT_ASKED, [run_id, person])

    def claim_remind(self, run_id: int, person: str, now: datetime) -> bool:
        return self._changed_one(shared.CLAIM_STANDUP_REMINDER, [to_iso(now), run_id, person])

    def set_skipped(self, run_id: int, person: str, language: str, now: datetime | None) -> bool:
        """Skip (or with None, un-skip) `person` in an open run; False when the run is reported."""
        with write_transaction(self.db):
            if not self._take_part(run_id, person, language):
                return False
            self.db.execute(shared.SKIP_STANDUP, [to_iso(now) if now else None, run_id, person])
        return True

    def _take_part(self, run_id: int, person: str, language: str) -> bool:
        """In the caller's transaction: False when the run is reported, else `person` has a prompt row
        (a new one answering: someone who speaks up before being asked is not asked)."""
        row = self.db.execute("SELECT state FROM standup_runs WHERE id = ?", [run_id]).fetchone()
        if row is None or row[0] != "open":
            return False
        self.db.execute(
            "INSERT OR IGNORE INTO standup_prompts (run_id, person, ask_state, language)"
            " VALUES (?, ?, 'answering', ?)",
            [run_id, person, language],
        )
        return True

    # ---------------------------------------------------------------- answers
    def save_answers(
        self, run_id: int, person: str, language: str, parts: list[tuple[str, str, bool]], now: datetime
    ) -> bool:
        """Store (question, text, append) parts in one transaction; False when the run is reported.

        A person answering before being asked gets a prompt row too (state answering), so the
        scheduler will not ask them; answering also lifts a skip."""
        stamp = to_iso(now)
        with write_transaction(self.db):
            if not self._take_part(run_id, person, language):
                return False
            self.db.execute(shared.START_ANSWERING, [run_id, person])
            for question, text, append in parts:
                self.db.execute(
                    "INSERT INTO standup_answers (run_id, person, question, text, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, person, question) DO UPDATE SET"
                    " text = CASE WHEN ? THEN standup_answers.text || char(10) || excluded.text"
                    " ELSE excluded.text END, updated_at = excluded.updated_at",
                    [run_id, person, question, text, stamp, stamp, 1 if append else 0],
                )
        return True

    def answers(self, run_id: int, person: str | None = None) -> list[StoredAnswer]:
        if person is None:
            rows = self._all(shared.STANDUP_ANSWERS + " ORDER BY id", [run_id])
        else:
            rows = self._all(shared.STANDUP_ANSWERS_OF + " ORDER BY id", [run_id, person])
        return [StoredAnswer(row[0], row[1], row[2], from_iso(row[3]) or datetime.min) for row in rows]
