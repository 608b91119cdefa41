"""Request channels (one answer per thread, the owners' switch) and teams watching an escalation."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class ChannelStore(Protocol):
    """Durable state of listened-to channels: survives restarts and is shared by replicas."""

    def claim_thread(
        self, platform: str, channel: str, thread: str, team: str | None, now: datetime | None = None
    ) -> bool:
        """True for the first caller only: a second answer to the same thread (retry, replica) loses."""

    def switch(
        self, platform: str, channel: str, enabled: bool, by: str, now: datetime | None = None
    ) -> None: ...

    def enabled(self, platform: str, channel: str) -> bool | None:
        """The owners' last switch for this channel, or None when nobody switched it."""


class WatcherStore(Protocol):
    """Teams watching an escalation (looped in from its card)."""

    def add(self, escalation_id: int, team: str, by: str, now: datetime | None = None) -> bool:
        """True when `team` was not watching yet (one row per team)."""

    def teams(self, escalation_id: int) -> list[str]: ...
