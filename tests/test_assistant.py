"""The conversation core on a real SQLite file: questions, commands, knowledge gaps and corrections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.commands.runner import CommandResult
from bot.config import Config
from bot.conversation.answers import Answer
from bot.conversation.assistant import Assistant, IncomingMessage
from bot.runtime import build_core


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return Config(db_path=tmp_path / "rolebot.db")


@pytest.fixture()
def assistant(config: Config) -> Assistant:
    return build_core(config).assistant


def _say(assistant: Assistant, text: str, user: str = "U0DAAN", **kw: str) -> Answer | CommandResult:
    return assistant.handle(IncomingMessage(platform="slack", user_id=user, text=text, **kw))


def test_a_question_gets_an_answer_in_the_askers_language(assistant: Assistant) -> None:
    reply = _say(assistant, "반품은 누가 처리하나요?")
    assert isinstance(reply, Answer)
    assert reply.routing.team == "customer-service" and reply.language == "ko"
    assert reply.team_name == "고객 서비스팀" or (reply.team_name and "고객" in reply.team_name)
    assert reply.contact is not None and reply.contact.slack_channel == "#customer-service"
    assert reply.why and any("\uac00" <= ch <= "\ud7a3" for ch in reply.why)


def test_a_command_goes_to_the_command_runner(assistant: Assistant) -> None:
    reply = _say(assistant, "escalate warehouse pallet stuck at the dock -p P1", request_id="Ev1")
    assert isinstance(reply, CommandResult) and reply.ok and reply.kind == "created"
    assert reply.escalation is not None and reply.escalation.team == "warehouse"
    again = _say(assistant, "escalate warehouse pallet stuck at the dock -p P1", request_id="Ev1")
    assert isinstance(again, CommandResult) and again.escalation is not None
    assert again.escalation.id == reply.escalation.id  # a retried request acts once


def test_empty_and_huge_messages_get_a_clear_reply(assistant: Assistant) -> None:
    empty = _say(assistant, "   ")
    huge = _say(assistant, "who handles returns? " * 300)
    assert isinstance(empty, Answer) and empty.problem == "empty" and empty.routing.team is None
    assert isinstance(huge, Answer) and huge.problem == "too_long" and "4,000" in huge.text


def test_unanswerable_questions_are_recorded_as_knowledge_gaps(assistant: Assistant, config: Config) -> None:
    reply = _say(assistant, "what's the wifi password?")
    assert isinstance(reply, Answer) and reply.routing.team is None
    assert reply.fallback is not None and "Digital office" in reply.text
    gaps = build_core(config).stores.feedback.unrouted_since(datetime.now(UTC) - timedelta(hours=1))
    assert [q for q, _ in gaps] == ["what's the wifi password?"]


def test_a_correction_is_stored_and_changes_later_answers_in_a_new_process(config: Config) -> None:
    first = build_core(config).assistant
    question = "who decides the colour of our shipping boxes?"
    before = first.ask(question, first.actor_for("slack", "U0ADA"))
    assert before.routing.team != "marketing"
    corrected = first.correct(question, before.routing.team, "marketing", first.actor_for("slack", "U0ADA"))
    assert corrected.routing.team == "marketing" and "Thanks" in corrected.text
    # a fresh core (another replica, or after a restart) reads the correction from SQLite
    later = build_core(config).assistant
    reply = later.ask("Who decides the colour of our shipping boxes", later.actor_for("teams", "29:bo"))
    assert reply.routing.team == "marketing" and reply.routing.corrected


def test_correcting_to_an_unknown_team_is_refused(assistant: Assistant) -> None:
    with pytest.raises(KeyError):
        actor = assistant.actor_for("cli", "ada")
        assistant.correct("who handles returns?", "customer-service", "nope", actor)


def test_actors_are_resolved_through_the_directory(assistant: Assistant) -> None:
    known = assistant.actor_for("teams", "29:eun")
    stranger = assistant.actor_for("slack", "U999")
    assert known.person_id == "eun" and known.display_name == "Eun-ji Park"
    assert stranger.person_id is None
