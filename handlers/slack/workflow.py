"""Escalations on Slack: /escalate, its modal, the message shortcut, card buttons and App Home."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands.language import Command, looks_like_command
from bot.escalations.validation import MAX_DETAILS, MAX_SUMMARY
from bot.i18n import t
from handlers.slack.context import SlackContext
from handlers.slack.dms import api_error
from handlers.slack.questions import Respond
from handlers.slack.render import blocks, views

log = logging.getLogger(__name__)
SUMMARY_LIMIT = 3000  # the modal's input max_length; the service allows more from other surfaces


def escalate_command(ctx: SlackContext, client: WebClient, command: dict[str, Any], respond: Respond) -> None:
    """/escalate with text speaks the command language (bare /escalate: the ack opened the modal)."""
    user, text = str(command.get("user_id")), str(command.get("text") or "").strip()
    channel = command.get("channel_id")
    if not text:
        return
    line = text if looks_like_command(text) else f"escalate {text}"
    actor = ctx.actor({"id": user, "name": command.get("user_name")})
    # The runner directly (not Assistant.handle) so the escalation keeps the channel it came from.
    result = ctx.assistant.runner.run_text(
        line,
        actor,
        language=ctx.language(client, user, text),
        request_id=f"command:{command.get('trigger_id')}",
        source_channel=channel,
    )
    if result.outcome is not None and result.outcome.replayed:
        return  # done before a restart: the requester was answered then (and is told by the outbox)
    respond(response_type="ephemeral", **blocks.text_message(result.text))


def open_command_modal(ctx: SlackContext, client: WebClient, command: dict[str, Any]) -> None:
    """Bare /escalate: the modal, empty, remembering the channel it was opened in."""
    user, channel = str(command.get("user_id")), command.get("channel_id")
    open_modal(ctx, client, str(command["trigger_id"]), user, summary="", team=None, channel=channel)


def open_modal(
    ctx: SlackContext,
    client: WebClient,
    trigger_id: str,
    user: str,
    *,
    summary: str,
    team: str | None,
    channel: str | None,
    link: str | None = None,
) -> None:
    lang = ctx.language(client, user, summary)
    metadata = blocks.button_value(channel=channel, link=link)
    view = views.escalate_modal(lang, ctx.team_options(lang), team=team, summary=summary, metadata=metadata)
    client.views_open(trigger_id=trigger_id, view=view)


def escalate_button(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """The answer's Escalate button: the modal, prefilled with the question and the routed team."""
    value = blocks.read_value(body["actions"][0].get("value"))
    channel = (body.get("channel") or {}).get("id")
    open_modal(
        ctx,
        client,
        str(body["trigger_id"]),
        str(body["user"]["id"]),
        summary=value.get("q", ""),
        team=value.get("team") or None,
        channel=channel,
    )


def modal_errors(view: dict[str, Any], language: str) -> dict[str, str]:
    """Inline errors Slack shows in the modal (must be returned in the ack, so kept quick)."""
    values = views.view_values(view)
    errors: dict[str, str] = {}
    summary = values.get("summary", "").strip()
    if not summary:
        errors["summary"] = t(language, "slack-summary-empty")
    elif len(summary) > SUMMARY_LIMIT:
        errors["summary"] = t(language, "slack-summary-too-long", limit=SUMMARY_LIMIT)
    if not values.get("team"):
        errors["team"] = t(language, "slack-team-required")
    return errors


