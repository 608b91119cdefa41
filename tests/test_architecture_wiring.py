"""No object's collaborators are replaced after construction: bot/runtime.py builds each object with what
it needs (the platform's ports first), so no code assigns `x.prompter = ...` or appends to `x.commands`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from architecture import modules

# Attributes that hold a collaborator: set in the owner's __init__, never assigned from outside.
COLLABORATORS = frozenset(
    {
        "assistant",
        "channels",
        "chats",
        "client",
        "escalations",
        "find_member",
        "identities",
        "member_lookup",
        "notifier",
        "people",
        "prompter",
        "router",
        "runner",
        "service",
        "standup",
        "watchers",
    }
)
# Lists of plug-ins given to the constructor, never added to afterwards.
PLUG_INS = frozenset({"text_commands", "direct_commands", "channel_commands", "observers", "contributors"})


def _targets(node: ast.AST) -> Iterator[ast.expr]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            yield from target.elts if isinstance(target, ast.Tuple) else (target,)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        yield node.target


def _rewiring(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[str]:
    own_init = function.name == "__init__"
    for node in ast.walk(function):
        for target in _targets(node):
            if isinstance(target, ast.Attribute) and target.attr in COLLABORATORS:
                on_self = isinstance(target.value, ast.Name) and target.value.id == "self"
                if not (own_init and on_self):
                    yield f"{ast.unparse(target)} = ..."
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "extend", "insert")
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in PLUG_INS
        ):
            yield ast.unparse(node)


def rewiring() -> list[str]:
    found = []
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [f"{module}:{node.lineno} {node.name}: {what}" for what in _rewiring(node)]
    return sorted(set(found))


def test_no_collaborator_is_replaced_or_added_after_construction() -> None:
    assert rewiring() == []


def test_the_check_sees_a_prompter_set_from_outside() -> None:
    source = "def wire(core, p):\n    core.standup.prompter = p\n    core.assistant.text_commands.append(p)\n"
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    found = list(_rewiring(function))
    assert found == ["core.standup.prompter = ...", "core.assistant.text_commands.append(p)"]
