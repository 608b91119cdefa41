"""Routing round 6, through `rolebot ask --json --batch` as the blind sets are scored: quoted names and
numbers are details of the case, words typed without diacritics keep their everyday weight, real words
are not read as typos, Korean 책임지다 is a question word, and knowledge for deliveries, the product
catalogue and search rankings. The questions are our own, not the blind sets'."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from routing_batch import ask_batch, assert_routes_like_plain

from bot.chat_text import plain_text
from bot.word_frequency import zipf
from handlers.cli.main import cli

# (question, the plain form it must match or None, expected team)
CASES: list[tuple[str, str | None, str]] = [
    # a quoted banner text is a name the asker cites: it must not count against the answer
    ("Who changes the banner on the homepage that still says 'Spring Fling Weekend'?", None, "content"),
    ("Vem byter bannern på startsidan som fortfarande säger 'Vårfest Helgrea'?", None, "content"),
    # 책임져요 / 책임지나요 ('is responsible') are question words, like 담당해요
    ("반품은 누가 책임져요?", "반품은 누가 담당해요?", "customer-service"),
    ("재고 관리는 누가 책임지나요?", "재고 관리는 누가 하나요?", "warehouse"),
    # Swedish deliveries to customers are the warehouse's, not a project's deliverables
    ("Vem ansvarar för leveranserna till våra kunder?", None, "warehouse"),
    # an emoji between a greeting and the question parts them like a dash
    (
        "Goedemorgen 👋 Wie regelt terugbetalingen? Alvast bedankt!!",
        "Wie regelt terugbetalingen?",
        "customer-service",
    ),
    (
        "좋은 아침이에요 👋 환불은 누가 처리해요? 미리 감사드려요!!",
        "환불은 누가 처리해요?",
        "customer-service",
    ),
    # a Korean honorific written onto a mention goes with the mention
    ("<at>김지수</at>님 환불은 누가 처리해요? 🙏", "환불은 누가 처리해요?", "customer-service"),
    # an apology that reads like an outage ('stoor') does not make the question too close to call
    (
        "Hoi <@U123ABC>, sorry dat ik stoor — "
        "Wie repareert kapotte afbeeldingen op de productpagina's? Groetjes",
        "Wie repareert kapotte afbeeldingen op de productpagina's?",
        "content",
    ),
    # a word typed in Traditional characters stays as typed: Taiwan phrasing's 儀錶板 is not the known 儀表板
    ("銷售儀表板誰做？", None, "data"),
    # the clause read alone is the one holding the question mark, not what trails after it
    (
        '"Who builds the sales dashboards?" — asking for a colleague',
        "Who builds the sales dashboards?",
        "data",
    ),
    # the product catalogue is kept by the product specialist
    ("Wie houdt de productcatalogus bij?", None, "ecommerce"),
    # falling in Google's results is search-engine work
    ("Who do I talk to, our shop fell off the first page of Google", None, "marketing"),
]
ORDER_NUMBER = (
    "Order 48817 is still not packed, who sorts that out?",
    "Order is still not packed, who sorts that out?",
)
QUOTED = (CASES[0][0], CASES[0][0].replace("'", ""))
OFFICE_PRINTER = "Skrivaren på kontoret har slut på toner"
# a compound's known part ('budget' in 'marknadsföringsbudgeten') is evidence for the focused reading, so
# the sign-off 'Ingen stress!' (read alone: a stress test) does not take the message elsewhere
NO_STRESS = (
    "Inte bråttom alls. Vem bestämmer marknadsföringsbudgeten? Ingen stress!",
    "Vem bestämmer marknadsföringsbudgeten?",
)
# pay, leave, parking and the office kitchen belong to no team: an honest "I don't know" with choices
OUTSIDE = [
    "The staff kitchen printer has no toner left",
    "Where can I park my car, is there a parking space for visitors?",
    "茶水間的印表機又卡紙了，誰來修？",
    "탕비실 프린터가 또 고장 났어요",
    "Vem svarar på frågor om lönespecifikationen?",
]
# ... but leave told as context, or 'lönar sig' ('pays off'), is not the question
INSIDE = [
    ("I'm on parental leave from Monday. Who sends the newsletter while I'm away?", "marketing"),
    ("Lönar det sig att annonsera på TikTok?", "marketing"),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every question of this module asked in one batch, as `rolebot ask --json --batch -`."""
    questions = [q for case in CASES for q in case[:2] if q is not None]
    questions += [*ORDER_NUMBER, *NO_STRESS, QUOTED[1], OFFICE_PRINTER, *OUTSIDE, *(q for q, _ in INSIDE)]
    return ask_batch(questions, tmp_path_factory.mktemp("db"))


