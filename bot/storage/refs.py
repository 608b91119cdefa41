"""Where chat adapters reach people and channels: Teams conversation references, posted card ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

LATEST = "latest"  # the most recent Teams reference seen: its serviceUrl/bot/tenant let us start new chats


def user_key(user_id: str) -> str:
    return f"user:{user_id}"


def channel_key(channel_id: str) -> str:
    return f"channel:{channel_id}"


def removed_key(conversation_id: str) -> str:
    return f"removed:{conversation_id}"


class SlackRefStore(Protocol):
    """Where each escalation's Slack cards were posted, so state changes update them in place."""

    def save(self, escalation_id: int, channel: str, ts: str) -> None:
        """Remember the card `ts` in `channel` (a repost to the same channel replaces the old ref)."""

    def cards(self, escalation_id: int) -> list[tuple[str, str]]:
        """(channel id, message ts) of every card posted for the escalation, oldest first."""


class TeamsRefStore(Protocol):
    """Where to reach Teams people and channels proactively, and which message shows which escalation."""

    def save_reference(self, keys: list[str], reference: Mapping[str, Any]) -> None:
        """Store `reference` under every key (user ids, channel id, LATEST) in one transaction."""

    def forget(self, conversation_id: str, team_id: str | None = None) -> int:
        """Drop every reference into `conversation_id` (and, given, into any channel of `team_id`),
        keeping a tombstone per conversation (see `removed`) and LATEST; returns how many were dropped."""

    def removed(self, conversation_id: str) -> bool:
        """The bot was removed from this conversation (or its team) and has not been added back since."""

    def reference(self, key: str) -> dict[str, Any] | None: ...

    def save_message(self, escalation_id: int, channel: str, message_id: str) -> None: ...

    def message(self, escalation_id: int, channel: str) -> str | None: ...

    def messages(self, escalation_id: int) -> list[tuple[str, str]]:
        """(channel, message id) of every card showing this escalation, oldest first."""

    def team_ids(self) -> list[str]:
        """The Teams teams the bot is in: those of the channels it has seen (and not been removed from)."""
