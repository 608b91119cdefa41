"""The core speaks in neutral dataclasses: no Block Kit or Adaptive Card structure anywhere under bot/; they
are drawn by handlers/slack/render/ and handlers/teams/render/ only."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# element types of Slack Block Kit and of Adaptive Cards, as they appear in {"type": ...}
BLOCK_KIT = {"section", "header", "context", "divider", "actions", "button", "mrkdwn", "plain_text", "modal"}
BLOCK_KIT |= {"home", "input", "static_select", "plain_text_input", "image", "rich_text"}
ADAPTIVE = {"AdaptiveCard", "TextBlock", "FactSet", "Container", "ColumnSet", "ActionSet", "Image"}
ADAPTIVE |= {"Action.Submit", "Action.Execute", "Action.ShowCard", "Action.OpenUrl", "Input.ChoiceSet"}
MARKERS = ("application/vnd.microsoft.card.adaptive", "adaptivecards.io", '"type": "section"')
PLATFORM_NAMES = {"blocks", "card_body", "accessory", "elements"}  # fields and variables holding them


def _findings(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    found = [f"text {marker!r}" for marker in MARKERS if marker in source]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                is_type = isinstance(key, ast.Constant) and key.value == "type"
                if is_type and isinstance(value, ast.Constant) and value.value in BLOCK_KIT | ADAPTIVE:
                    found.append(f"line {node.lineno}: {{'type': {value.value!r}}}")
        elif isinstance(node, ast.Constant) and node.value in ("mrkdwn", "AdaptiveCard", "plain_text"):
            found.append(f"line {node.lineno}: {node.value!r}")
        if (name := _name(node)) in PLATFORM_NAMES:
            found.append(f"line {getattr(node, 'lineno', '?')}: {name}")
    return found


def _name(node: ast.AST) -> str | None:
    """The identifier a variable, attribute, parameter or keyword argument is called by."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.arg | ast.keyword):
        return node.arg
    return None


def test_the_scan_sees_block_kit_and_adaptive_cards_where_they_are_drawn() -> None:
    # it cannot silently match nothing: every renderer is found by it
    for renderer in (
        "handlers/slack/render/blocks.py",
        "handlers/slack/render/digest.py",
        "handlers/slack/render/standup.py",
        "handlers/slack/render/views.py",
        "handlers/teams/render/cards.py",
        "handlers/teams/render/digest.py",
        "handlers/teams/render/standup.py",
    ):
        assert _findings(REPO / renderer), renderer


def test_bot_contains_no_block_kit_or_adaptive_card_structures() -> None:
    found = {
        path.relative_to(REPO).as_posix(): hits
        for path in sorted((REPO / "bot").rglob("*.py"))
        if (hits := _findings(path))
    }
    assert found == {}
