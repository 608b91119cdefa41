"""Block Kit builders for answers, escalation cards, modals and App Home: pure functions, no I/O."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from bot.conversation.answers import Answer
from bot.escalations.models import Escalation, State
from bot.i18n import t
from bot.markup import clip as _clip
from bot.markup import slack_escape

Block = dict[str, Any]
_SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
_USERGROUP = re.compile(r"S[A-Z0-9]{2,20}")
_SAFE_URL = re.compile(r"https://[^\s<>|&\"']+")
TeamName = Callable[[str], str]  # team id -> localised team name

# action / callback ids: the listeners in app.py match on these
ESCALATE = "answer_escalate"
WRONG_TEAM = "answer_wrong_team"
ALTERNATIVE = "answer_alternative"
ACK = "escalation_ack"
LOOP_IN = "escalation_loop_in"  # + _<n>: add a team as watcher (who else to loop in)
RESOLVE = "escalation_resolve"
REASSIGN = "escalation_reassign"
ESCALATE_MODAL = "escalate_modal"
CORRECT_MODAL = "correct_modal"
REASSIGN_MODAL = "reassign_modal"
SHORTCUT = "escalate_message"

# (workflow verb, label, action id) of a card's buttons, shown when Escalation.allowed_actions() has the verb
_CARD_BUTTONS = (
    ("acknowledge", "slack-button-ack", ACK),
    ("resolve", "slack-button-resolve", RESOLVE),
    ("reassign", "slack-button-reassign", REASSIGN),
)
MAX_TEXT = 2900  # section text limit is 3000 characters
MAX_VALUE = 1900  # button values are limited to 2000 characters
MAX_SUMMARY = 500
MAX_FALLBACK = 3000  # a message's `text` (the notification line) may be 40,000, but nobody reads that
STATE_EMOJI = {
    State.OPEN: ":red_circle:",
    State.ACKNOWLEDGED: ":large_yellow_circle:",
    State.RESOLVED: ":white_check_mark:",
    State.CANCELLED: ":heavy_multiplication_x:",
}


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def md(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _clip(text, MAX_TEXT)}


def section(text: str) -> Block:
    return {"type": "section", "text": md(text)}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": plain(label, 75),
        "action_id": action_id,
        "value": value[:MAX_VALUE],
    }
    if style:
        button["style"] = style
    return button


def button_value(**fields: str | None) -> str:
    """Button/metadata payload as compact JSON, the question clipped to fit Slack's value limit."""
    if fields.get("q"):
        fields["q"] = _clip(str(fields["q"]), 1500)
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def read_value(raw: str | None) -> dict[str, str]:
    """The dict a button value / private_metadata carries (empty when missing or foreign)."""
    try:
        parsed = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in parsed.items() if v is not None} if isinstance(parsed, dict) else {}


# ---- answers ---------------------------------------------------------------------------------------
def _contact_line(answer: Answer) -> str:
    """Lead and channel, without the 'Contact:' label the field already has. An answer never pings the
    team's user group: only an escalation is meant to alert people."""
    return slack_escape(answer.contact_detail or t(answer.language, "answer-contact-none"))


def answer_blocks(answer: Answer, question: str, asker: str | None = None) -> list[Block]:
    """An answer: headline, team/role/contact/why fields, alternatives and the action buttons.
    `asker` (Slack user id) rides in the correction buttons: only they, the teams or an admin may correct."""
    lang = answer.language
    if answer.problem or answer.routing.team is None:
        return _abstain_blocks(answer, question, asker)
    team = answer.routing.team
    blocks: list[Block] = [section(f"*{slack_escape(answer.headline)}*")]
    fields = [f"*{t(lang, 'label-team')}*\n{slack_escape(answer.team_name or team)}"]
    if answer.role_name:
        fields.append(f"*{t(lang, 'label-role')}*\n{slack_escape(answer.role_name)}")
    fields.append(f"*{t(lang, 'label-contact')}*\n{_contact_line(answer)}")
    blocks.append({"type": "section", "fields": [md(f) for f in fields]})
    if answer.why:
        blocks.append(section(f"*{t(lang, 'label-why')}*\n{slack_escape(answer.why)}"))
    if answer.loop_in_text:
        blocks.append(section(answer.loop_in_text))
    if answer.routing.corrected:
        blocks.append({"type": "context", "elements": [md(t(lang, "answer-learned"))]})
    if answer.alternatives:
        blocks.append(section(t(lang, "answer-alternatives")))
        blocks.append(_alternatives_block(answer, question, routed=team or "", asker=asker))
    blocks.append(
        {
            "type": "actions",
            "block_id": "answer_actions",
            "elements": [
                _button(
                    t(lang, "button-escalate", team=answer.team_name or team),
                    ESCALATE,
                    button_value(team=team, q=question),
                    style="primary",
                ),
                _button(
                    t(lang, "button-wrong-team"), WRONG_TEAM, button_value(routed=team, q=question, by=asker)
                ),
            ],
        }
    )
    return blocks


def _alternatives_block(answer: Answer, question: str, routed: str, asker: str | None) -> Block:
    """One button per runner-up; clicking one stores it as the right team for this question."""
    return {
        "type": "actions",
        "block_id": "alternatives",
        "elements": [
            _button(
                alt.label,
                f"{ALTERNATIVE}_{i}",
                button_value(team=alt.team, routed=routed, q=question, by=asker),
            )
            for i, alt in enumerate(answer.alternatives[:5])
        ],
    }


