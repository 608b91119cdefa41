"""What every Slack listener shares: the core objects, the asker's locale, team lists and private replies."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands.language import Command
from bot.commands.runner import CommandResult
from bot.conversation.assistant import Assistant
from bot.directory import Directory
from bot.escalations.models import Actor
from bot.escalations.service import EscalationService
from bot.identities import Identities
from bot.knowledge import KnowledgeBase
from bot.languages import normalise_language
from handlers.slack.dms import api_error
from handlers.slack.render.blocks import Block, text_message

if TYPE_CHECKING:
    from bot.conversation.channels import ChannelListener
    from bot.conversation.watchers import Watchers
    from bot.standup.service import StandupService

log = logging.getLogger(__name__)


class LocaleCache:
    """Slack users (users.info include_locale: locale, name, email), cached: one Web API call per user
    per hour."""

    def __init__(self, ttl: float = 3600.0, size: int = 5000) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def user(self, client: WebClient, user_id: str) -> dict[str, Any]:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(user_id)
            if hit and hit[0] > now:
                return hit[1]
        try:
            found = client.users_info(user=user_id, include_locale=True)["user"]
            user = found if isinstance(found, dict) else {}
        except SlackApiError as exc:  # no locale is fine: the text's language decides
            log.info("users.info for %s failed: %s", user_id, api_error(exc))
            user = {}
        with self._lock:
            self._items[user_id] = (now + self.ttl, user)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return user

    def locale(self, client: WebClient, user_id: str) -> str | None:
        return self.user(client, user_id).get("locale") or None

    def email_and_name(self, client: WebClient, user_id: str) -> tuple[str | None, str]:
        user = self.user(client, user_id)
        profile = user.get("profile") or {}
        return profile.get("email") or None, str(user.get("real_name") or profile.get("real_name") or "")


class RequestLog:
    """Request keys (event_id / trigger_id) already taken in by this process: the quick first check
    before the inbox (handlers/slack/intake.py), which covers restarts."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = None
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
            return True

    def forget(self, key: str) -> None:
        """Taking the request in failed: its retry must be taken in afresh."""
        with self._lock:
            self._seen.pop(key, None)


@dataclass
class SlackContext:
    """The core objects plus Slack helpers; listeners translate through this and nothing else."""

    assistant: Assistant
    service: EscalationService
    kb: KnowledgeBase
    directory: Directory
    locales: LocaleCache = field(default_factory=LocaleCache)
    standup: StandupService | None = None
    client: WebClient | None = None
    identities: Identities | None = None
    channels: ChannelListener | None = None  # request channels and the escalation reaction
    watchers: Watchers | None = None  # "Loop in TEAM" on escalation cards

    def actor(self, user: dict[str, Any] | str) -> Actor:
        """The Slack user as an actor; someone the file names only by email is found by users.info."""
        user_id = user if isinstance(user, str) else str(user.get("id"))
        name = "" if isinstance(user, str) else str(user.get("name") or user.get("username") or "")
        actor = self.assistant.actor_for("slack", user_id, name)
        if actor.person_id is None and self.identities is not None and self.client is not None:
            client = self.client
            lookup = lambda: self.locales.email_and_name(client, user_id)  # noqa: E731
            if self.identities.should_ask("slack", user_id):
                self.identities.resolve("slack", user_id, lookup)
                actor = self.assistant.actor_for("slack", user_id, name)  # now with person or email
        return actor

    def hint(self, client: WebClient, user_id: str) -> str | None:
        """The user's Slack locale ('sv-SE'), or None (then the text's language decides)."""
        return self.locales.locale(client, user_id)

    def language(self, client: WebClient, user_id: str, text: str = "") -> str:
        """The asker's language: the text's language, the Slack locale, the directory's, else English."""
        actor = self.actor(user_id)
        hint = self.hint(client, user_id)
        if text.strip():
            return self.assistant.language_for(text, actor, hint)
        if hint:
            return normalise_language(hint)
        return self.directory.language_of(actor.person_id)

    def team_name(self, team: str, language: str) -> str:
        return self.kb.team_name(team, language)

    def team_options(self, language: str) -> list[tuple[str, str]]:
        return sorted(((team, self.team_name(team, language)) for team in self.kb.teams), key=lambda o: o[1])

    def run(self, command: Command, actor: Actor, language: str, **where: str | None) -> CommandResult:
        """`command` through the core's one door (bot.commands.runner); `where`: request_id,
        source_channel, message_link."""
        return self.assistant.runner.run(command, actor, language=language, **where)

    def reply_private(
        self,
        client: WebClient,
        channel: str | None,
        user: str,
        text: str,
        blocks: list[Block] | None = None,
        thread_ts: str | None = None,
    ) -> None:
        """Only `user` sees it: in their DM with the bot, else ephemeral in `channel`, else by DM.
        `text` is plain text (it may quote people) and is escaped here; `blocks` are already rendered."""
        payload: dict[str, Any] = text_message(text)
        if blocks:
            payload["blocks"] = blocks
        try:
            if channel and channel.startswith("D"):
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, **payload)
                return
            if channel:
                client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **payload)
                return
        except SlackApiError as exc:  # e.g. not_in_channel: the user still hears back, by DM
            log.info("private reply in %s failed (%s): falling back to DM", channel, api_error(exc))
        try:
            dm = client.conversations_open(users=user)["channel"]["id"]
            client.chat_postMessage(channel=dm, **payload)
        except SlackApiError as exc:
            log.warning("could not reach %s at all: %s", user, api_error(exc))
