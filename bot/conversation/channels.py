"""Listening where people already ask: request channels, reaction escalations and message escalations."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.commands.language import Command
from bot.conversation.answers import UNSURE_BELOW, Answer
from bot.conversation.asks import asks_for_someone
from bot.conversation.channel_config import ListenChannel
from bot.escalations.models import DEFAULT_PRIORITY, Actor, Outcome
from bot.escalations.validation import MAX_DETAILS
from bot.i18n import t
from bot.routing import Routing

if TYPE_CHECKING:
    from bot.commands.runner import CommandResult, CommandRunner
    from bot.directory import Directory
    from bot.router import Router
    from bot.storage.channels import ChannelStore

log = logging.getLogger(__name__)
SUMMARY_CHARS = 300  # an escalation's summary is the message's first line, cut here
_SWITCH = re.compile(r"^\s*channel\s+(on|off|status)\s*$", re.IGNORECASE)


class Conversation(Protocol):
    """What listening needs of the Assistant (which builds the listener: no import back)."""

    @property
    def directory(self) -> Directory: ...
    @property
    def router(self) -> Router: ...
    @property
    def runner(self) -> CommandRunner: ...
    def language_for(self, text: str, actor: Actor, hint: str | None = None) -> str: ...
    def ask(self, question: str, actor: Actor, *, language: str | None = None) -> Answer: ...


class Message(Protocol):
    """What the `channel ...` switch reads of bot.conversation.assistant.IncomingMessage."""

    @property
    def platform(self) -> str: ...
    @property
    def channel(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def direct(self) -> bool: ...


@dataclass(frozen=True)
class MessageEscalation:
    """What escalating an existing message did: `result` is None when the router could not tell the
    team, a refusal (result.ok false, its text written) or the outcome; `outcome.replayed` when the
    message had already been escalated (nothing new happened)."""

    routing: Routing
    result: CommandResult | None

    @property
    def outcome(self) -> Outcome | None:
        return self.result.outcome if self.result is not None else None

    @property
    def refusal(self) -> str | None:
        """What to tell the person when the workflow refused (too long, unknown team, ...)."""
        return self.result.text if self.result is not None and not self.result.ok else None

    @property
    def opened(self) -> bool:
        return self.outcome is not None and not self.outcome.replayed


def channel_id(platform: str, conversation: str | None) -> str | None:
    """The channel a conversation id belongs to (a Teams thread id carries ';messageid=...')."""
    if not conversation:
        return None
    return conversation.split(";", 1)[0] if platform == "teams" else conversation


class ChannelListener:
    """Decides, for channels the directory names under `listen:`, when rolebot speaks unaddressed."""

    def __init__(self, assistant: Conversation, store: ChannelStore) -> None:
        self.assistant = assistant
        self.store = store

    # ------------------------------------------------------------------ which channels
    def listening(self, platform: str, channel: str | None) -> ListenChannel | None:
        """The directory's entry for this channel, unless its owners switched it off."""
        entry = self.assistant.directory.listen_channel(platform, channel_id(platform, channel))
        if entry is None or self.store.enabled(platform, entry.id_on(platform) or "") is False:
            return None
        return entry

    def reaction_escalates(self, platform: str, channel: str | None, reaction: str) -> bool:
        """`reaction` (an emoji name; skin tones ignored) is this channel's escalation reaction."""
        entry = self.listening(platform, channel)
        return entry is not None and entry.reactions and reaction.split("::")[0] == entry.emoji

    # ------------------------------------------------------------------ request channels
    def answer(
        self, platform: str, channel: str, thread: str, actor: Actor, text: str, hint: str | None = None
    ) -> Answer | None:
        """The answer to post in a new thread of a request channel, or None to stay silent: the
        message must ask for someone, the router must be sure (not unsure, no close runner-up), and
        the thread unanswered."""
        entry = self.listening(platform, channel)
        if entry is None or not entry.requests or not text.strip():
            return None
        language = self.assistant.language_for(text, actor, hint)
        if not asks_for_someone(text, language):
            return None
        routing = self.assistant.router.route(text, language)
        if routing.team is None or routing.confidence < UNSURE_BELOW or routing.alternatives:
            return None  # unaddressed, rolebot speaks only when the answer is neither unsure nor close
        if not self.store.claim_thread(platform, channel, thread, routing.team):
            return None  # already answered (a retry, a replica, or an edit of the first message)
        return self.assistant.ask(text, actor, language=language)

    # ------------------------------------------------------------------ escalating a message
    def escalate_message(
        self,
        actor: Actor,
        *,
        platform: str,
        channel: str,
        message_id: str,
        text: str,
        details: str = "",
        link: str | None = None,
        language: str,
        team: str | None = None,
        summary: str | None = None,
        priority: str = DEFAULT_PRIORITY,
    ) -> MessageEscalation:
        """Open one escalation for an existing message, routed like a question unless `team` is given.
        Keyed by the message (platform, channel, message id) in processed_requests: another reaction,
        another person or a retried request finds the first escalation and opens nothing."""
        routing = self.assistant.router.route(text, language)
        chosen = team or routing.team
        if chosen is None:
            return MessageEscalation(routing, None)
        first_line = (text.strip().splitlines() or [""])[0][:SUMMARY_CHARS]
        command = Command(
            "escalate",
            team=chosen,
            role=routing.role if chosen == routing.team else None,
            text=(summary or "").strip() or first_line,
            priority=priority,
            details=details[:MAX_DETAILS],
        )
        result = self.assistant.runner.run(
            command,
            actor,
            language=language,
            source_channel=channel,
            message_link=link,
            # the message's key, whoever asks: one message, one escalation
            shared_request_id=f"message:{platform}:{channel_id(platform, channel)}:{message_id}",
        )
        return MessageEscalation(routing, result)

    # ------------------------------------------------------------------ the owners' switch
    def command(self, text: str, actor: Actor, message: Message) -> str | None:
        """`channel off|on|status`, typed (mentioning the bot) in a listened-to channel."""
        match = _SWITCH.match(text)
        if match is None or message.direct:
            return None
        language = self.assistant.language_for("", actor, message.language)
        platform = message.platform
        entry = self.assistant.directory.listen_channel(platform, channel_id(platform, message.channel))
        if entry is None:
            return t(language, "channels-not-listening")
        verb, key = match.group(1).lower(), entry.id_on(platform) or ""
        if verb == "status":
            on = self.store.enabled(platform, key) is not False
            return t(language, "channels-status-on" if on else "channels-status-off")
        if not self._may_switch(entry, actor):
            return t(language, "channels-switch-forbidden")
        self.store.switch(platform, key, verb == "on", actor.key)
        log.info("channel %s switched %s by %s", entry.name, verb, actor.key)
        return t(language, "channels-switched-on" if verb == "on" else "channels-switched-off")

    def _may_switch(self, entry: ListenChannel, actor: Actor) -> bool:
        person = actor.person_id
        if person is None:
            return False
        directory = self.assistant.directory
        team_owners = directory.contact(entry.team).owners if entry.team else ()
        return person in entry.owners or person in team_owners or directory.is_admin(person)
