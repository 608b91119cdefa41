"""Request-channel migrations: threads already answered and channels their owners switched off."""

from __future__ import annotations

from sqlite_utils import Database

from bot.storage.sqlite.m_core import run_statements


def m009_listen_channels(db: Database) -> None:
    """channel_answers (UNIQUE platform, channel, thread): one answer per thread, written before it is
    sent; channel_switches (UNIQUE platform, channel): a request channel its owners turned off or on."""
    run_statements(
        db,
        """CREATE TABLE channel_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform TEXT NOT NULL,
            channel TEXT NOT NULL,
            thread TEXT NOT NULL,
            team TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (platform, channel, thread)
        )""",
        """CREATE TABLE channel_switches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform TEXT NOT NULL,
            channel TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            UNIQUE (platform, channel)
        )""",
    )


def m010_escalation_watchers(db: Database) -> None:
    """escalation_watchers (UNIQUE escalation, team): teams looped in on an escalation get its card too."""
    run_statements(
        db,
        """CREATE TABLE escalation_watchers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            team TEXT NOT NULL,
            added_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (escalation_id, team)
        )""",
    )
