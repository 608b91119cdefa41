"""SQL behind request channels (one answer per thread, the owners' switch) and escalation watchers."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.storage.clock import to_iso, utc_now
from bot.storage.sqlite.database import connection_lock, write_transaction


class SqliteChannelStore:
    """Durable state of listened-to channels: survives restarts and is shared by replicas."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim_thread(
        self, platform: str, channel: str, thread: str, team: str | None, now: datetime | None = None
    ) -> bool:
        """True for the first caller only: the unique key makes a second answer (retry, replica) lose."""
        with write_transaction(self.db) as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO channel_answers (platform, channel, thread, team, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [platform, channel, thread, team, to_iso(now or utc_now())],
            )
            return bool(cursor.rowcount)

    def switch(
        self, platform: str, channel: str, enabled: bool, by: str, now: datetime | None = None
    ) -> None:
        with write_transaction(self.db) as db:
            db.execute(
                "INSERT INTO channel_switches (platform, channel, enabled, changed_by, changed_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, channel) DO UPDATE SET"
                " enabled = excluded.enabled, changed_by = excluded.changed_by,"
                " changed_at = excluded.changed_at",
                [platform, channel, int(enabled), by, to_iso(now or utc_now())],
            )

    def enabled(self, platform: str, channel: str) -> bool | None:
        """The owners' last switch for this channel, or None when nobody switched it."""
        with connection_lock(self.db):
            row = self.db.execute(
                "SELECT enabled FROM channel_switches WHERE platform = ? AND channel = ?",
                [platform, channel],
            ).fetchone()
        return None if row is None else bool(row[0])


class SqliteWatcherStore:
    """Teams watching an escalation (looped in from its card)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, escalation_id: int, team: str, by: str, now: datetime | None = None) -> bool:
        """True when `team` was not watching yet (the unique key keeps one row per team)."""
        with write_transaction(self.db) as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO escalation_watchers (escalation_id, team, added_by, created_at)"
                " VALUES (?, ?, ?, ?)",
                [escalation_id, team, by, to_iso(now or utc_now())],
            )
            return bool(cursor.rowcount)

    def teams(self, escalation_id: int) -> list[str]:
        with connection_lock(self.db):
            rows = self.db.execute(
                "SELECT team FROM escalation_watchers WHERE escalation_id = ? ORDER BY id", [escalation_id]
            ).fetchall()
        return [str(row[0]) for row in rows]
