"""Standup migrations: runs (one per team and day), who was asked, and their answers."""

from __future__ import annotations

from sqlite_utils import Database

from bot.storage.sqlite.m_core import run_statements


def m006_standup(db: Database) -> None:
    """standup_runs (UNIQUE team, date), standup_prompts (UNIQUE run, person), standup_answers."""
    run_statements(
        db,
        """CREATE TABLE standup_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            team TEXT NOT NULL,
            run_date TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'reported')),
            created_at TEXT NOT NULL,
            asked_at TEXT,
            reminded_at TEXT,
            reported_at TEXT,
            UNIQUE (team, run_date)
        )""",
        # One row per participant and run, written before they are asked: nobody is asked twice.
        # ask_state: pending (not asked yet) | sending (claimed) | asked | answering (answered unasked)
        """CREATE TABLE standup_prompts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES standup_runs (id),
            person TEXT NOT NULL,
            ask_state TEXT NOT NULL DEFAULT 'pending',
            asked_at TEXT,
            reminded_at TEXT,
            skipped_at TEXT,
            language TEXT NOT NULL DEFAULT 'en',
            UNIQUE (run_id, person)
        )""",
        """CREATE TABLE standup_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES standup_runs (id),
            person TEXT NOT NULL,
            question TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (run_id, person, question)
        )""",
        "CREATE INDEX idx_standup_runs_date ON standup_runs (run_date, state)",
    )
