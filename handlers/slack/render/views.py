"""Slack modals (escalate, team pickers) and the App Home view: pure Block Kit builders, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.escalations.models import PRIORITIES, Escalation
from bot.i18n import t
from bot.markup import clip as _clip
from bot.markup import slack_escape
from handlers.slack.render.blocks import (
    ESCALATE_MODAL,
    STATE_EMOJI,
    Block,
    TeamName,
    card_buttons,
    md,
    plain,
    section,
)


# ---- modals --------------------------------------------------------------------------------------
def _options(items: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"text": plain(label, 75), "value": value} for value, label in items][:100]


def _select(block_id: str, label: str, items: Sequence[tuple[str, str]], initial: str | None) -> Block:
    options = _options(items)
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return {"type": "input", "block_id": block_id, "label": plain(label), "element": element}


def _modal(callback_id: str, title: str, lang: str, blocks: list[Block], metadata: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(t(lang, "slack-modal-submit"), 24),
        "close": plain(t(lang, "slack-modal-cancel"), 24),
        "private_metadata": metadata[:3000],
        "blocks": blocks,
    }


def escalate_modal(
    lang: str, teams: Sequence[tuple[str, str]], *, team: str | None, summary: str = "", metadata: str = "{}"
) -> dict[str, Any]:
    """The /escalate modal: summary, team (prefilled from routing) and priority."""
    summary_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": 3000,
    }
    if summary:
        summary_input["initial_value"] = _clip(summary, 3000)
    priorities = [(p, t(lang, f"slack-priority-{p}")) for p in PRIORITIES]
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": "summary",
            "label": plain(t(lang, "slack-field-summary")),
            "element": summary_input,
        },
        _select("team", t(lang, "label-team"), teams, team),
        _select("priority", t(lang, "slack-field-priority"), priorities, "P2"),
    ]
    return _modal(ESCALATE_MODAL, t(lang, "slack-escalate-title"), lang, blocks, metadata)


def team_picker_modal(
    callback_id: str,
    lang: str,
    teams: Sequence[tuple[str, str]],
    *,
    title_key: str,
    prompt: str,
    current: str | None = None,
    metadata: str = "{}",
) -> dict[str, Any]:
    """A one-question modal picking a team (Wrong team? and Reassign)."""
    blocks: list[Block] = [
        section(slack_escape(prompt)),
        _select("team", t(lang, "label-team"), teams, current),
    ]
    return _modal(callback_id, t(lang, title_key), lang, blocks, metadata)


def view_values(view: dict[str, Any]) -> dict[str, str]:
    """{block_id: value} of a submitted modal (text inputs and static selects)."""
    values: dict[str, str] = {}
    for block_id, actions in (view.get("state", {}).get("values") or {}).items():
        action: dict[str, Any] = actions.get("value") or next(iter(actions.values()), {})
        if action.get("selected_option"):
            values[block_id] = str(action["selected_option"]["value"])
        elif action.get("value") is not None:
            values[block_id] = str(action["value"])
    return values


# ---- App Home ------------------------------------------------------------------------------------
def _home_row(escalation: Escalation, lang: str, team_name: TeamName) -> Block:
    state = t(lang, f"slack-state-{escalation.state.value}")
    line = (
        f"{STATE_EMOJI[escalation.state]} *{escalation.ref}* · {escalation.priority} · {state} · "
        f"{slack_escape(team_name(escalation.team))}\n{slack_escape(_clip(escalation.summary, 200))}"
    )
    block = section(line)
    buttons = card_buttons(escalation, lang)
    if buttons:
        block["accessory"] = buttons[0]
    return block


def home_view(
    lang: str,
    mine: Sequence[Escalation],
    queue: Sequence[Escalation],
    team_name: TeamName,
    my_teams: Sequence[str],
) -> dict[str, Any]:
    """App Home: my open escalations, then the queue of each team I belong to."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(t(lang, "slack-home-title"))},
        {"type": "context", "elements": [md(t(lang, "slack-home-help"))]},
        {"type": "header", "text": plain(t(lang, "slack-home-mine", count=len(mine)))},
    ]
    blocks += [_home_row(e, lang, team_name) for e in mine[:40]] or [section(t(lang, "slack-home-empty"))]
    blocks.append({"type": "divider"})
    teams = ", ".join(team_name(x) for x in my_teams)
    blocks.append({"type": "header", "text": plain(t(lang, "slack-home-queue", count=len(queue)))})
    if not my_teams:
        blocks.append(section(t(lang, "slack-home-no-team")))
    else:
        blocks.append({"type": "context", "elements": [md(slack_escape(teams))]})
        blocks += [_home_row(e, lang, team_name) for e in queue[:50]] or [
            section(t(lang, "slack-home-empty"))
        ]
    return {"type": "home", "blocks": blocks[:100]}
