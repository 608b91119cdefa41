"""Questions on Slack: DMs, mentions, /whohandles, and the answer's Wrong team? / alternative buttons."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.conversation.answers import Answer
from bot.conversation.assistant import IncomingMessage
from bot.corrections import CorrectionRefused
from bot.i18n import t
from bot.markup import slack_escape
from handlers.slack.context import SlackContext
from handlers.slack.render import blocks, views

MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
Respond = Callable[..., Any]


def strip_mentions(text: str) -> str:
    return MENTION.sub(" ", text or "").strip()


def reply_payload(result: Any, question: str, asker: str, note: str | None = None) -> dict[str, Any]:
    """Blocks + fallback text for an Answer (or any CommandResult-like object with .text)."""
    if isinstance(result, Answer):
        answer_blocks = blocks.answer_blocks(result, question, asker)
        if note:
            element = {"type": "mrkdwn", "text": slack_escape(note)}
            answer_blocks.insert(0, {"type": "context", "elements": [element]})
        return {"text": blocks.text_message(result.headline)["text"], "blocks": answer_blocks}
    return blocks.text_message(str(getattr(result, "text", "") or ""))


def answer_message(
    ctx: SlackContext, client: WebClient, event: dict[str, Any], event_id: str | None, *, in_thread: bool
) -> None:
    """A DM or a mention: the core handles the text (question or command), the reply goes back there."""
    user, channel = str(event.get("user")), str(event.get("channel"))
    text = strip_mentions(str(event.get("text") or ""))
    message = IncomingMessage(
        platform="slack",
        user_id=user,
        text=text,
        channel=channel,
        request_id=f"event:{event_id}" if event_id else None,
        language=ctx.hint(client, user),
        direct=event.get("channel_type") == "im" or channel.startswith("D"),
    )
    result = ctx.assistant.handle(message)
    thread_ts = (event.get("thread_ts") or event.get("ts")) if in_thread else event.get("thread_ts")
    client.chat_postMessage(channel=channel, thread_ts=thread_ts, **reply_payload(result, text, user))


def whohandles(ctx: SlackContext, client: WebClient, command: dict[str, Any], respond: Respond) -> None:
    """/whohandles QUESTION: the answer only the asker sees."""
    user = str(command.get("user_id"))
    text = str(command.get("text") or "").strip()
    actor = ctx.actor({"id": user, "name": command.get("user_name")})
    answer = ctx.assistant.ask(text, actor, language=ctx.hint(client, user))
    respond(response_type="ephemeral", replace_original=False, **reply_payload(answer, text, user))


def open_correction(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """Wrong team?: a team picker whose submission stores the correction."""
    user = str(body["user"]["id"])
    value = blocks.read_value(body["actions"][0].get("value"))
    question = value.get("q", "")
    lang = ctx.language(client, user, question)
    metadata = blocks.button_value(
        q=question, routed=value.get("routed", ""), by=value.get("by"), **_where(body)
    )
    prompt = t(lang, "slack-correct-prompt", question=blocks._clip(question, 200))
    view = views.team_picker_modal(
        blocks.CORRECT_MODAL,
        lang,
        ctx.team_options(lang),
        title_key="slack-correct-title",
        prompt=prompt,
        metadata=metadata,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _where(body: dict[str, Any]) -> dict[str, str | None]:
    """Where the answer was shown, so the corrected answer goes back to the same place."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    thread = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts")
    return {"channel": channel, "thread": thread}


def correct(
    ctx: SlackContext,
    client: WebClient,
    user: str,
    question: str,
    routed: str | None,
    team: str,
    where: dict[str, str],
) -> None:
    """Store the correction and show the asker the new answer (later answers change too); a bystander
    (not the asker, not in a team concerned, not an admin) is told why not, and nothing is stored."""
    actor = ctx.actor(user)
    asker = f"slack:{where['by']}" if where.get("by") else None
    try:
        answer = ctx.assistant.correct(
            question, routed or None, team, actor, language=ctx.hint(client, user), asker=asker
        )
    except CorrectionRefused as refused:
        text = refused.message(ctx.language(client, user), ctx.kb)
        ctx.reply_private(client, where.get("channel"), user, text, thread_ts=where.get("thread") or None)
        return
    payload = reply_payload(answer, question, user, note=answer.note)
    ctx.reply_private(
        client,
        where.get("channel"),
        user,
        answer.headline,
        payload["blocks"],
        thread_ts=where.get("thread") or None,
    )


def submit_correction(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    view = body["view"]
    meta = blocks.read_value(view.get("private_metadata"))
    team = views.view_values(view).get("team", "")
    correct(ctx, client, str(body["user"]["id"]), meta.get("q", ""), meta.get("routed"), team, meta)


def pick_alternative(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """An alternative's button: "I meant this team" is a correction too."""
    value = blocks.read_value(body["actions"][0].get("value"))
    where = {k: v for k, v in {**_where(body), "by": value.get("by")}.items() if v}
    correct(
        ctx,
        client,
        str(body["user"]["id"]),
        value.get("q", ""),
        value.get("routed"),
        value.get("team", ""),
        where,
    )
