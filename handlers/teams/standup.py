"""Standups on Teams: the prompter that writes in each participant's personal chat, and the report's
blocker button (Action.Submit data {"action": "standup_escalate_blocker", "blocker": key})."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from bot.directory import Person
from bot.standup.render import ESCALATE_ACTION
from handlers.teams.activities import Sender, sender_of
from handlers.teams.render import cards

if TYPE_CHECKING:
    from handlers.teams.personal import PersonalChats

SEND_TIMEOUT = 60.0
T = TypeVar("T")


class NotDelivered(RuntimeError):
    """The personal message could not be sent (no Teams id, no known service, the bot not running)."""


class TeamsStandupPrompter:
    """bot.standup.ports.StandupPrompter: the question and the reminder in the person's personal chat,
    through PersonalChats.dm_person (the stored personal conversation, else a new 1:1 chat). Called
    from the scheduler's thread; the send runs on the server's event loop. Raises when nothing was sent,
    so the service asks again on the next tick."""

    def __init__(self, chats: PersonalChats, timeout: float = SEND_TIMEOUT) -> None:
        self.chats, self.timeout = chats, timeout

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        self._send(person, question_text)

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        self._send(person, text)

    def reaches(self, person: Person) -> bool:
        """Whether Teams knows the person: an id in the file or the cache, else found by their email."""
        if person.ms_teams:
            return True
        try:
            return bool(self._run(self.chats.person_teams_id(person.id)))
        except NotDelivered:
            return False

    def _send(self, person: Person, text: str) -> None:
        # the file's id, else the one learned or found by email (re-resolved when it stops working)
        message_id = self._run(self.chats.dm_person(person, cards.message(text)))
        if message_id is None:
            raise NotDelivered(f"no Teams account known for {person.id}, or no chat could be opened")

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        loop = self.chats.loop
        if loop is None or loop.is_closed():
            work.close()
            raise NotDelivered("the Teams bot is not running")
        if _running_loop() is loop:  # waiting here for the loop would block it forever
            work.close()
            raise RuntimeError("call the prompter from another thread than the Teams event loop")
        future = asyncio.run_coroutine_threadsafe(work, loop)
        try:
            return future.result(timeout=self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise


@dataclass(frozen=True)
class BlockerClick:
    """A press on a standup report's "Escalate to TEAM" button."""

    key: str
    sender: Sender
    data: Mapping[str, Any]


def blocker_click(activity: Mapping[str, Any]) -> BlockerClick | None:
    """The blocker button's submission (a message with `value`, or an adaptiveCard/action invoke)."""
    value = activity.get("value")
    value = value if isinstance(value, Mapping) else {}
    if activity.get("type") == "invoke":
        action = value.get("action")
        data = action.get("data") if isinstance(action, Mapping) else None
        value = data if isinstance(data, Mapping) else {}
    if value.get("action") != ESCALATE_ACTION:
        return None
    key = value.get("blocker")
    return BlockerClick(key.strip() if isinstance(key, str) else "", sender_of(activity), dict(value))


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
