"""Adaptive Card builders for Teams (answer, team picker, escalation): pure functions returning JSON dicts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.conversation.answers import Answer
from bot.escalations.models import Escalation, State
from bot.i18n import t
from bot.markup import clip, teams_escape

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
ACTION_KEY = "rolebot"  # key of our action name inside Action.Submit data, so foreign submits are ignored

ESCALATE = "escalate"
WRONG_TEAM = "wrong_team"
CORRECT = "correct"
ACK = "ack"
RESOLVE = "resolve"
REASSIGN = "reassign"
REOPEN = "reopen"
LOOP_IN = "loop_in"  # add a team as watcher of the escalation (who else to loop in)
CARD_ACTIONS: frozenset[str] = frozenset(
    {ESCALATE, WRONG_TEAM, CORRECT, ACK, RESOLVE, REASSIGN, REOPEN, LOOP_IN}
)

TeamChoice = tuple[str, str]  # (team id, localised team name)
INVOKE_MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
TITLE_SUMMARY = 500  # characters of the summary in a card's title; the whole text is in `show`
MAX_DETAILS = 4000  # of an escalation's details on its card: Teams refuses cards over ~28 KB
MAX_MESSAGE = 4000  # characters of a text message or a card's notification summary
_SAFE_URL = re.compile(r"https://[^\s()<>\[\]\\\"'`]+")


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    """Wrap a card as a Bot Framework attachment."""
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return card


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _submit(title: str, action: str, style: str | None = None, **data: Any) -> dict[str, Any]:
    payload = {ACTION_KEY: action, **{key: value for key, value in data.items() if value is not None}}
    button: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": payload}
    if style:
        button["style"] = style
    return button


def _choices(teams: Sequence[TeamChoice], exclude: str | None = None) -> list[dict[str, str]]:
    return [{"title": name, "value": team_id} for team_id, name in teams if team_id != exclude]


def _team_input(
    input_id: str, teams: Sequence[TeamChoice], placeholder: str, exclude: str | None = None
) -> dict[str, Any]:
    return {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "style": "compact",
        "isRequired": True,
        "placeholder": placeholder,
        "choices": _choices(teams, exclude),
    }


def answer_card(
    answer: Answer,
    question: str,
    note: str | None = None,
    contact: str | None = None,
    asker: str | None = None,
) -> dict[str, Any]:
    """The answer to 'who handles X?': team, role, contact, why, alternatives, Escalate / Wrong team?

    `contact` replaces answer.contact_text (which names Slack channels): how to reach the team in Teams.
    `asker` (Teams user id) rides in Wrong team?: only they, the teams concerned or an admin may correct."""
    lang = answer.language
    routing = answer.routing
    body: list[dict[str, Any]] = [_text(teams_escape(note), color="Good")] if note else []
    body.append(_text(teams_escape(answer.headline), weight="Bolder", size="Medium"))
    if routing.team is None:
        body.append(_text(contact or teams_escape(answer.contact_text)))
        # unsure: the nearest teams as one-click choices (stored as the asker's correction)
        actions = [
            _submit(choice.label, CORRECT, question=question, team=choice.team, language=lang, asker=asker)
            for choice in answer.alternatives
        ]
        actions.append(
            _submit(t(lang, "button-pick-team"), WRONG_TEAM, question=question, language=lang, asker=asker)
        )
        return _card(body, actions)
    facts = [{"title": t(lang, "label-team"), "value": teams_escape(answer.team_name or routing.team)}]
    if answer.role_name:
        facts.append({"title": t(lang, "label-role"), "value": teams_escape(answer.role_name)})
    shown_contact = contact or teams_escape(t(lang, "answer-contact-none"))
    facts.append({"title": t(lang, "label-contact"), "value": shown_contact})
    if answer.why:
        facts.append({"title": t(lang, "label-why"), "value": teams_escape(answer.why)})
    body.append({"type": "FactSet", "facts": facts})
    if answer.loop_in_text:
        body.append(_text(answer.loop_in_text))
    if routing.corrected:
        body.append(_text(t(lang, "answer-learned"), isSubtle=True, size="Small"))
    if answer.alternatives:
        body.append(_text(t(lang, "answer-alternatives"), weight="Bolder", spacing="Medium"))
        body.extend(_text(f"- {teams_escape(alt.label)}") for alt in answer.alternatives)
    team_name = answer.team_name or routing.team
    body.append(_text(teams_escape(t(lang, "answer-offer-escalate", team=team_name)), spacing="Medium"))
    actions = [
        _submit(
            t(lang, "button-escalate", team=team_name),
            ESCALATE,
            "positive",
            question=question,
            team=routing.team,
            role=routing.role,
            language=lang,
        ),
        _submit(
            t(lang, "button-wrong-team"),
            WRONG_TEAM,
            question=question,
            team=routing.team,
            language=lang,
            asker=asker,
        ),
    ]
    return _card(body, actions)


def team_picker_card(
    question: str,
    routed_team: str | None,
    teams: Sequence[TeamChoice],
    language: str,
    asker: str | None = None,
) -> dict[str, Any]:
    """'Wrong team?': pick the right team; the submission is stored as a routing correction."""
    body = [
        _text(t(language, "teams-picker-title"), weight="Bolder", size="Medium"),
        _text(
            teams_escape(t(language, "teams-picker-question", question=clip(question, 500))), isSubtle=True
        ),
        _team_input("team", teams, t(language, "teams-picker-placeholder"), exclude=routed_team),
    ]
    actions = [
        _submit(
            t(language, "teams-picker-submit"),
            CORRECT,
            "positive",
            question=question,
            routed_team=routed_team,
            language=language,
            asker=asker,
        )
    ]
    return _card(body, actions)


def _when(value: datetime) -> str:
    # Adaptive Card date functions render in each reader's own time zone and locale.
    stamp = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{{{{DATE({stamp}, SHORT)}}}} {{{{TIME({stamp})}}}}"


def _escalation_facts(escalation: Escalation, language: str, team_name: str) -> list[dict[str, str]]:
    requester = teams_escape(escalation.requester.display_name or escalation.requester.user_id)
    facts = [
        {"title": t(language, "label-team"), "value": teams_escape(team_name)},
        {"title": t(language, "teams-label-priority"), "value": escalation.priority},
        {"title": t(language, "teams-label-state"), "value": state_label(escalation.state, language)},
        {"title": t(language, "teams-label-level"), "value": str(escalation.level + 1)},
        {"title": t(language, "teams-label-requester"), "value": requester},
    ]
    if escalation.message_link:
        facts.append({"title": t(language, "teams-label-link"), "value": source_link(escalation, language)})
    return facts


def source_link(escalation: Escalation, language: str) -> str:
    """Our own link back to the message escalated; anything but a plain https URL is shown as text."""
    link = escalation.message_link or ""
    if _SAFE_URL.fullmatch(link):
        return f"[{teams_escape(t(language, 'teams-label-link'))}]({link})"
    return teams_escape(link)


def escalation_title(escalation: Escalation, language: str) -> str:
    """'ESC-4: summary' as card title and notification text (plain text: escape before Markdown)."""
    summary = clip(" ".join(escalation.summary.split()), TITLE_SUMMARY)
    return t(language, "teams-escalation-title", ref=escalation.ref, summary=summary)


def state_label(state: State, language: str) -> str:
    return t(language, f"teams-state-{state.value}")


def _escalation_actions(
    escalation: Escalation, language: str, teams: Sequence[TeamChoice]
) -> list[dict[str, Any]]:
    ref, allowed = escalation.ref, escalation.allowed_actions()
    actions = []
    if "reopen" in allowed:
        actions.append(_submit(t(language, "teams-button-reopen"), REOPEN, ref=ref))
    if "acknowledge" in allowed:
        actions.append(_submit(t(language, "teams-button-acknowledge"), ACK, "positive", ref=ref))
    if "resolve" in allowed:
        actions.append(_submit(t(language, "teams-button-resolve"), RESOLVE, ref=ref))
    if "reassign" not in allowed:
        return actions
    reassign_form = {  # a nested card: no schema/version of its own
        "type": "AdaptiveCard",
        "body": [
            _team_input("team", teams, t(language, "teams-reassign-placeholder"), exclude=escalation.team)
        ],
        "actions": [_submit(t(language, "teams-button-reassign-confirm"), REASSIGN, ref=ref)],
    }
    actions.append(
        {"type": "Action.ShowCard", "title": t(language, "teams-button-reassign"), "card": reassign_form}
    )
    return actions


def escalation_card(
    escalation: Escalation,
    language: str,
    team_name: str,
    teams: Sequence[TeamChoice],
    loop_in: Sequence[TeamChoice] = (),
) -> dict[str, Any]:
    """The escalation as posted in the team's channel; rebuilt and updated in place on every change."""
    title = teams_escape(escalation_title(escalation, language))
    colour = {State.OPEN: "Attention", State.ACKNOWLEDGED: "Warning"}.get(escalation.state, "Good")
    body: list[dict[str, Any]] = [
        _text(title, weight="Bolder", size="Medium"),
        {"type": "FactSet", "facts": _escalation_facts(escalation, language, team_name)},
    ]
    if escalation.details:
        details = clip(escalation.details, MAX_DETAILS)
        body.append(_text(teams_escape(f"{t(language, 'teams-label-details')}: {details}")))
    if escalation.state is State.OPEN and escalation.ack_due:
        body.append(_text(f"{t(language, 'teams-label-due')}: {_when(escalation.ack_due)}", color=colour))
    elif escalation.state is State.ACKNOWLEDGED and escalation.resolve_due:
        body.append(
            _text(f"{t(language, 'teams-label-resolve-due')}: {_when(escalation.resolve_due)}", color=colour)
        )
    actions = _escalation_actions(escalation, language, teams)
    if "loop-in" in escalation.allowed_actions():
        actions += [
            _submit(t(language, "channels-loop-in-button", team=name), LOOP_IN, ref=escalation.ref, team=team)
            for team, name in loop_in[:3]
        ]
    return _card(body, actions)


def invoke_message(reply: dict[str, Any]) -> dict[str, Any]:
    """The body of an adaptiveCard/action invoke response: a message Teams shows the clicker, in plain
    text (our reply's escaping undone: this value is not Markdown)."""
    shown = str(reply.get("text") or reply.get("summary") or "")
    return {"statusCode": 200, "type": INVOKE_MESSAGE_TYPE, "value": re.sub(r"\\(.)", r"\1", shown)}


def message(text: str, card: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """An outgoing message activity (partial: the adapter fills in from/recipient/conversation).
    `text` is plain text, which may quote people: it is escaped here, never before."""
    activity: dict[str, Any] = {"type": "message", **extra}
    shown = teams_escape(clip(text, MAX_MESSAGE))
    if card is None:
        activity["text"] = shown
    else:
        # Teams would show text above the card; `summary` is what notifications and card-less clients show.
        activity["summary"] = shown
        activity["attachments"] = [attachment(card)]
    return activity
