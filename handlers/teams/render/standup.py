"""A standup report (bot.standup.render.StandupView) as Adaptive Card elements, blockers with a button."""

from __future__ import annotations

from typing import Any

from bot.markup import teams_escape
from bot.standup.render import ESCALATE_ACTION, BlockerView, StandupView

Element = dict[str, Any]


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _blocker(blocker: BlockerView) -> Element:
    items: list[Element] = [
        _text(f"**{teams_escape(blocker.who)}**: {teams_escape(blocker.text)}"),
        _text(teams_escape(blocker.route), isSubtle=True),
    ]
    if blocker.escalated:
        items.append(_text(blocker.escalated))
    elif blocker.button:
        submit = {
            "type": "Action.Submit",
            "data": {"action": ESCALATE_ACTION, "blocker": blocker.key},
            "title": blocker.button,
        }
        items.append({"type": "ActionSet", "actions": [submit]})
    return {"type": "Container", "separator": True, "items": items}


def report_card_body(view: StandupView) -> list[Element]:
    """Adaptive Card body elements (a digest card embeds them; `report_card` wraps them)."""
    body: list[Element] = [_text(view.title, weight="Bolder", size="Medium")]
    if view.state:
        body.append(_text(view.state))
    for member in view.members:
        facts = [{"title": teams_escape(a.question), "value": teams_escape(a.text)} for a in member.answers]
        name = _text(teams_escape(member.name), weight="Bolder")
        body.append(
            {"type": "Container", "separator": True, "items": [name, {"type": "FactSet", "facts": facts}]}
        )
    body += [_text(teams_escape(note), isSubtle=True) for note in view.notes]
    for title, blockers in view.sections:
        body.append(_text(title, weight="Bolder", separator=True))
        body.extend(_blocker(b) for b in blockers)
    return body


def report_card(view: StandupView) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": report_card_body(view),
    }
