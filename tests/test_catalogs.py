"""Every message id the code can ask for exists in every catalog, and no rendered text shows an id."""

from __future__ import annotations

import ast
import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.commands.language import SCOPES, VERBS
from bot.escalations.models import PRIORITIES, State
from bot.escalations.notices import REQUESTER_ACTIONS
from bot.i18n import message_ids
from bot.languages import LANGUAGES
from bot.storage.clock import to_iso
from handlers.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
# Strings shaped like message ids that are names of other things (scheduler jobs, threads, tasks).
NOT_MESSAGES = {
    "digest-catch-up",
    "teams-notifier",
    "slack-commit",
    "slack-http",
    "slack-work",
    "slack-work-listener",
    "slack-work-stop",
    "slack-inbox-keys",
    "slack-inbox-recovery",
    "slack-inbox-leases",
}


def _trees() -> Iterator[ast.AST]:
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield ast.parse(path.read_text(encoding="utf-8"))


def _first_args(name: str) -> set[str]:
    """Constant first arguments of every call to `name` (e.g. the action of each Outcome)."""
    found = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if called == name and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def _used_ids() -> tuple[set[str], set[str]]:
    """(constant message ids, prefixes of ids built in f-strings) found in bot/ and handlers/."""
    heads = {i.split("-")[0] for i in message_ids("en")}
    constants, prefixes = set(), set()
    for tree in _trees():
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and ID.match(text) and text.split("-")[0] in heads:
                constants.add(text)
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = str(node.values[0].value)
                if re.match(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*-$", head) and head.split("-")[0] in heads:
                    prefixes.add(head)
    return constants - NOT_MESSAGES, prefixes


def _codes(name: str) -> set[str]:
    return {code.replace("_", "-") for code in _first_args(name)}


def _dynamic_ids() -> dict[str, set[str]]:
    """Every f-string prefix the code uses, with the values it is completed with."""
    states = {s.value for s in State}
    actions = _first_args("Outcome") | _first_args("_Step")
    return {
        "digest-state-": states,
        "esc-state-": states,
        "slack-state-": states,
        "teams-state-": states,
        "esc-": actions,
        "esc-verb-": {verb for verb in VERBS if f"esc-verb-{verb}" in message_ids("en")} | {"bump"},
        "esc-scope-": set(SCOPES),
        "cmd-usage-": set(VERBS),
        "cmd-help-": set(VERBS),
        "teams-notify-": set(REQUESTER_ACTIONS),  # the requester's notices, by action
        "slack-priority-": set(PRIORITIES),
        "error-": _codes("EscalationError"),
        "standup-error-": _codes("StandupError"),
        "standup-q-": {"yesterday", "today", "blockers"},
        "standup-label-": {"yesterday", "today", "blockers"},
        "esc-field-": set(),  # falls back to the field's own name when there is no message
    }


def test_every_message_id_used_exists_in_every_catalog() -> None:
    constants, prefixes = _used_ids()
    dynamic = _dynamic_ids()
    assert prefixes <= set(dynamic), f"new f-string ids: list their values here {prefixes - set(dynamic)}"
    used = constants | {prefix + value for prefix, values in dynamic.items() for value in values}
    assert "esc-overdue" in used and "digest-state-cancelled" in used  # the scan sees what it should
    for language in LANGUAGES:
        missing = sorted(used - message_ids(language))
        assert not missing, f"{language} lacks {missing}"


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {"ROLEBOT_DB": str(tmp_path / "rolebot.db"), "ROLEBOT_USER": "ada"}


def rolebot(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env, input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _every_state(env: dict[str, str]) -> None:
    """Escalations in every state, one past its resolve deadline and one moved up by the sweep."""
    refs = [
        json.loads(rolebot(env, "escalate", team, summary, "-p", "P1", "--json").stdout)["id"]
        for team, summary in (("it", "VPN down"), ("it", "Printer"), ("it", "Old bug"), ("it", "Laptop"))
    ]
    rolebot(env, "escalations", "cancel", refs[1])
    rolebot(env, "escalations", "ack", refs[2])
    rolebot(env, "escalations", "ack", refs[3])
    rolebot(env, "escalations", "resolve", refs[3])
    past = to_iso(datetime.now(UTC) - timedelta(hours=5))
    with sqlite3.connect(env["ROLEBOT_DB"]) as db:
        db.execute("UPDATE escalations SET ack_due = ?, resolve_due = ?", [past, past])


def test_no_rendered_text_shows_a_message_id(env: dict[str, str]) -> None:
    _every_state(env)
    heads = {i.split("-")[0] for i in message_ids("en")}
    outputs = [rolebot(env, "sweep").stdout]  # bumped and flagged past its resolve time
    for language in LANGUAGES:
        for output in ("text", "slack", "teams"):
            for target in (("--team", "it"), ("--leadership",)):
                shown = rolebot(env, "digest", *target, "--preview", "--lang", language, "--format", output)
                outputs.append(shown.stdout)
        outputs.append(rolebot(env, "escalations", "list", "all", "--lang", language).stdout)
        outputs.append(rolebot(env, "escalations", "show", "ESC-3", "--lang", language).stdout)
    asked = ("who handles returns?", "退貨由誰處理？", "Vem hanterar returer?", "반품은 누가 처리하나요?")
    for question in asked:
        outputs.append(rolebot(env, "ask", question).stdout)
    outputs.append(rolebot(env, "ask", "Wat is de zin van het leven?").stdout)  # the fallback contact
    outputs.append(rolebot(env, "chat", stdin="who handles returns?\nno\nlst\n").stdout)
    for text in outputs:
        words = re.findall(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b", text)
        raw = sorted({word for word in words if word.split("-")[0] in heads})
        assert not raw, (raw, text)
        assert "{???}" not in text and "{$" not in text, text


def test_korean_catalog_chooses_particles_and_chinese_has_no_spaces_around_names() -> None:
    locales = ROOT / "bot" / "locales"
    korean = "\n".join(p.read_text(encoding="utf-8") for p in sorted((locales / "ko").glob("*.ftl")))
    assert not re.findall(r"을\(를\)|이\(가\)|은\(는\)|\(으\)로|\(이\)라는", korean)  # PARTICLE() instead
    chinese = "\n".join(p.read_text(encoding="utf-8") for p in sorted((locales / "zh-TW").glob("*.ftl")))
    cjk = "[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
    spaced = re.findall(rf"{cjk} \{{ \$(?:team|role|actor|user|person|fallback)[^}}]*\}}", chinese)
    spaced += re.findall(rf"\{{ \$(?:team|role|actor|user|person|fallback) \}} {cjk}", chinese)
    assert not spaced
