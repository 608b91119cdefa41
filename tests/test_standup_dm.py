"""The core rule every surface shares: a plain direct message answers the standup one is in the middle
of; channel messages, commands and everything outside that window stay questions and commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from standup_fixtures import ASK, REPORT, Clock, RecordingPrompter

from bot.commands.runner import CommandResult
from bot.config import Config
from bot.conversation.answers import Answer
from bot.conversation.assistant import IncomingMessage
from bot.runtime import Core, build_core
from bot.standup.schedule import StandupScheduler


@pytest.fixture
def clock() -> Clock:
    return Clock(ASK)


@pytest.fixture
def core(tmp_path: Path, clock: Clock) -> Core:
    return build_core(Config(db_path=tmp_path / "rolebot.db"), prompter=RecordingPrompter(), clock=clock)


def send(core: Core, text: str, *, person: str = "felix", direct: bool = True) -> Answer | CommandResult:
    return core.assistant.handle(IncomingMessage("cli", person, text, direct=direct))


def felix_answers(core: Core) -> dict[str, str]:
    assert core.standup is not None
    run = core.standup.store.run("it", ASK.date())
    return {a.question: a.text for a in core.standup.store.answers(run.id, "felix")} if run else {}


def test_before_being_asked_a_dm_is_a_question(core: Core) -> None:
    assert isinstance(send(core, "fixed the cart bug"), Answer)
    assert felix_answers(core) == {}


def test_while_asked_plain_dms_answer_but_channel_messages_and_commands_do_not(
    core: Core, clock: Clock
) -> None:
    assert core.standup is not None
    StandupScheduler(core.standup).run_due(ASK)
    reply = send(core, "fixed the cart bug")
    assert isinstance(reply, CommandResult) and "Next: What are you working on today?" in reply.text
    assert isinstance(send(core, "who handles returns?", direct=False), Answer)  # a channel / mention
    listed = send(core, "list mine")  # the shared command language is never an answer
    assert isinstance(listed, CommandResult) and listed.kind != "text"
    assert felix_answers(core) == {"yesterday": "fixed the cart bug"}
    assert "too long" in send(core, "x" * 4001).text  # refused with a clear message, nothing stored
    send(core, "release prep")
    send(core, "none")
    # All answered: labelled edits and "+" additions still go to the standup, anything else is a question.
    assert isinstance(send(core, "who handles returns?"), Answer)
    clock.advance(minutes=1)
    send(core, "today: release prep and the checklist")
    clock.advance(minutes=1)
    send(core, "+ and the changelog")  # adds to the answer changed last
    assert felix_answers(core) == {
        "yesterday": "fixed the cart bug",
        "today": "release prep and the checklist\nand the changelog",
        "blockers": "none",
    }


def test_away_people_and_closed_runs_get_questions_answered(core: Core, clock: Clock) -> None:
    assert core.standup is not None
    StandupScheduler(core.standup).run_due(ASK)
    assert "away" in send(core, "standup skip", person="greta").text
    assert isinstance(send(core, "who handles returns?", person="greta"), Answer)
    clock.now = REPORT
    assert isinstance(send(core, "who handles returns?"), Answer)
    assert felix_answers(core) == {}
