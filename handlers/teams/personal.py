"""PersonalChats: the bot's 1:1 chats with people on Teams, sent on the server's event loop, and the
Teams ids of people the directory file names by email only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from bot.directory import Person
from bot.identities import Identities
from bot.storage.refs import LATEST, TeamsRefStore, user_key
from handlers.teams.activities import PLATFORM
from handlers.teams.directory_source import _status

if TYPE_CHECKING:
    from handlers.teams.people import Found

FindMember = Callable[[str], Awaitable["Found | None"]]  # email -> the Teams user (handlers/teams/people)
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
    threads run them. Needs no core, so the standup prompter is built on it before the core.

    identities: the core's; people the file names by email only are found with `find_member` in the
    rosters, remembered there, and forgotten when Teams refuses their id."""

    def __init__(
        self,
        connector: TeamsConnector,
        refs: TeamsRefStore,
        identities: Identities,
        *,
        find_member: FindMember | None = None,
    ) -> None:
        self.connector, self.refs = connector, refs
        self.identities, self.find_member = identities, find_member
        self._failed: set[str] = set()  # learned ids that stopped working: their people are looked up again
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's event loop once started: other threads run proactive sends on it."""
        return self._loop

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._loop = None

    def stale(self, user_id: str | None) -> bool:
        """`user_id` was learned by email and Teams has refused it since."""
        return user_id in self._failed

    async def person_teams_id(self, person_id: str) -> str | None:
        """The person's Teams id: from the file or the cache, else found by their email in the rosters
        of the teams the bot is in (then cached)."""
        directory = self.identities.directory
        known = directory.platform_id(person_id, PLATFORM)
        person = directory.people.get(person_id)
        if known or person is None or not person.email or not self.find_member:
            return known
        found = await self.find_member(person.email)
        if found is None:
            return None
        for user_id in found.ids:  # the 29: id first: the one DMs go to
            self.identities.remember(person, PLATFORM, user_id, found.name)
        return found.user_id

    async def dm_person(self, person: Person, activity: Mapping[str, Any]) -> str | None:
        """DM a directory person wherever Teams knows them; None when it does not (or cannot open a chat)."""
        user_id = person.ms_teams or await self.person_teams_id(person.id)
        return await self.direct_message(user_id, activity) if user_id else None

    async def direct_message(self, user_id: str, activity: Mapping[str, Any]) -> str | None:
        """DM a Teams user: in the stored personal chat, else a new 1:1 chat opened on a known service.
        An id learned by email that Teams refuses (403/404: deleted, left the tenant) is forgotten, so the
        next try looks the person up again."""
        try:
            return await self._direct_message(user_id, activity)
        except Exception as exc:
            if _status(exc) in (403, 404):
                self._forget_failed(user_id)
            raise

    def _forget_failed(self, user_id: str) -> None:
        forgotten = self.identities.failed(PLATFORM, user_id)
        self._failed.update(forgotten)  # none for an id from the file: only the file can change it
        for gone in forgotten:
            reference = self.refs.reference(user_key(gone))
            if reference is not None:  # its personal chat goes with it
                self.refs.forget(str((reference.get("conversation") or {}).get("id") or ""))

    async def _direct_message(self, user_id: str, activity: Mapping[str, Any]) -> str | None:
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