def submit_modal(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """Create the escalation from the modal; the notifier posts the card and DMs the requester."""
    view, user = body["view"], body["user"]
    values, meta = views.view_values(view), blocks.read_value(view.get("private_metadata"))
    summary = values.get("summary", "").strip()
    actor = ctx.actor(user)
    lang = ctx.language(client, actor.user_id, summary)
    if modal_errors(view, lang):  # the ack showed the errors and the modal stays open: nothing to do yet
        return
    command = Command(
        "escalate", team=values.get("team"), text=summary, priority=values.get("priority", "P2")
    )
    result = ctx.run(
        command,
        actor,
        lang,
        request_id=f"view:{view['id']}",
        source_channel=meta.get("channel"),
        message_link=meta.get("link"),
    )
    if not result.ok:
        ctx.reply_private(client, None, actor.user_id, result.text)


def message_shortcut(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    """Escalate this message: routed automatically; when the router cannot tell, the modal asks."""
    user, channel = str(body["user"]["id"]), str(body["channel"]["id"])
    message = body.get("message") or {}
    text = str(message.get("text") or "").strip()
    lang = ctx.language(client, user, text)
    if not text:
        ctx.reply_private(client, channel, user, t(lang, "slack-shortcut-empty"))
        return
    routing = ctx.assistant.router.route(text[:MAX_SUMMARY], lang)
    if routing.team is None:  # trigger_id lives 3 s: open the modal before any slower call
        open_modal(
            ctx,
            client,
            str(body["trigger_id"]),
            user,
            summary=text[:SUMMARY_LIMIT],
            team=None,
            channel=channel,
            link=permalink(client, channel, str(message.get("ts"))),
        )
        return
    summary = text.splitlines()[0][:300]
    details = text[:MAX_DETAILS] if text != summary else ""
    command = Command("escalate", team=routing.team, role=routing.role, text=summary, details=details)
    result = ctx.run(
        command,
        ctx.actor(body["user"]),
        lang,
        request_id=f"shortcut:{body['trigger_id']}",
        source_channel=channel,
        message_link=permalink(client, channel, str(message.get("ts"))),
    )
    if result.escalation is None:
        ctx.reply_private(client, channel, user, result.text)
        return
    esc = result.escalation
    ctx.reply_private(
        client,
        channel,
        user,
        t(lang, "slack-shortcut-confirm", ref=esc.ref, team=ctx.team_name(esc.team, lang)),
    )


def permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError as exc:  # the escalation is still worth creating without its link
        log.info("chat.getPermalink failed: %s", api_error(exc))
        return None


def card_action(ctx: SlackContext, client: WebClient, body: dict[str, Any], verb: str) -> None:
    """Acknowledge / Resolve on a card (or in App Home); the notifier then updates the card."""
    action, user = body["actions"][0], str(body["user"]["id"])
    command = Command(verb, ref=f"ESC-{action.get('value')}")
    request_id = f"action:{body.get('trigger_id') or action.get('action_ts')}"
    result = ctx.run(command, ctx.actor(body["user"]), ctx.language(client, user), request_id=request_id)
    if not result.ok:
        ctx.reply_private(client, (body.get("channel") or {}).get("id"), user, result.text)
        return
    if (body.get("view") or {}).get("type") == "home":
        publish_home(ctx, client, user)


def open_reassign(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    user = str(body["user"]["id"])
    ref = f"ESC-{body['actions'][0].get('value')}"
    lang = ctx.language(client, user)
    shown = ctx.run(Command("show", ref=ref), ctx.actor(body["user"]), lang)
    if shown.escalation is None:
        ctx.reply_private(client, (body.get("channel") or {}).get("id"), user, shown.text)
        return
    current = shown.escalation.team
    metadata = blocks.button_value(ref=ref, channel=(body.get("channel") or {}).get("id"))
    view = views.team_picker_modal(
        blocks.REASSIGN_MODAL,
        lang,
        ctx.team_options(lang),
        current=current,
        title_key="slack-reassign-title",
        prompt=t(lang, "slack-reassign-prompt", ref=ref),
        metadata=metadata,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_reassign(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    view, user = body["view"], str(body["user"]["id"])
    meta = blocks.read_value(view.get("private_metadata"))
    command = Command("reassign", ref=meta.get("ref", ""), team=views.view_values(view).get("team", ""))
    language = ctx.language(client, user)
    result = ctx.run(command, ctx.actor(body["user"]), language, request_id=f"view:{view['id']}")
    if not result.ok:
        ctx.reply_private(client, meta.get("channel"), user, result.text)


def publish_home(ctx: SlackContext, client: WebClient, user: str) -> None:
    """App Home: my open escalations and the queue of each of my teams."""
    actor = ctx.actor(user)
    lang = ctx.language(client, user)
    mine = [
        e
        for e in ctx.run(Command("list", scope="mine"), actor, lang).escalations
        if (e.requester.platform, e.requester.user_id) == ("slack", user)
        or (actor.person_id and e.requester.person_id == actor.person_id)
    ]
    my_teams = ctx.directory.teams_of(actor.person_id) if actor.person_id else []
    queue = [
        e
        for team in my_teams
        for e in ctx.run(Command("list", scope="team", team=team), actor, lang).escalations
    ]
    view = views.home_view(lang, mine, queue, lambda team: ctx.team_name(team, lang), my_teams)
    client.views_publish(user_id=user, view=view)
