"""Routing round 10, through `rolebot ask --json --batch` as the blind sets are scored: a working-life
topic named beside the asking clause ('the toner is out, who swaps it?') is outside, as are pay rises,
sports results and recipes; an asking sentence that points back ('Who keeps those pages current?') may
confirm the whole message against the sentence before it; stock the site shows against what the
warehouse counts is the inventory manager's; FAQ and help pages are content's; the delivery fleet in
everyday words; Korean greetings, times of day, 'take a look' and particles run together (사이트엔) are
no content. The questions are our own, not the blind sets'."""

from __future__ import annotations

from typing import Any

import pytest
from routing_batch import ask_batch, assert_routes_like_plain

# no team owns these, however well a word of them matches one
OUTSIDE = [
    "Tonern i skrivaren vid fikarummet är slut, vem byter den?",
    "Who do I talk to about a pay raise?",
    "Which club took the champions league final this year?",
    "炒飯怎麼做比較好吃？",
]
# (question, team): each of these named another team, or none, before
ANSWERED = [
    (
        "Morning all, apologies if this is the wrong place. The FAQ page still promises a 14-day return "
        "window and the delivery page is stale as well. Customers keep phoning customer service about it. "
        "Who is meant to keep those pages current?",
        "content",
    ),
    ("商品頁顯示藍色水壺有貨，可是倉庫說一個都沒有，要跟誰說？", "warehouse"),
    (
        "Produktsidan säger att den blå vattenkokaren finns i lager men lagret har inga. "
        "Vem ska jag säga till?",
        "warehouse",
    ),
    (
        "De productpagina zegt dat de blauwe waterkoker op voorraad is, maar het magazijn heeft er geen. "
        "Wie moet ik dat laten weten?",
        "warehouse",
    ),
    ("상품 페이지엔 파란 주전자 재고가 있다고 나오는데 창고엔 없어요. 누구한테 말해요?", "warehouse"),
    ("재고 숫자가 안맞는데 누가 봐줄 수 있나요?", "warehouse"),
    ("Vem ansvarar för bilflottan och chaufförerna?", "warehouse"),
    ("Who keeps the FAQ page up to date?", "content"),
]
# (wrapped, plain, team): a Korean good-morning neither helps nor harms
GREETINGS = [
    (
        "좋은 아침입니다 ☕ 매출 대시보드 숫자가 며칠째 이상해요. 어느 팀 담당인가요?",
        "매출 대시보드 숫자가 며칠째 이상해요. 어느 팀 담당인가요?",
        "data",
    ),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    questions = [*OUTSIDE, *(q for q, _ in ANSWERED), *(q for pair in GREETINGS for q in pair[:2])]
    return ask_batch(questions, tmp_path_factory.mktemp("db"))


@pytest.mark.parametrize("question", OUTSIDE, ids=[q[:20] for q in OUTSIDE])
def test_outside_topics_are_not_answered(answers: dict[str, dict[str, Any]], question: str) -> None:
    answer = answers[question]
    assert answer["team"] is None, answer


@pytest.mark.parametrize(("question", "team"), ANSWERED, ids=[q[:20] for q, _ in ANSWERED])
def test_answered(answers: dict[str, dict[str, Any]], question: str, team: str) -> None:
    answer = answers[question]
    assert answer["team"] == team, answer
    assert answer["confidence"] >= 0.5, answer


@pytest.mark.parametrize(("wrapped", "plain", "team"), GREETINGS, ids=[p[:12] for _, p, _ in GREETINGS])
def test_korean_greetings_are_chat(
    answers: dict[str, dict[str, Any]], wrapped: str, plain: str, team: str
) -> None:
    assert_routes_like_plain(answers, wrapped, plain, team)
