"""TeamsRefStore on SQLite: conversation references and posted card ids (conversation_refs, message_refs)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from bot.storage.clock import to_iso, utc_now
from bot.storage.refs import LATEST, removed_key

PLATFORM = "teams"


class SqliteTeamsRefs:
    """Where to reach people and channels proactively, and which message shows which escalation.

    Give it its own connection (open_stores(path).teams_refs): the escalation store serialises its shared
    connection with a private lock, and our transactions must not interleave with its."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def save_reference(self, keys: list[str], reference: Mapping[str, Any]) -> None:
        """Store `reference` under every key (user ids, channel id, LATEST) in one transaction."""
        text = json.dumps(dict(reference), ensure_ascii=False, sort_keys=True)
        now = to_iso(utc_now())
        conversation = str((reference.get("conversation") or {}).get("id") or "")
        with self._write():
            self.db.execute(  # talked to there again: installed again
                "DELETE FROM conversation_refs WHERE platform = ? AND key = ?",
                [PLATFORM, removed_key(conversation)],
            )
            for key in keys:
                self.db.execute(
                    "INSERT INTO conversation_refs (platform, key, reference, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (platform, key) DO UPDATE SET reference = excluded.reference,"
                    " updated_at = excluded.updated_at",
                    [PLATFORM, key, text, now],
                )

    def forget(self, conversation_id: str, team_id: str | None = None) -> int:
        """Drop every reference into `conversation_id` (and, given, into any channel of `team_id`): the bot
        was removed there. Each such conversation keeps a tombstone (see `removed`) until the bot is back;
        LATEST stays, for the service to open chats on."""
        where = (
            "platform = ? AND key != ? AND key NOT LIKE 'removed:%'"
            " AND (json_extract(reference, '$.conversation.id') = ?"
            " OR (? IS NOT NULL AND json_extract(reference, '$.teamId') = ?))"
        )
        args = [PLATFORM, LATEST, conversation_id, team_id, team_id]
        now = to_iso(utc_now())
        with self._write():
            rows = self.db.execute(
                f"SELECT json_extract(reference, '$.conversation.id') FROM conversation_refs WHERE {where}",
                args,
            ).fetchall()
            self.db.execute(f"DELETE FROM conversation_refs WHERE {where}", args)
            for gone in {conversation_id, *(str(row[0]) for row in rows if row[0])}:
                self.db.execute(
                    "INSERT OR REPLACE INTO conversation_refs (platform, key, reference, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    [PLATFORM, removed_key(gone), json.dumps({"conversation": {"id": gone}}), now],
                )
        return len(rows)

    def removed(self, conversation_id: str) -> bool:
        """The bot was removed from this conversation (or its team) and has not been added back since."""
        return self.reference(removed_key(conversation_id)) is not None

    def team_ids(self) -> list[str]:
        """The Teams teams the bot is in: those of the channels it has seen (and not been removed from)."""
        with self._lock:
            rows = self.db.execute(
                "SELECT DISTINCT json_extract(reference, '$.teamId') FROM conversation_refs"
                " WHERE platform = ? AND json_extract(reference, '$.teamId') IS NOT NULL ORDER BY 1",
                [PLATFORM],
            ).fetchall()
        return [str(row[0]) for row in rows]

    def reference(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self.db.execute(
                "SELECT reference FROM conversation_refs WHERE platform = ? AND key = ?", [PLATFORM, key]
            ).fetchone()
        return json.loads(row[0]) if row else None

    def save_message(self, escalation_id: int, channel: str, message_id: str) -> None:
        with self._write():
            self.db.execute(
                "INSERT INTO message_refs (escalation_id, platform, channel, message_id, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (escalation_id, platform, channel)"
                " DO UPDATE SET message_id = excluded.message_id",
                [escalation_id, PLATFORM, channel, message_id, to_iso(utc_now())],
            )

    def message(self, escalation_id: int, channel: str) -> str | None:
        with self._lock:
            row = self.db.execute(
                "SELECT message_id FROM message_refs"
                " WHERE escalation_id = ? AND platform = ? AND channel = ?",
                [escalation_id, PLATFORM, channel],
            ).fetchone()
        return str(row[0]) if row else None

    def messages(self, escalation_id: int) -> list[tuple[str, str]]:
        """(channel, message id) of every card showing this escalation, oldest first."""
        with self._lock:
            rows = self.db.execute(
                "SELECT channel, message_id FROM message_refs WHERE escalation_id = ? AND platform = ?"
                " ORDER BY id",
                [escalation_id, PLATFORM],
            ).fetchall()
        return [(str(channel), str(message_id)) for channel, message_id in rows]
