"""Inbound Bot Framework activities (as JSON dicts) translated into our types: pure, no SDK imports."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.conversation.assistant import IncomingMessage
from handlers.teams.render.cards import ACTION_KEY, CARD_ACTIONS

PLATFORM = "teams"
_AT_TAG = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


class MalformedActivity(ValueError):
    """The JSON is not a usable activity; the message says what is missing."""


@dataclass(frozen=True)
class Sender:
    """Who sent an activity, and where (conversation, channel, locale)."""

    user_id: str
    aad_object_id: str | None
    display_name: str
    conversation_id: str
    conversation_type: str  # personal | channel | groupChat
    channel_id: str | None  # Teams channel id "19:...@thread.tacv2" for channel conversations
    locale: str | None
    activity_id: str | None
    tenant_id: str | None


@dataclass(frozen=True)
class CardSubmission:
    """An Action.Submit (or Action.Execute) from one of our cards: action name plus its data and inputs."""

    action: str
    data: Mapping[str, Any]
    sender: Sender
    card_activity_id: str | None  # the activity the card was on (replyToId), for updating it in place


@dataclass(frozen=True)
class Installed:
    """The bot was added to a personal chat, team or group chat: greet and remember the conversation."""

    sender: Sender
    members_added: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Removed:
    """The bot was removed from a conversation (or its team): its references must be forgotten."""

    conversation_id: str  # without the ";messageid=" of a channel thread
    team_id: str | None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def require_activity(body: Any) -> Mapping[str, Any]:
    """Check the minimum every activity we act on carries; raise MalformedActivity otherwise."""
    if not isinstance(body, Mapping):
        raise MalformedActivity("the body must be a JSON object")
    if not isinstance(body.get("type"), str) or not body["type"]:
        raise MalformedActivity("type is missing")
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith(
        ("http://", "https://")
    ):
        raise MalformedActivity("serviceUrl is missing or not an http(s) URL")
    conversation = body.get("conversation")
    if not isinstance(conversation, Mapping) or not isinstance(conversation.get("id"), str):
        raise MalformedActivity("conversation.id is missing")
    for party in ("from", "recipient"):
        if body.get(party) is not None and not isinstance(body.get(party), Mapping):
            raise MalformedActivity(f"{party} must be an object")
    return body


def sender_of(activity: Mapping[str, Any]) -> Sender:
    """Who and where, from the activity's from / conversation / channelData."""
    sender = _mapping(activity.get("from"))
    conversation = _mapping(activity.get("conversation"))
    channel_data = _mapping(activity.get("channelData"))
    channel = _mapping(channel_data.get("channel"))
    tenant_id = _mapping(channel_data.get("tenant")).get("id") or conversation.get("tenantId")
    conversation_type = str(
        conversation.get("conversationType") or ("channel" if channel.get("id") else "personal")
    )
    return Sender(
        user_id=str(sender.get("id") or ""),
        aad_object_id=sender.get("aadObjectId") or None,
        display_name=str(sender.get("name") or ""),
        conversation_id=str(conversation.get("id") or ""),
        conversation_type=conversation_type,
        channel_id=str(channel["id"]) if channel.get("id") else None,
        locale=activity.get("locale") if isinstance(activity.get("locale"), str) else None,
        activity_id=activity.get("id") if isinstance(activity.get("id"), str) else None,
        tenant_id=str(tenant_id) if tenant_id else None,
    )


def clean_text(text: str, activity: Mapping[str, Any]) -> str:
    """Message text without @mentions (the bot's and anyone else's), HTML undone."""
    recipient_id = _mapping(activity.get("recipient")).get("id")
    for entity in activity.get("entities") or ():
        entity = _mapping(entity)
        if entity.get("type") == "mention" and _mapping(entity.get("mentioned")).get("id") == recipient_id:
            mention_text = entity.get("text")
            if isinstance(mention_text, str) and mention_text:
                text = text.replace(mention_text, " ")
    text = _AT_TAG.sub(" ", text)  # other people mentioned are not part of the question
    text = _TAG.sub("", _BREAK.sub("\n", text))
    lines = (_SPACES.sub(" ", line).strip() for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line).strip()


def mentions_bot(activity: Mapping[str, Any]) -> bool:
    """The message @mentions the bot (with resource-specific consent, channel posts arrive without)."""
    recipient_id = _mapping(activity.get("recipient")).get("id")
    return any(
        _mapping(entity).get("type") == "mention"
        and _mapping(_mapping(entity).get("mentioned")).get("id") == recipient_id
        for entity in activity.get("entities") or ()
    )


