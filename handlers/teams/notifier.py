"""TeamsNotifier (bot.ports.Notifier): escalation cards in team channels, updated in place, and DMs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from bot.directory import Directory
from bot.escalations.models import AuditEvent, Escalation, Outcome
from bot.escalations.policy import level_recipients
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.markup import clip, teams_escape
from handlers.teams import cards
from handlers.teams.activities import PLATFORM
from handlers.teams.refs import LATEST, TeamsRefs, channel_key, user_key
from handlers.teams.turns import team_choices

if TYPE_CHECKING:
    from bot.watchers import Watchers

log = logging.getLogger(__name__)
History = Callable[[int], list[AuditEvent]]
_DM_ACTIONS = frozenset(
    {"acknowledged", "resolved", "reopened", "cancelled", "reassigned", "commented", "bumped"}
)


class TeamsConnector(Protocol):
    """Outbound Bot Framework calls (handlers/teams/bot_adapter.BotFrameworkBridge implements it)."""

    async def send(self, reference: Mapping[str, Any], activity: Mapping[str, Any]) -> str | None: ...

    async def update(
        self, reference: Mapping[str, Any], activity_id: str, activity: Mapping[str, Any]
    ) -> None: ...

    async def create_conversation(
        self, reference: Mapping[str, Any], parameters: Mapping[str, Any], activity: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str | None]: ...


class TeamsNotifier:
    """notify() only queues (it is called inside the core, from any thread); a task on the server's
    event loop delivers in order, so a card is always posted before it is updated."""

    def __init__(
        self,
        connector: TeamsConnector,
        refs: TeamsRefs,
        kb: KnowledgeBase,
        directory: Directory,
        *,
        history: History | None = None,
        watchers: Watchers | None = None,
    ) -> None:
        self.connector, self.refs, self.kb, self.directory = connector, refs, kb, directory
        self.history = history
        self.watchers = watchers  # teams looped in get the card too; the card offers the others
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[Outcome] | None = None
        self._task: asyncio.Task[None] | None = None
        self.failures = 0  # deliveries that raised; logged, never retried into duplicates

    # ------------------------------------------------------------------ lifecycle
    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's event loop once started: other threads run proactive sends on it."""
        return self._loop

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._task = asyncio.create_task(self._work(), name="teams-notifier")

    async def drain(self) -> None:
        """Wait until everything queued so far is delivered (tests, graceful shutdown)."""
        if self._queue is not None:
            await self._queue.join()

    async def stop(self) -> None:
        await self.drain()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def notify(self, outcome: Outcome) -> None:
        if outcome.replayed:
            return  # the first delivery already told everyone
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            log.warning(
                "teams notifier not running: %s %s not delivered", outcome.action, outcome.escalation.ref
            )
            return
        if _running_loop() is loop:
            queue.put_nowait(outcome)
        else:
            loop.call_soon_threadsafe(queue.put_nowait, outcome)

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            outcome = await self._queue.get()
            try:
                await self.deliver(outcome)
            except Exception:
                self.failures += 1
                log.exception("teams delivery failed for %s %s", outcome.action, outcome.escalation.ref)
            finally:
                self._queue.task_done()

    # ------------------------------------------------------------------ delivery
    async def deliver(self, outcome: Outcome) -> None:
        """Card in the team channel (posted or updated in place), the requester's DM, the next level."""
        escalation = outcome.escalation
        await self._show_card(escalation)
        if outcome.action in _DM_ACTIONS:
            await self._tell_requester(outcome)
        if outcome.notify_level and outcome.action == "bumped":
            await self._tell_level(escalation, outcome.notify_level)

    def _team_language(self, team: str) -> str:
        return self.directory.contact(team).language

    def _card_message(self, escalation: Escalation, language: str) -> dict[str, Any]:
        team_name = (
            self.kb.team(escalation.team).name(language)
            if escalation.team in self.kb.teams
            else escalation.team
        )
        suggested = self.watchers.suggestions(escalation) if self.watchers is not None else ()
        loop_in = [(team, self.kb.team(team).name(language)) for team in suggested]
        card = cards.escalation_card(
            escalation, language, team_name, team_choices(self.kb, language), loop_in=loop_in
        )
        return cards.message(cards.escalation_title(escalation, language), card)

    def _channel_reference(self, channel: str) -> dict[str, Any] | None:
        if self.refs.removed(channel):
            return None  # the bot was removed from there: a post could only fail
        reference = self.refs.reference(channel_key(channel))
        if reference is not None:
            return reference
        latest = self.refs.reference(LATEST)
        if latest is None:
            return None
        # Never talked in that channel yet: address it on the service we know (the bot must be in the team).
        return {**latest, "conversation": {"id": channel, "isGroup": True, "conversationType": "channel"}}

    async def _show_card(self, escalation: Escalation) -> None:
        shown = dict(self.refs.messages(escalation.id))
        channel = self.directory.contact(escalation.team).teams_channel
        if channel and channel not in shown:
            shown[channel] = ""
        for team in self.watchers.teams(escalation.id) if self.watchers is not None else ():
            watcher_channel = self.directory.contact(team).teams_channel
            if watcher_channel and watcher_channel not in shown:
                shown[watcher_channel] = ""  # a team looped in: its card, then the same updates
        for where, message_id in shown.items():
            reference = self._channel_reference(where)
            if reference is None:
                log.warning("no Teams conversation known for %s: %s card not posted", where, escalation.ref)
                continue
            activity = self._card_message(escalation, self._team_language(escalation.team))
            if message_id:
                await self.connector.update(reference, message_id, activity)
            else:
                new_id = await self.connector.send(reference, activity)
                if new_id:
                    self.refs.save_message(escalation.id, where, new_id)

    def _actor_name(self, escalation: Escalation, action: str) -> str | None:
        """Who did `action` (None when it was the requester, who needs no message about it)."""
        events = self.history(escalation.id) if self.history else []
        event = next((e for e in reversed(events) if e.action == action), None)
        if event is None:
            return ""
        platform, _, user_id = event.actor.partition(":")
        if (platform, user_id) == (escalation.requester.platform, escalation.requester.user_id):
            return None
        person = self.directory.person_for(platform, user_id)
        return person.name if person else user_id

    async def _tell_requester(self, outcome: Outcome) -> None:
        escalation = outcome.escalation
        if escalation.requester.platform != PLATFORM:
            return  # people who asked on another surface are told there
        actor = self._actor_name(escalation, outcome.action)
        if actor is None:
            return
        language = escalation.language
        team = (
            self.kb.team(escalation.team).name(language)
            if escalation.team in self.kb.teams
            else escalation.team
        )
        text = t(
            language,
            f"teams-notify-{outcome.action}",
            ref=escalation.ref,
            summary=escalation.summary,
            actor=actor or "rolebot",
            team=team,
            level=escalation.level + 1,
        )
        await self.direct_message(escalation.requester.user_id, cards.message(text))

    async def _tell_level(self, escalation: Escalation, level: int) -> None:
        recipients = level_recipients(escalation, self.directory, self.kb, level)
        team = recipients.team
        for person_id in recipients.person_ids:
            person = self.directory.people.get(person_id)
            teams_id = self.directory.platform_id(person_id, "teams")  # the file's, or learned by email
            if person is None or not teams_id:
                continue
            language = person.language or self._team_language(team)
            text = t(
                language,
                "teams-notify-level",
                ref=escalation.ref,
                summary=escalation.summary,
                team=self.kb.team(escalation.team).name(language),
                level=recipients.level.name,
            )
            await self.direct_message(teams_id, self._card_with_text(escalation, language, text))
        if recipients.teams_channel and recipients.team != escalation.team:
            await self._post_text(recipients.teams_channel, escalation, self._team_language(team))

    def _card_with_text(self, escalation: Escalation, language: str, text: str) -> dict[str, Any]:
        activity = self._card_message(escalation, language)
        shown = teams_escape(clip(text, cards.MAX_MESSAGE))  # plain text quoting the summary
        activity["summary"] = shown
        activity["attachments"][0]["content"]["body"].insert(
            0, {"type": "TextBlock", "text": shown, "wrap": True, "color": "Attention"}
        )
        return activity

    async def _post_text(self, channel: str, escalation: Escalation, language: str) -> None:
        reference = self._channel_reference(channel)
        if reference is not None:
            text = t(
                language,
                "teams-notify-level",
                ref=escalation.ref,
                summary=escalation.summary,
                team=self.kb.team(escalation.team).name(language),
                level=escalation.level + 1,
            )
            await self.connector.send(reference, self._card_with_text(escalation, language, text))

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


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
