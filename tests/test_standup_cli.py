"""Standups from the terminal and chat: `rolebot standup ...`, `standup ...` lines, and the renderers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result
from standup_fixtures import make_world, standup_directory_raw

from bot.config import Config
from bot.conversation.assistant import IncomingMessage
from bot.escalations.models import Actor
from bot.i18n import LANGUAGES
from bot.knowledge import KnowledgeBase
from bot.router import Router
from bot.runtime import Core, build_core
from bot.standup.chat import StandupChat
from bot.standup.render import ESCALATE_ACTION, Names, report_text, report_view
from handlers.cli.main import cli
from handlers.cli.standup import register
from handlers.slack.render.standup import report_blocks
from handlers.teams.render.standup import report_card, report_card_body


def _always_on_directory(path: Path) -> Path:
    """Standups every day in UTC, open from 00:00 to 23:59, so tests run on any real date."""
    raw = standup_directory_raw()
    raw["teams"]["it"].update(digest_time="23:59", timezone="UTC")
    raw["teams"]["it"]["standup"] = {
        "ask_time": "00:00",
        "holiday_country": None,
        "working_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    }
    raw["teams"]["ecommerce"]["standup"] = False
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    directory = _always_on_directory(tmp_path / "directory.yaml")
    return {
        "ROLEBOT_DB": str(tmp_path / "rolebot.db"),
        "ROLEBOT_DIRECTORY": str(directory),
        "ROLEBOT_USER": "",
    }


@pytest.fixture()
def rolebot() -> click.Group:
    group = click.Group()
    register(group)
    return group


def test_answer_skip_status_and_preview_from_the_terminal(rolebot: click.Group, env: dict[str, str]) -> None:
    runner = CliRunner()
    first = runner.invoke(rolebot, ["standup", "answer", "--as", "felix", "fixed", "the", "cart"], env=env)
    assert first.exit_code == 0, first.output
    assert "What are you working on today?" in first.output
    done = runner.invoke(
        rolebot,
        [
            "standup",
            "answer",
            "--as",
            "felix",
            "today: release\nblockers: the payment gateway keeps timing out",
        ],
        env=env,
    )
    assert done.exit_code == 0 and "everything for today" in done.output
    assert "0 of 3" in runner.invoke(rolebot, ["standup", "status", "--as", "greta"], env=env).output
    assert "away" in runner.invoke(rolebot, ["standup", "skip", "--as", "greta"], env=env).output
    preview = runner.invoke(rolebot, ["standup", "--team", "it", "--preview", "--as", "felix"], env=env)
    assert preview.exit_code == 0, preview.output
    assert "fixed the cart" in preview.output and "Away today: Greta Holm" in preview.output
    assert "→ IT, Developer" in preview.output and "SB" in preview.output


def test_preview_refuses_outsiders_and_escalate_acts_once(rolebot: click.Group, env: dict[str, str]) -> None:
    runner = CliRunner()
    blocker = "blockers: the payment gateway keeps timing out"
    runner.invoke(rolebot, ["standup", "answer", "--as", "felix", blocker], env=env)
    refused = runner.invoke(rolebot, ["standup", "--team", "it", "--preview", "--as", "cecilia"], env=env)
    assert refused.exit_code == 1 and "Only members of IT" in refused.output
    preview = runner.invoke(rolebot, ["standup", "--team", "it", "--preview", "--json"], env=env)
    key = next(b["accessory"]["value"] for b in json.loads(preview.output)["blocks"] if "accessory" in b)
    first = runner.invoke(rolebot, ["standup", "escalate", key, "--as", "greta"], env=env)
    again = runner.invoke(rolebot, ["standup", "escalate", key, "--as", "felix"], env=env)
    assert first.exit_code == 0 and "Blocker escalated to IT as ESC-1" in first.output
    assert "already escalated as ESC-1" in again.output


def test_bad_input_is_a_clear_error(rolebot: click.Group, env: dict[str, str]) -> None:
    runner = CliRunner()
    unknown = runner.invoke(rolebot, ["standup", "--team", "nope", "--preview"], env=env)
    assert unknown.exit_code == 2 and 'no team called "nope"' in unknown.output
    off = runner.invoke(rolebot, ["standup", "--team", "ecommerce", "--preview"], env=env)
    assert off.exit_code == 1 and "Standup is off" in off.output
    outsider = runner.invoke(rolebot, ["standup", "answer", "--as", "cecilia", "--lang", "en", "hi"], env=env)
    assert outsider.exit_code == 1 and "not in any standup" in outsider.output
    in_her_language = runner.invoke(rolebot, ["standup", "answer", "--as", "cecilia", "hi"], env=env)
    assert in_her_language.exit_code == 1 and "inte med i någon standup" in in_her_language.output
    bad_date = runner.invoke(rolebot, ["standup", "--team", "it", "--preview", "--date", "June"], env=env)
    assert bad_date.exit_code == 2


def test_run_prints_each_dm_once(rolebot: click.Group, env: dict[str, str]) -> None:
    runner = CliRunner()
    first = runner.invoke(rolebot, ["standup", "run"], env=env)
    assert first.exit_code == 0, first.output
    assert first.output.count("[ask ") == 2 and "it " in first.output
    second = runner.invoke(rolebot, ["standup", "run"], env=env)
    assert "[ask " not in second.output


@pytest.fixture()
def core(env: dict[str, str]) -> Iterator[Core]:
    built = build_core(Config.from_env(env))
    yield built
    built.stores.close()


def test_the_terminal_and_the_chat_say_the_same(env: dict[str, str], core: Core) -> None:
    """`rolebot standup answer|skip|status` and `standup ...` lines sent to the assistant (as Slack,
    Teams and `rolebot chat` send them) go through the one door: the same replies and refusals."""
    runner = CliRunner()

    def terminal(*args: str) -> Result:
        return runner.invoke(cli, ["standup", *args], env=env)

    def chat(person: str, line: str) -> str:
        message = IncomingMessage("slack", person, line, request_id=f"{person}-{line[:20]}", direct=True)
        return str(core.assistant.handle(message).text)

    pairs = [  # Felix at the terminal, Greta on Slack: the same team, language and progress
        (terminal("status", "--as", "felix"), chat("U0GRETA", "standup status")),
        (terminal("answer", "--as", "felix", "fixed the cart"), chat("U0GRETA", "standup fixed the cart")),
        (terminal("skip", "--as", "felix"), chat("U0GRETA", "standup skip")),
        (terminal("skip", "--undo", "--as", "felix"), chat("U0GRETA", "standup unskip")),
    ]
    for said, chatted in pairs:
        assert said.exit_code == 0 and said.output == f"{chatted}\n"
    assert "1 of 3" in terminal("status", "--as", "felix").output
    refused = terminal("answer", "--as", "cecilia", "hi")
    assert refused.exit_code == 1 and refused.output == f"error: {chat('U0CECIL', 'standup hi')}\n"
    long = "x" * 5000
    too_long = terminal("answer", "--as", "felix", long)
    assert too_long.exit_code == 2 and too_long.output == f"error: {chat('U0GRETA', f'standup {long}')}\n"


def test_chat_lines(core: Core) -> None:
    felix = Actor("cli", "felix")
    chat = StandupChat(core.standup, core.service, core.assistant.runner)
    assert chat.command("who handles returns?", felix) is None
    first = chat.command("standup fixed the cart", felix) or ""
    assert "What are you working on today?" in first
    assert "1 of 3" in (chat.command("standup", felix) or "")
    assert "away" in (chat.command("standup skip", Actor("slack", "U0GRETA")) or "")
    report = chat.command("standup report", felix) or ""
    assert "fixed the cart" in report and "Greta Holm" in report
    refused = chat.command("standup report it", Actor("cli", "cecilia")) or ""
    assert "Bara medlemmar i IT" in refused  # refused, in Cecilia's language
    assert "not in any standup" in (chat.command("standup hello", Actor("cli", "nobody")) or "")
    assert "standup skip" in (chat.command("standup help", felix) or "")


def test_renderers_in_every_language(tmp_path: Path, bundled_kb: KnowledgeBase, router: Router) -> None:
    world = make_world(tmp_path, bundled_kb, router)
    svc = world.service()
    svc.record_answer("felix", "blockers: the payment gateway keeps timing out")
    svc.record_answer("ada", "blockers: the payment gateway keeps timing out", team="ecommerce")
    report = svc.report("it")
    names = Names(bundled_kb, world.directory)
    for language in LANGUAGES:
        text = report_text(report, names, language)
        assert "payment gateway" in text and "Felix Ek" in text and "Greta Holm" in text
        blocks = report_blocks(report_view(report, names, language))
        buttons = [b["accessory"] for b in blocks if "accessory" in b]
        assert [b["action_id"] for b in buttons] == [ESCALATE_ACTION, ESCALATE_ACTION]
        assert {b["value"] for b in buttons} == {b.key for b in (*report.blockers, *report.blocking_others)}
        card = report_card(report_view(report, names, language))
        submits = [
            a
            for item in card["body"]
            if item["type"] == "Container"
            for sub in item["items"]
            if sub["type"] == "ActionSet"
            for a in sub["actions"]
        ]
        assert len(submits) == 2 and all(a["data"]["action"] == ESCALATE_ACTION for a in submits)
    assert "阻礙" in report_text(report, names, "zh-TW") and "Hinder" in report_text(report, names, "sv")
    section = svc.section("it", report.run_date, "ko")
    assert section is not None and "장애물" in section.text
    assert "장애물" in str(report_blocks(section.view)) and "장애물" in str(report_card_body(section.view))
    assert svc.section("marketing", report.run_date) is None
