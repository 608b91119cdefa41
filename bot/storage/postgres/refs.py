"""Slack and Teams references on PostgreSQL: a card posted by one replica is found by every other."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.storage.clock import utc_now
from bot.storage.postgres.base import PoolStore
from bot.storage.postgres.pool import connection
from bot.storage.refs import LATEST, removed_key

_SAVE_MESSAGE = (
    "INSERT INTO message_refs (escalation_id, platform, channel, message_id, created_at)"
    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (escalation_id, platform, channel)"
    " DO UPDATE SET message_id = excluded.message_id"
)
_MESSAGES = (
    "SELECT channel, message_id FROM message_refs WHERE escalation_id = %s AND platform = %s ORDER BY id"
)


class PostgresSlackRefs(PoolStore):
    def save(self, escalation_id: int, channel: str, ts: str) -> None:
        self._write(_SAVE_MESSAGE, [escalation_id, "slack", channel, ts, utc_now()])

    def cards(self, escalation_id: int) -> list[tuple[str, str]]:
        return [(str(c), str(ts)) for c, ts in self._all(_MESSAGES, [escalation_id, "slack"])]


class PostgresTeamsRefs(PoolStore):
    def save_reference(self, keys: list[str], reference: Mapping[str, Any]) -> None:
        text = json.dumps(dict(reference), ensure_ascii=False, sort_keys=True)
        conversation = str((reference.get("conversation") or {}).get("id") or "")
        now = utc_now()
        with connection(self.pool) as conn, conn.transaction():
            conn.execute(  # talked to there again: installed again
                "DELETE FROM conversation_refs WHERE platform = 'teams' AND key = %s",
                [removed_key(conversation)],
            )
            for key in keys:
                conn.execute(
                    "INSERT INTO conversation_refs (platform, key, reference, updated_at)"
                    " VALUES ('teams', %s, %s, %s) ON CONFLICT (platform, key) DO UPDATE SET"
                    " reference = excluded.reference, updated_at = excluded.updated_at",
                    [key, text, now],
                )

    def forget(self, conversation_id: str, team_id: str | None = None) -> int:
        # %% is a literal % here (psycopg placeholders); the JSON is read with PostgreSQL's jsonb operators.
        where = (
            "platform = 'teams' AND key != %(latest)s AND key NOT LIKE 'removed:%%'"
            " AND (reference::jsonb #>> '{conversation,id}' = %(conversation)s"
            " OR (%(team)s::text IS NOT NULL AND reference::jsonb ->> 'teamId' = %(team)s))"
        )
        args = {"latest": LATEST, "conversation": conversation_id, "team": team_id}
        now = utc_now()
        with connection(self.pool) as conn, conn.transaction():
            rows = conn.execute(
                f"DELETE FROM conversation_refs WHERE {where}"
                " RETURNING reference::jsonb #>> '{conversation,id}'",
                args,
            ).fetchall()
            for gone in {conversation_id, *(str(row[0]) for row in rows if row[0])}:
                conn.execute(
                    "INSERT INTO conversation_refs (platform, key, reference, updated_at)"
                    " VALUES ('teams', %s, %s, %s) ON CONFLICT (platform, key) DO UPDATE SET"
                    " reference = excluded.reference, updated_at = excluded.updated_at",
                    [removed_key(gone), json.dumps({"conversation": {"id": gone}}), now],
                )
        return len(rows)

    def removed(self, conversation_id: str) -> bool:
        return self.reference(removed_key(conversation_id)) is not None

    def team_ids(self) -> list[str]:
        """The Teams teams the bot is in: those of the channels it has seen (and not been removed from)."""
        rows = self._all(
            "SELECT DISTINCT reference::jsonb ->> 'teamId' AS team FROM conversation_refs"
            " WHERE platform = 'teams' AND reference::jsonb ->> 'teamId' IS NOT NULL ORDER BY team"
        )
        return [str(row[0]) for row in rows]

    def reference(self, key: str) -> dict[str, Any] | None:
        row = self._one(
            "SELECT reference FROM conversation_refs WHERE platform = 'teams' AND key = %s", [key]
        )
        return json.loads(row[0]) if row else None

    def save_message(self, escalation_id: int, channel: str, message_id: str) -> None:
        self._write(_SAVE_MESSAGE, [escalation_id, "teams", channel, message_id, utc_now()])

    def message(self, escalation_id: int, channel: str) -> str | None:
        row = self._one(
            "SELECT message_id FROM message_refs WHERE escalation_id = %s AND platform = 'teams'"
            " AND channel = %s",
            [escalation_id, channel],
        )
        return str(row[0]) if row else None

    def messages(self, escalation_id: int) -> list[tuple[str, str]]:
        return [(str(c), str(m)) for c, m in self._all(_MESSAGES, [escalation_id, "teams"])]
