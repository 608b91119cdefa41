"""TeamsNotifier: delivers outbox notices on Teams: cards in team channels, updated in place, and DMs."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Coroutine, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from bot.directory import Directory
from bot.escalations.delivery import Undeliverable
from bot.escalations.models import Escalation, Outcome
from bot.escalations.notices import Notice
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.markup import clip, teams_escape
from bot.storage.refs import LATEST, TeamsRefStore, channel_key
from handlers.teams.activities import PLATFORM
from handlers.teams.personal import PersonalChats, TeamsConnector
from handlers.teams.render import cards
from handlers.teams.render.answers import team_choices

if TYPE_CHECKING:
    from bot.conversation.watchers import Watchers

log = logging.getLogger(__name__)
T = TypeVar("T")
SEND_TIMEOUT = 60.0  # seconds one send may take on the event loop before the delivery is retried


class TeamsNotifier:
    """The Teams Deliverer (bot.escalations.delivery): renders each outbox notice in the worker's
    thread (deliver()) and sends it on the server's event loop. The card is posted to the team channel
    once, then updated in place."""

    platform = PLATFORM

    def __init__(
        self,
        connector: TeamsConnector,
        refs: TeamsRefStore,
        kb: KnowledgeBase,
        directory: Directory,
        *,
        chats: PersonalChats,
        timeout: float = SEND_TIMEOUT,
        watchers: Watchers | None = None,
    ) -> None:
        self.connector, self.refs, self.kb, self.directory = connector, refs, kb, directory
        self.watchers = watchers  # teams looped in get the card too; the card offers the others
        self.timeout = timeout
        # DMs, the loop they are sent on, and people the file names by email only (found in the
        # rosters, cached, forgotten when they fail); shared with the standup prompter
        self.chats = chats

    # ------------------------------------------------------------------ lifecycle
    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's event loop once started: other threads run proactive sends on it."""
        return self.chats.loop

    async def start(self) -> None:
        await self.chats.start()

    async def stop(self) -> None:
        await self.chats.stop()

    def deliver(self, notice: Notice) -> None:
        """Called from the outbox worker's thread: the database reads and the rendering (the loop-in
        suggestions route the summary) run here, only the sends on the server's event loop, where
        they would hold up every request the loop serves (Slack's acks too, in `serve all`)."""
        outcome, escalation = notice.outcome, notice.outcome.escalation
        stale = self.chats.stale(notice.to)  # a learned id that stopped working: look the person up again
        if notice.person and (not notice.to or stale):  # known by email only: found in a roster, if any
            teams_id = self._on_loop(self.chats.person_teams_id(notice.person))
            if not teams_id:
                raise Undeliverable(f"no Teams account known for {notice.person}")
            notice = replace(notice, to=teams_id)
        if notice.kind == "card":
            self._show_card(escalation, notice.to)
        elif notice.kind == "requester":
            self._tell_requester(outcome, notice.to)
        elif notice.kind == "person":
            self._tell_person(escalation, notice.to, notice.level_name)
        elif notice.kind == "channel":
            self._post_text(notice.to, escalation, self._team_language(escalation.team))
        elif notice.kind == "not_reached":
            text = self._requester_text(escalation, "teams-notify-not-reached", error=notice.detail)
            self._require(self.direct_message(notice.to, cards.message(text)))
        elif notice.kind in ("lead", "fallback"):
            self._fall_back(notice)

    def _on_loop(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run one send on the server's event loop and wait for it (at most `timeout`)."""
        loop = self.chats.loop
        if loop is None or loop.is_closed():
            coroutine.close()
            raise RuntimeError("the Teams bot is not running")
        future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        try:
            return future.result(timeout=self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def _require(self, sent: Coroutine[Any, Any, str | None]) -> None:
        if self._on_loop(sent) is None:
            raise Undeliverable("no Teams conversation known for the recipient")

    def _team_language(self, team: str) -> str:
        return self.directory.contact(team).language

    def _card_message(self, escalation: Escalation, language: str) -> dict[str, Any]:
        team_name = self.kb.team_name(escalation.team, language)
        suggested = self.watchers.suggestions(escalation) if self.watchers is not None else ()
        loop_in = [(team, self.kb.team_name(team, language)) for team in suggested]
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

    def _show_card(self, escalation: Escalation, channel: str) -> None:
        shown = dict(self.refs.messages(escalation.id))
        if channel not in shown:
            shown[channel] = ""
        for team in self.watchers.teams(escalation.id) if self.watchers is not None else ():
            watcher_channel = self.directory.contact(team).teams_channel
            if watcher_channel and watcher_channel not in shown:
                shown[watcher_channel] = ""  # a team looped in: its card, then the same updates
        activity = self._card_message(escalation, self._team_language(escalation.team))
        for where, message_id in shown.items():
            reference = self._channel_reference(where)
            if reference is None:
                raise Undeliverable(f"no Teams conversation known for {where}")
            if message_id:
                self._on_loop(self.connector.update(reference, message_id, activity))
            else:
                new_id = self._on_loop(self.connector.send(reference, activity))
                if new_id:
                    self.refs.save_message(escalation.id, where, new_id)

    def _actor_name(self, outcome: Outcome) -> str:
        actor = outcome.actor
        if actor is None or actor.platform == "system":
            return "rolebot"
        person = self.directory.people.get(actor.person_id or "")
        return person.name if person else actor.display_name or actor.user_id

    def _requester_text(self, escalation: Escalation, key: str, **args: Any) -> str:
        return self._text(key, escalation, escalation.language, level=escalation.level + 1, **args)

    def _text(self, key: str, escalation: Escalation, language: str, **args: Any) -> str:
        """`key` in `language` about `escalation`: its ref, summary and team's name, and `args`."""
        team = self.kb.team_name(escalation.team, language)
        return t(language, key, ref=escalation.ref, summary=escalation.summary, team=team, **args)

    def _tell_requester(self, outcome: Outcome, user_id: str) -> None:
        text = self._requester_text(
            outcome.escalation, f"teams-notify-{outcome.action}", actor=self._actor_name(outcome)
        )
        self._require(self.direct_message(user_id, cards.message(text)))

    def _tell_person(self, escalation: Escalation, user_id: str, level_name: str) -> None:
        person = self.directory.person_for(PLATFORM, user_id)
        language = self.directory.language_of(
            person.id if person else None, self._team_language(escalation.team)
        )
        text = self._text("teams-notify-level", escalation, language, level=level_name)
        self._require(self.direct_message(user_id, self._card_with_text(escalation, language, text)))

    def _fall_back(self, notice: Notice) -> None:
        escalation = notice.outcome.escalation
        language = self._team_language(escalation.team)
        text = self._text("teams-notify-fallback", escalation, language, error=notice.detail)
        activity = self._card_with_text(escalation, language, text)
        if notice.kind == "lead":
            self._require(self.direct_message(notice.to, activity))
            return
        reference = self._channel_reference(notice.to)
        if reference is None:
            raise Undeliverable(f"no Teams conversation known for {notice.to}")
        self._on_loop(self.connector.send(reference, activity))

    def _card_with_text(self, escalation: Escalation, language: str, text: str) -> dict[str, Any]:
        activity = self._card_message(escalation, language)
        shown = teams_escape(clip(text, cards.MAX_MESSAGE))  # plain text quoting the summary
        activity["summary"] = shown
        activity["attachments"][0]["content"]["body"].insert(
            0, {"type": "TextBlock", "text": shown, "wrap": True, "color": "Attention"}
        )
        return activity

    def _post_text(self, channel: str, escalation: Escalation, language: str) -> None:
        reference = self._channel_reference(channel)
        if reference is None:
            raise Undeliverable(f"no Teams conversation known for {channel}")
        text = self._text("teams-notify-level", escalation, language, level=escalation.level + 1)
        self._on_loop(self.connector.send(reference, self._card_with_text(escalation, language, text)))

    async def direct_message(self, user_id: str, activity: Mapping[str, Any]) -> str | None:
        return await self.chats.direct_message(user_id, activity)
