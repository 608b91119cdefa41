"""PersonalChats: the bot's 1:1 chats with people on Teams, sent on the server's event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, Protocol

from handlers.teams.refs import LATEST, TeamsRefs, user_key

log = logging.getLogger(__name__)


class TeamsConnector(Protocol):
    """Outbound Bot Framework calls (handlers/teams/bot_adapter.BotFrameworkBridge implements it)."""

    async def send(self, reference: Mapping[str, Any], activity: Mapping[str, Any]) -> str | None: ...

    async def update(
        self, reference: Mapping[str, Any], activity_id: str, activity: Mapping[str, Any]
    ) -> None: ...

    async def create_conversation(
        self, reference: Mapping[str, Any], parameters: Mapping[str, Any], activity: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str | None]: ...


class PersonalChats:
    """Direct messages to Teams users, and the server's event loop (known once started) on which other
    threads run them. Needs no core: the standup prompter is built on it before the core."""

    def __init__(self, connector: TeamsConnector, refs: TeamsRefs) -> None:
        self.connector, self.refs = connector, refs
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's event loop once started: other threads run proactive sends on it."""
        return self._loop

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._loop = None

    async def direct_message(self, user_id: str, activity: Mapping[str, Any]) -> str | None:
        """DM a Teams user: in the stored personal chat, else a new 1:1 chat opened on a known service."""
        reference = self.refs.reference(user_key(user_id))
        if reference is not None:
            return await self.connector.send(reference, activity)
        latest = self.refs.reference(LATEST)
        if latest is None:
            log.warning("no Teams service known yet: cannot message %s", user_id)
            return None
        tenant = (latest.get("conversation") or {}).get("tenantId")
        parameters: dict[str, Any] = {
            "isGroup": False,
            "bot": latest.get("bot"),
            "members": [{"id": user_id}],
        }
        if tenant:
            parameters.update(tenantId=tenant, channelData={"tenant": {"id": tenant}})
        new_reference, message_id = await self.connector.create_conversation(latest, parameters, activity)
        if new_reference:
            new_reference.pop("activityId", None)
            self.refs.save_reference([user_key(user_id)], new_reference)
        return message_id