def _abstain_blocks(answer: Answer, question: str, asker: str | None) -> list[Block]:
    if answer.problem or not answer.alternatives:
        blocks: list[Block] = [section(slack_escape(answer.text))]
        if answer.problem:
            return blocks
    else:
        # unsure: the nearest teams as one-click choices, "none of these" being the fallback contact
        blocks = [
            section(slack_escape(answer.headline)),
            _alternatives_block(answer, question, routed="", asker=asker),
        ]
        blocks.append({"type": "context", "elements": [md(slack_escape(answer.contact_text))]})
    blocks.append(
        {
            "type": "actions",
            "block_id": "answer_actions",
            "elements": [
                _button(
                    t(answer.language, "button-pick-team"),
                    WRONG_TEAM,
                    button_value(routed="", q=question, by=asker),
                ),
            ],
        }
    )
    return blocks


def text_blocks(text: str) -> list[Block]:
    """Plain text (command results, confirmations, anything quoting people) as one escaped section."""
    return [section(slack_escape(text))]


def mrkdwn_message(text: str) -> dict[str, Any]:
    """`text` + `blocks` for text already rendered as mrkdwn (people's words in it escaped)."""
    return {"text": _clip(text, MAX_FALLBACK), "blocks": [section(text)]}


def text_message(text: str) -> dict[str, Any]:
    """`text` + `blocks` arguments for plain text: both escaped, so nobody's words ping or link."""
    return {"text": _clip(slack_escape(text), MAX_FALLBACK), "blocks": text_blocks(text)}


# ---- escalation cards ----------------------------------------------------------------------------
def _requester(escalation: Escalation) -> str:
    user = escalation.requester
    if user.platform == "slack" and _SLACK_ID.fullmatch(user.user_id):
        return f"<@{user.user_id}>"
    return slack_escape(user.display_name or user.user_id)


def _source_link(link: str, label: str) -> str:
    """Our own link to where the escalation came from; anything not a plain http(s) URL is shown as text."""
    if _SAFE_URL.fullmatch(link):
        return f"<{link}|{slack_escape(label)}>"
    return slack_escape(f"{label}: {link}")


def alert(usergroup: str | None) -> str:
    """The team's user group as a ping ('<!subteam^S0CS> '), for the card that is meant to alert it."""
    return f"<!subteam^{usergroup}> " if usergroup and _USERGROUP.fullmatch(usergroup) else ""


def escalation_text(
    escalation: Escalation, language: str, team_name: str, usergroup: str | None = None
) -> str:
    """Notification fallback text of a card (shown in push notifications and screen readers); it pings
    the team's user group, the one place where the bot means to alert a whole team."""
    return alert(usergroup) + t(
        language,
        "slack-card-text",
        ref=escalation.ref,
        team=team_name,
        summary=slack_escape(_clip(escalation.summary, 200)),
        state=t(language, f"slack-state-{escalation.state.value}"),
    )


def escalation_card(
    escalation: Escalation,
    language: str,
    team_name: str,
    *,
    note: str | None = None,
    loop_in: Sequence[tuple[str, str]] = (),
) -> list[Block]:
    """The team-channel card: summary, fields, source link and the buttons valid in its state."""
    lang = language
    state = t(lang, f"slack-state-{escalation.state.value}")
    blocks: list[Block] = [
        {"type": "header", "text": plain(f"{escalation.ref} · {escalation.priority} · {state}")},
        section(f"{STATE_EMOJI[escalation.state]} *{slack_escape(_clip(escalation.summary, MAX_SUMMARY))}*"),
        {
            "type": "section",
            "fields": [
                md(f"*{t(lang, 'label-team')}*\n{slack_escape(team_name)}"),
                md(f"*{t(lang, 'slack-field-requester')}*\n{_requester(escalation)}"),
                md(f"*{t(lang, 'slack-field-priority')}*\n{escalation.priority}"),
                md(f"*{t(lang, 'slack-field-level')}*\n{escalation.level}"),
            ],
        },
    ]
    if escalation.details:
        blocks.append(section(slack_escape(_clip(escalation.details, MAX_TEXT))))
    if escalation.message_link:
        link = _source_link(escalation.message_link, t(lang, "slack-source-message"))
        blocks.append({"type": "context", "elements": [md(link)]})
    if note:
        blocks.append({"type": "context", "elements": [md(note)]})
    buttons = card_buttons(escalation, lang)
    if buttons:
        blocks.append({"type": "actions", "block_id": f"escalation_{escalation.id}", "elements": buttons})
    if loop_in and "loop-in" in escalation.allowed_actions():
        watch = [
            _button(
                t(lang, "channels-loop-in-button", team=name),
                f"{LOOP_IN}_{i}",
                button_value(ref=escalation.ref, team=team),
            )
            for i, (team, name) in enumerate(loop_in[:5])
        ]
        blocks.append({"type": "actions", "block_id": f"loop_in_{escalation.id}", "elements": watch})
    return blocks


def card_buttons(escalation: Escalation, lang: str) -> list[dict[str, Any]]:
    """Acknowledge, Resolve and Reassign where the state allows them; the first one is primary."""
    value, allowed = str(escalation.id), escalation.allowed_actions()
    offered = [(verb, key, action) for verb, key, action in _CARD_BUTTONS if verb in allowed]
    return [
        _button(t(lang, key), action, value, "primary" if i == 0 else None)
        for i, (_, key, action) in enumerate(offered)
    ]