@pytest.mark.parametrize(("question", "other", "team"), CASES, ids=[c[0][:40] for c in CASES])
def test_round6_questions_route_to_the_team_and_like_their_plain_form(
    answers: dict[str, dict[str, Any]], question: str, other: str | None, team: str
) -> None:
    assert_routes_like_plain(answers, question, other, team)


def test_a_quoted_name_unknown_to_the_knowledge_does_not_lower_the_confidence(
    answers: dict[str, dict[str, Any]],
) -> None:
    quoted, plain = (answers[q] for q in QUOTED)
    assert quoted["team"] == plain["team"] == "content"
    # unquoted, 'Spring Fling Weekend' reads as words nobody explains; quoted, as the banner's name
    assert quoted["confidence"] > plain["confidence"] + 0.1, (quoted, plain)


def test_an_order_number_weighs_less_than_a_word_nobody_explains(answers: dict[str, dict[str, Any]]) -> None:
    numbered, plain = (answers[q] for q in ORDER_NUMBER)
    assert numbered["team"] == plain["team"] == "warehouse"
    assert numbered["confidence"] >= 0.65, numbered  # a full-weight unknown word left it at ~0.53


def test_a_real_word_is_not_read_as_a_typo_of_a_known_one(answers: dict[str, dict[str, Any]]) -> None:
    # 'toner' is a word of its own, not 'tone' (of voice) mistyped: it must not make the answer sure
    assert answers[OFFICE_PRINTER]["confidence"] < 0.5, answers[OFFICE_PRINTER]


def test_a_word_typed_without_diacritics_is_as_everyday_as_the_word_meant() -> None:
    assert zipf("stammer", "sv") == zipf("stämmer", "sv") > 4.0
    assert zipf("financiele", "nl") == zipf("financiële", "nl") > 0.0


@pytest.mark.parametrize("question", OUTSIDE)
def test_a_working_life_topic_no_team_owns_is_not_guessed(
    answers: dict[str, dict[str, Any]], question: str
) -> None:
    answer = answers[question]
    assert answer["team"] is None, answer


@pytest.mark.parametrize(("question", "team"), INSIDE)
def test_leave_told_as_context_or_a_lookalike_word_still_routes(
    answers: dict[str, dict[str, Any]], question: str, team: str
) -> None:
    assert answers[question]["team"] == team, answers[question]


def test_emoji_between_words_part_them_and_emoji_at_the_ends_go() -> None:
    assert plain_text("Goedemorgen 👋 Wie regelt dat? 🙏") == "Goedemorgen — Wie regelt dat?"
    assert plain_text("hej :wave::pray: vem gör SEO?") == "hej — vem gör SEO?"
    assert plain_text("<@U1>님 누가 해요?") == "누가 해요?"


def test_a_plus_one_under_a_quoted_question_is_no_question_of_its_own(tmp_path: Path) -> None:
    """'+1, undrar också' alone reads as a customer wondering (customer service): it must not outvote the
    quoted question above it, which is asked in a message of several lines (hence not in the batch)."""
    env = {"ROLEBOT_DB": str(tmp_path / "rolebot.db"), "ROLEBOT_USER": "daan"}

    def ask(question: str) -> dict[str, Any]:
        result = CliRunner().invoke(cli, ["ask", "--json", question], env=env)
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.output))

    quoted = ask("> Vem bestämmer marknadsföringsbudgeten?\n+1, undrar också")
    assert quoted["team"] == ask("Vem bestämmer marknadsföringsbudgeten?")["team"] != "customer-service", (
        quoted
    )


def test_a_sign_off_does_not_outweigh_a_compound_known_in_part(answers: dict[str, dict[str, Any]]) -> None:
    wrapped, plain = (answers[q] for q in NO_STRESS)
    assert wrapped["team"] == plain["team"] != "it", (wrapped, plain)
