"""SlackRefStore on SQLite: where each escalation's Slack cards were posted (table message_refs)."""

from __future__ import annotations

import threading

from sqlite_utils import Database

from bot.storage.clock import to_iso, utc_now

PLATFORM = "slack"


class SqliteSlackRefs:
    """message_refs rows for platform 'slack'. Give it its own connection (open_stores(path).slack_refs): the
    escalation store serialises its connection with a private lock we cannot share."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()

    def save(self, escalation_id: int, channel: str, ts: str) -> None:
        """Remember the card `ts` in `channel` (a repost to the same channel replaces the old ref)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO message_refs (escalation_id, platform, channel, message_id, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (escalation_id, platform, channel)"
                " DO UPDATE SET message_id = excluded.message_id",
                [escalation_id, PLATFORM, channel, ts, to_iso(utc_now())],
            )
            self._db.conn.commit()

    def cards(self, escalation_id: int) -> list[tuple[str, str]]:
        """(channel id, message ts) of every card posted for the escalation, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT channel, message_id FROM message_refs WHERE escalation_id = ? AND platform = ?"
                " ORDER BY id",
                [escalation_id, PLATFORM],
            ).fetchall()
        return [(str(channel), str(ts)) for channel, ts in rows]
