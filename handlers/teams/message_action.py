"""Teams' "Escalate this message" message action: composeExtension/fetchTask and /submitAction invokes."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.conversation.assistant import Assistant
from bot.conversation.channels import ChannelListener
from bot.escalations.models import DEFAULT_PRIORITY, PRIORITIES, Actor
from bot.escalations.validation import MAX_SUMMARY
from bot.i18n import t
from bot.markup import teams_escape
from handlers.teams.activities import Sender, clean_text
from handlers.teams.render.cards import CARD_CONTENT_TYPE, CARD_VERSION

log = logging.getLogger(__name__)
COMMAND_ID = "escalateMessage"  # composeExtensions[0].commands[0].id in the app manifest
FETCH_TASK = "composeExtension/fetchTask"
SUBMIT_ACTION = "composeExtension/submitAction"
SUMMARY_PREFILL = 300


@dataclass(frozen=True)
class MessageAction:
    """One invoke of our message action: the message it was used on, and what the form sent back."""

    kind: str  # fetch | submit
    message_id: str
    text: str
    link: str | None
    author: str
    data: Mapping[str, Any]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def to_message_action(activity: Mapping[str, Any]) -> MessageAction | None:
    """Our message action's fetchTask/submitAction invoke, or None (another invoke, another command)."""
    name = activity.get("name")
    value = _mapping(activity.get("value"))
    if activity.get("type") != "invoke" or name not in (FETCH_TASK, SUBMIT_ACTION):
        return None
    if value.get("commandId") != COMMAND_ID:
        return None
    payload = _mapping(value.get("messagePayload"))
    body = _mapping(payload.get("body"))
    author = _mapping(_mapping(payload.get("from")).get("user")).get("displayName")
    link = payload.get("linkToMessage")
    return MessageAction(
        kind="fetch" if name == FETCH_TASK else "submit",
        message_id=str(payload.get("id") or ""),
        text=clean_text(str(body.get("content") or ""), {}),
        link=str(link) if isinstance(link, str) and link else None,
        author=str(author or ""),
        data=_mapping(value.get("data")),
    )


def task_card(
    action: MessageAction, language: str, teams: Sequence[tuple[str, str]], routed: str | None
) -> dict[str, Any]:
    """The task module: the message's first lines as the summary, the routed team preselected."""
    team_hint = (
        t(language, "channels-escalate-team-routed", team=teams_escape(dict(teams).get(routed, routed)))
        if routed
        else t(language, "channels-escalate-team-unrouted")
    )
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": t(language, "channels-escalate-summary"), "wrap": True},
        {
            "type": "Input.Text",
            "id": "summary",
            "isMultiline": True,
            "isRequired": True,
            "maxLength": MAX_SUMMARY,
            "value": action.text[:SUMMARY_PREFILL],
        },
        {"type": "TextBlock", "text": team_hint, "wrap": True},
        {
            "type": "Input.ChoiceSet",
            "id": "team",
            "style": "compact",
            "isRequired": True,
            "value": routed or "",
            "choices": [{"title": name, "value": team_id} for team_id, name in teams],
        },
        {"type": "TextBlock", "text": t(language, "channels-escalate-priority"), "wrap": True},
        {
            "type": "Input.ChoiceSet",
            "id": "priority",
            "style": "compact",
            "value": DEFAULT_PRIORITY,
            "choices": [{"title": p, "value": p} for p in PRIORITIES],
        },
    ]
    submit = {"type": "Action.Submit", "title": t(language, "channels-escalate-submit")}
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "actions": [submit],
    }


def _task(card: dict[str, Any], language: str) -> dict[str, Any]:
    value = {
        "title": t(language, "channels-escalate-title"),
        "width": "medium",
        "height": "medium",
        "card": {"contentType": CARD_CONTENT_TYPE, "content": card},
    }
    return {"task": {"type": "continue", "value": value}}


def _message(text: str) -> dict[str, Any]:
    return {"task": {"type": "message", "value": text}}


def handle(
    action: MessageAction,
    sender: Sender,
    actor: Actor,
    assistant: Assistant,
    channels: ChannelListener,
    teams: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """The invoke response body: the prefilled task module, or what submitting it did."""
    language = assistant.language_for(action.text, actor, sender.locale)
    if not action.text or not action.message_id:
        return _message(t(language, "channels-escalate-empty"))
    if action.kind == "fetch":
        routed = assistant.router.route(action.text, language).team
        return _task(task_card(action, language, teams, routed), language)
    team = action.data.get("team")
    priority = action.data.get("priority")
    details = "\n\n".join(p for p in (action.link, f"{action.author}: {action.text}".strip(": ")) if p)
    result = channels.escalate_message(
        actor,
        platform="teams",
        channel=sender.channel_id or sender.conversation_id,
        message_id=action.message_id,
        text=action.text,
        details=details,
        link=action.link,
        language=language,
        team=team if isinstance(team, str) and team in dict(teams) else None,
        summary=str(action.data.get("summary") or ""),
        priority=priority if priority in PRIORITIES else DEFAULT_PRIORITY,
    )
    if result.refusal is not None:
        return _message(result.refusal)
    if result.outcome is None:
        return _message(t(language, "channels-unrouted"))
    esc = result.outcome.escalation
    team_name = dict(teams).get(esc.team, esc.team)
    key = "channels-escalate-opened" if result.opened else "channels-escalated-already"
    return _message(t(language, key, ref=esc.ref, team=team_name))
