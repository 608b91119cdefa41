"""Every renderer goes through the platform's one escaping function: a new module that builds Slack or Teams
markup without it, or a Web API call that hands raw text to Slack, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RENDER_DIRS = ("handlers/slack", "handlers/teams", "bot/digest", "bot/standup")
MARKUP_TYPES = {"mrkdwn": "slack_escape", "TextBlock": "teams_escape", "FactSet": "teams_escape"}
SLACK_SENDS = {"chat_postMessage", "chat_postEphemeral", "chat_update", "respond"}
# (module, function): calls that pass already-rendered blocks, each checked by a test of its own
RENDERED_ELSEWHERE = {("handlers/slack/standup.py", "_show_escalated")}


def _modules() -> list[Path]:
    return sorted(p for d in RENDER_DIRS for p in (REPO / d).rglob("*.py"))


def _imported_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "bot.markup":
            names.update(alias.name for alias in node.names)
    return names


def _markup_types(tree: ast.Module) -> set[str]:
    """Slack/Teams element types the module builds as dict literals ({"type": "mrkdwn", ...})."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                is_type = isinstance(key, ast.Constant) and key.value == "type"
                if is_type and isinstance(value, ast.Constant) and value.value in MARKUP_TYPES:
                    found.add(value.value)
    return found


def test_every_module_building_markup_imports_the_escaping_function() -> None:
    builders = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        needed = {MARKUP_TYPES[kind] for kind in _markup_types(tree)}
        if needed:
            builders[path.relative_to(REPO).as_posix()] = needed - _imported_names(tree)
    # the scan sees the renderers we know of (it cannot silently match nothing) ...
    assert {
        "handlers/slack/render/blocks.py",
        "handlers/teams/render/cards.py",
        "handlers/slack/render/standup.py",
        "handlers/teams/render/standup.py",
    } <= set(builders)
    # ... and each imports its platform's escaping function from bot.markup
    assert {module: missing for module, missing in builders.items() if missing} == {}


def _raw_text_sends(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = path.relative_to(REPO).as_posix()
    raw = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            given = {k.arg for k in node.keywords}
            allowed = (module, function.name) in RENDERED_ELSEWHERE
            if name in SLACK_SENDS and given & {"text", "blocks"} and not allowed:
                raw.append(f"{module}:{node.lineno} {function.name}")
    return raw


def test_slack_calls_take_text_only_from_the_escaping_helpers() -> None:
    """chat.postMessage & co. get text and blocks from blocks.text_message / mrkdwn_message / a renderer
    (passed as **payload), never a raw text= argument that could carry someone's <!channel>."""
    raw = [call for path in (REPO / "handlers/slack").glob("*.py") for call in _raw_text_sends(path)]
    assert raw == []


def test_teams_messages_are_built_in_one_place() -> None:
    """Outgoing Teams text goes through cards.message (which escapes): no other module sets `text` or
    `summary` of a message activity itself."""
    offenders = []
    for path in (REPO / "handlers/teams").glob("*.py"):
        if path.name == "cards.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                values = [v.value for v in node.values if isinstance(v, ast.Constant)]
                if "message" in values and keys & {"text", "summary"}:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
