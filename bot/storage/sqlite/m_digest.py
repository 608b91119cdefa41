"""Digest migrations: the asked-questions record, digest-run leases and indexes for digest queries."""

from __future__ import annotations

from sqlite_utils import Database

from bot.storage.sqlite.m_core import run_statements


def m004_digest_asked_questions(db: Database) -> None:
    """Routed questions (topic only, never the text), claim leases on digest runs, digest indexes."""
    run_statements(
        db,
        # Only what a digest shows: the matched responsibility, not what the person wrote.
        """CREATE TABLE asked_questions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            team TEXT NOT NULL,
            role TEXT,
            topic TEXT NOT NULL,
            language TEXT NOT NULL,
            platform TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX idx_asked_questions_team_created ON asked_questions (team, created_at)",
        # Who holds a pending run and since when: an expired lease means its holder died mid-post.
        "ALTER TABLE digest_runs ADD COLUMN claimed_by TEXT",
        "ALTER TABLE digest_runs ADD COLUMN claimed_at TEXT",
        "CREATE INDEX idx_escalations_team_created ON escalations (team, created_at)",
        "CREATE INDEX idx_escalations_team_resolved ON escalations (team, resolved_at)",
        "CREATE INDEX idx_escalations_team_state_created ON escalations (team, state, created_at)",
    )
