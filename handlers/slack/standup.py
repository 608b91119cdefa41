"""Standups on Slack: the prompter that DMs each participant, and the report's blocker button."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.directory import Person
from bot.i18n import t
from bot.markup import slack_escape
from bot.standup.render import ESCALATE_ACTION
from handlers.slack.context import SlackContext
from handlers.slack.dms import GONE_USER_ERRORS, api_error
from handlers.slack.render import blocks

log = logging.getLogger(__name__)
DmChannel = Callable[[str], str]  # Slack user id -> the bot's DM channel with them

__all__ = ["ESCALATE_ACTION", "NoSlackAccount", "SlackStandupPrompter", "escalate_blocker_button"]


class NoSlackAccount(LookupError):
    """Slack does not know the person (no id in the directory, none found by email)."""


class SlackPeople(Protocol):
    """Slack ids of people the file names by email only (handlers/slack/dms.SlackPeopleIds implements it)."""

    def person_slack_id(self, person_id: str) -> str | None: ...

    def forget_id(self, user_id: str) -> bool: ...


class SlackStandupPrompter:
    """bot.standup.ports.StandupPrompter: the question and the reminder as a DM (conversations.open,
    then chat.postMessage). Raises on any failure, so the service asks again on the next tick.

    people: finds the Slack id of someone the file names by email only (users.lookupByEmail, cached)
    and forgets a found id that stops working, so the next tick looks them up again."""

    def __init__(
        self, client: WebClient, dm_channel: DmChannel | None = None, people: SlackPeople | None = None
    ) -> None:
        self.client = client
        self.dm_channel = dm_channel or self._open
        self.people = people

    def user_id(self, person: Person) -> str | None:
        """The person's Slack id: the file's, else the one found by their email (a look-up error raises)."""
        if person.slack:
            return person.slack
        return self.people.person_slack_id(person.id) if self.people is not None else None

    def reaches(self, person: Person) -> bool:
        return self.user_id(person) is not None

    def _open(self, user_id: str) -> str:
        return str(self.client.conversations_open(users=user_id)["channel"]["id"])

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        self._send(person, question_text)

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        self._send(person, text)

    def _send(self, person: Person, text: str) -> None:
        user = self.user_id(person)
        if not user:
            raise NoSlackAccount(f"{person.id} has no slack user id in the directory, nor one by email")
        # The text is already in the person's language; a SlackApiError propagates (retried later).
        try:
            self.client.chat_postMessage(channel=self.dm_channel(user), **blocks.text_message(text))
        except SlackApiError as exc:
            if self.people is not None and api_error(exc) in GONE_USER_ERRORS:
                self.people.forget_id(user)  # learned by email: looked up again on the next tick
            raise


def escalated_blocks(message_blocks: list[blocks.Block], key: str, note: str) -> list[blocks.Block] | None:
    """The clicked report's blocks with that blocker's button replaced by `note` (None: not found)."""
    updated = copy.deepcopy(message_blocks)
    for block in updated:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == ESCALATE_ACTION and accessory.get("value") == key:
            del block["accessory"]
            text = block.get("text") or {"type": "mrkdwn", "text": ""}
            text["text"] = f"{text.get('text', '')}\n{slack_escape(note)}".strip()
            block["text"] = text
            return updated
    return None


def escalate_blocker_button(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """The report's "Escalate to TEAM" button: one escalation per blocker however often it is clicked
    (the service's request id); the clicker is told privately, and the report shows the reference."""
    user = str(body["user"]["id"])
    key = str(body["actions"][0].get("value") or "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    language = ctx.language(client, user)
    actor = ctx.actor(body["user"])
    result = ctx.assistant.runner.escalate_blocker(ctx.standup, key, actor, language=language)
    ctx.reply_private(client, channel, user, result.text)
    if result.escalation is not None:
        note = t(language, "standup-blocker-escalated", ref=result.escalation.ref)
        _show_escalated(client, body, key, note)


def _show_escalated(client: WebClient, body: dict[str, Any], key: str, note: str) -> None:
    """Swap the button for the reference in the posted report, so nobody else is offered it."""
    message = body.get("message") or {}
    container = body.get("container") or {}
    updated = escalated_blocks(list(message.get("blocks") or []), key, note)
    channel, ts = container.get("channel_id"), container.get("message_ts") or message.get("ts")
    if updated is None or not channel or not ts:
        return
    try:
        client.chat_update(channel=channel, ts=ts, blocks=updated, text=str(message.get("text") or note))
    except SlackApiError as exc:  # the escalation exists and the clicker was told: a stale button is harmless
        log.warning("could not update the standup report in %s: %s", channel, api_error(exc))
