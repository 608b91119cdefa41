"""Slack channels rolebot listens to unaddressed: request-channel messages and the escalation reaction."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import t
from bot.markup import slack_escape
from handlers.slack.context import SlackContext
from handlers.slack.dms import api_error
from handlers.slack.questions import reply_payload, strip_mentions
from handlers.slack.render import blocks
from handlers.slack.workflow import permalink

log = logging.getLogger(__name__)
THREAD_MESSAGES = 30  # how much of a thread goes into an escalation's details


def bot_user(client: WebClient, body: dict[str, Any]) -> str | None:
    """The bot's own user id: the Events API names it in `authorizations`, else auth.test does."""
    for authorization in body.get("authorizations") or ():
        if authorization.get("is_bot") and authorization.get("user_id"):
            return str(authorization["user_id"])
    try:
        return str(client.auth_test()["user_id"])
    except SlackApiError as exc:
        log.warning("auth.test failed: %s", api_error(exc))
        return None


def channel_message(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """message.channels / message.groups: a new top-level message in a request channel may get an
    answer in its thread. Edits (message_changed), replies, bot posts and mentions never do."""
    event = body.get("event") or {}
    channel, ts = str(event.get("channel")), str(event.get("ts"))
    if ctx.channels is None or event.get("subtype") or event.get("bot_id"):
        return
    if event.get("thread_ts") not in (None, ts) or ctx.channels.listening("slack", channel) is None:
        return
    text, user = str(event.get("text") or ""), str(event.get("user"))
    bot = bot_user(client, body)
    if user == bot or (bot and f"<@{bot}" in text):
        return  # a mention is answered by app_mention, once
    answer = ctx.channels.answer(
        "slack", channel, ts, ctx.actor(user), strip_mentions(text), ctx.hint(client, user)
    )
    if answer is not None:
        question = strip_mentions(text)
        client.chat_postMessage(channel=channel, thread_ts=ts, **reply_payload(answer, question, user))


def reaction_added(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """The channel's escalation reaction (default 🎫) on a message: one escalation for that message,
    requested by the person reacting, confirmed in the message's thread."""
    event = body.get("event") or {}
    item, user = event.get("item") or {}, str(event.get("user"))
    channel, ts = str(item.get("channel")), str(item.get("ts"))
    if ctx.channels is None or item.get("type") != "message":
        return
    if not ctx.channels.reaction_escalates("slack", channel, str(event.get("reaction") or "")):
        return
    bot = bot_user(client, body)
    if user == bot or (bot and event.get("item_user") == bot):
        return  # our own reaction, or a reaction on one of our answers or cards
    message, thread = _message_and_thread(client, channel, ts)
    if message is None or message.get("bot_id") or message.get("subtype") or message.get("user") == bot:
        return
    text = strip_mentions(str(message.get("text") or ""))
    language = ctx.language(client, user, text)
    if not text:
        ctx.reply_private(client, channel, user, t(language, "channels-escalate-empty"))
        return
    link = permalink(client, channel, ts)
    details = "\n\n".join(part for part in (link, _transcript(ctx, thread)) if part)
    result = ctx.channels.escalate_message(
        ctx.actor(user),
        platform="slack",
        channel=channel,
        message_id=ts,
        text=text,
        details=details,
        link=link,
        language=language,
    )
    if result.refusal is not None:
        ctx.reply_private(client, channel, user, result.refusal)
        return
    if result.outcome is None:
        ctx.reply_private(client, channel, user, t(language, "channels-unrouted"))
        return
    if not result.opened:
        return  # escalated before: a second reaction, a second person, or Slack retrying
    esc = result.outcome.escalation
    confirm = t(
        language,
        "channels-reaction-confirm",
        user=f"<@{user}>",
        ref=esc.ref,
        team=slack_escape(ctx.team_name(esc.team, language)),
    )
    root = str(message.get("thread_ts") or ts)
    client.chat_postMessage(channel=channel, thread_ts=root, **blocks.mrkdwn_message(confirm))


def _message_and_thread(
    client: WebClient, channel: str, ts: str
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The reacted-to message and the thread it belongs to (conversations.replies)."""
    try:
        found = client.conversations_replies(channel=channel, ts=ts, limit=THREAD_MESSAGES)
        messages = list(found.get("messages") or [])
        message = next((m for m in messages if str(m.get("ts")) == ts), None)
        root = str(message.get("thread_ts") or ts) if message else ts
        if message is not None and root != ts:
            found = client.conversations_replies(channel=channel, ts=root, limit=THREAD_MESSAGES)
            messages = list(found.get("messages") or [])
    except SlackApiError as exc:  # e.g. not_in_channel: nothing to escalate from
        log.info("conversations.replies in %s failed: %s", channel, api_error(exc))
        return None, []
    return message, messages


def _transcript(ctx: SlackContext, thread: list[dict[str, Any]]) -> str:
    """The thread as 'who: text' lines for the escalation's details (read on Teams too, so directory
    names where known rather than Slack mentions)."""
    lines = []
    for message in thread[:THREAD_MESSAGES]:
        user = str(message.get("user") or message.get("bot_id") or "")
        person = ctx.directory.person_for("slack", user)
        lines.append(f"{person.name if person else f'<@{user}>'}: {message.get('text') or ''}".strip())
    return "\n".join(lines)


def loop_in_button(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """An escalation card's "Loop in TEAM": that team watches it (its channel gets the card and updates)."""
    from handlers.slack.render.blocks import read_value

    value = read_value(body["actions"][0].get("value"))
    user, channel = str(body["user"]["id"]), (body.get("channel") or {}).get("id")
    language = ctx.language(client, user)
    ref, team = str(value.get("ref") or ""), str(value.get("team") or "")
    if ctx.watchers is None:
        return
    result = ctx.assistant.runner.loop_in(ctx.watchers, ref, ctx.actor(body["user"]), team, language=language)
    ctx.reply_private(client, channel, user, result.text)