def thread_root(activity: Mapping[str, Any]) -> str | None:
    """The id of a channel message that starts a thread; None for a reply in a thread."""
    sender = sender_of(activity)
    root = sender.conversation_id.partition(";messageid=")[2] or None
    if activity.get("replyToId") or (root is not None and root != sender.activity_id):
        return None
    return sender.activity_id


def message_link(sender: Sender) -> str | None:
    """A Teams deep link to a channel message, so an escalation points back at where it was asked."""
    if sender.channel_id and sender.activity_id:
        return f"https://teams.microsoft.com/l/message/{sender.channel_id}/{sender.activity_id}"
    return None


def request_key(sender: Sender) -> str | None:
    """The idempotency key of an activity: activity ids are unique only within their conversation."""
    return f"{sender.conversation_id}|{sender.activity_id}" if sender.activity_id else None


def to_message(activity: Mapping[str, Any]) -> IncomingMessage:
    """A message activity as the core's IncomingMessage (mention stripped, locale as a hint)."""
    sender = sender_of(activity)
    raw = activity.get("text")
    return IncomingMessage(
        platform=PLATFORM,
        user_id=sender.user_id,
        text=clean_text(raw if isinstance(raw, str) else "", activity),
        display_name=sender.display_name,
        channel=sender.conversation_id,
        request_id=request_key(sender),
        language=sender.locale,
        message_link=message_link(sender),
        direct=sender.conversation_type == "personal",
    )


def to_submission(activity: Mapping[str, Any]) -> CardSubmission | None:
    """The card action carried by a message `value` or an adaptiveCard/action invoke; None if not ours."""
    value = _mapping(activity.get("value"))
    if activity.get("type") == "invoke":
        action = _mapping(value.get("action"))
        value = {**_mapping(action.get("data")), **{k: v for k, v in value.items() if k != "action"}}
    name = value.get(ACTION_KEY)
    if not isinstance(name, str) or name not in CARD_ACTIONS:
        return None
    reply_to = activity.get("replyToId")
    card_id = reply_to if isinstance(reply_to, str) else None
    return CardSubmission(name, dict(value), sender_of(activity), card_id)


def to_installed(activity: Mapping[str, Any]) -> Installed | None:
    """conversationUpdate adding the bot, or installationUpdate 'add': the moment to store a reference."""
    kind = activity.get("type")
    if kind == "installationUpdate":  # "add-upgrade" is a new app version, not a new installation
        return Installed(sender_of(activity)) if activity.get("action", "add") == "add" else None
    if kind != "conversationUpdate":
        return None
    recipient_id = _mapping(activity.get("recipient")).get("id")
    members = (_mapping(member) for member in activity.get("membersAdded") or ())
    added = tuple(str(member["id"]) for member in members if member.get("id"))
    if recipient_id and recipient_id in added:
        return Installed(sender_of(activity), added)
    return None


def team_id(activity: Mapping[str, Any]) -> str | None:
    team = _mapping(_mapping(activity.get("channelData")).get("team"))
    return str(team["id"]) if team.get("id") else None


def to_removed(activity: Mapping[str, Any]) -> Removed | None:
    """conversationUpdate with the bot in membersRemoved, or installationUpdate 'remove'."""
    kind = activity.get("type")
    removed = kind == "installationUpdate" and str(activity.get("action", "")).startswith("remove")
    if kind == "conversationUpdate":
        recipient_id = _mapping(activity.get("recipient")).get("id")
        gone = {str(_mapping(m).get("id")) for m in activity.get("membersRemoved") or ()}
        removed = bool(recipient_id) and recipient_id in gone
    if not removed:
        return None
    conversation = str(_mapping(activity.get("conversation")).get("id") or "").split(";messageid=")[0]
    return Removed(conversation, team_id(activity))


def conversation_reference(activity: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON ConversationReference for proactive messages back into this conversation."""
    conversation = dict(_mapping(activity.get("conversation")))
    # A reference to a channel thread must address the channel itself, not the thread of this message.
    if ";messageid=" in str(conversation.get("id", "")):
        conversation["id"] = str(conversation["id"]).split(";messageid=")[0]
    tenant_id = sender_of(activity).tenant_id
    if tenant_id:  # needed to open new chats in that tenant (the SDK's models drop conversation.tenantId)
        conversation["tenantId"] = tenant_id
    reference = {
        "activityId": activity.get("id"),
        "user": dict(_mapping(activity.get("from"))),
        "bot": dict(_mapping(activity.get("recipient"))),
        "conversation": conversation,
        "channelId": activity.get("channelId") or "msteams",
        "locale": activity.get("locale"),
        "serviceUrl": activity.get("serviceUrl"),
    }
    if team_id(activity):  # ours, so a removal from the team forgets all its channels (the SDK ignores it)
        reference["teamId"] = team_id(activity)
    return reference
