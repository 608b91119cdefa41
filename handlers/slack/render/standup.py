"""A standup report (bot.standup.render.StandupView) as Slack Block Kit, blockers with their button."""

from __future__ import annotations

from typing import Any

from bot.markup import slack_escape
from bot.standup.render import ESCALATE_ACTION, BlockerView, StandupView

Block = dict[str, Any]
MAX_BLOCK_TEXT = 2900  # Slack caps a section's text at 3000 characters


def _clip(text: str) -> str:
    return text if len(text) <= MAX_BLOCK_TEXT else text[: MAX_BLOCK_TEXT - 1] + "…"


def _blocker_block(blocker: BlockerView) -> Block:
    text = _clip(
        f"*{slack_escape(blocker.who)}*: {slack_escape(blocker.text)}\n{slack_escape(blocker.route)}"
    )
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if blocker.escalated:
        block["text"]["text"] += "\n" + blocker.escalated
    elif blocker.button:
        block["accessory"] = {
            "type": "button",
            "action_id": ESCALATE_ACTION,
            "value": blocker.key,
            "text": {"type": "plain_text", "text": blocker.button[:75]},
        }
    return block


def report_blocks(view: StandupView) -> list[Block]:
    """A header, one section per member, who is missing, blockers with a button."""
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": view.title[:150]}}]
    if view.state:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": view.state}]})
    for member in view.members:
        body = "\n".join(f"_{slack_escape(a.question)}_\n{slack_escape(a.text)}" for a in member.answers)
        text = _clip(f"*{slack_escape(member.name)}*\n{body}")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    if view.notes:
        elements = [{"type": "mrkdwn", "text": slack_escape(note)} for note in view.notes]
        blocks.append({"type": "context", "elements": elements})
    for title, blockers in view.sections:
        blocks.append({"type": "divider"})
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}})
        blocks.extend(_blocker_block(b) for b in blockers)
    return blocks
