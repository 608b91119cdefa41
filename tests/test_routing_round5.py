"""Routing round 5, through `rolebot ask --json --batch` as the blind sets are scored: casual Korean endings,
Korean words typed together, misspelt question words, a team's own topic against a passing mention,
Simplified Chinese converted word by word, and the e-commerce team's lead role. The questions are our
own, not the blind sets'."""

from __future__ import annotations

from typing import Any

import pytest
from routing_batch import ask_batch, assert_routes_like_plain

DAILY_RUNNING = "Who keeps our web shop running from day to day?"

# (question, the same question written the other way or None, expected team)
CASES: list[tuple[str, str | None, str]] = [
    # a plain casual ending (반말 해) is an ending like the polite 해요, not an unknown word
    ("반품 누가 담당해?", "반품 누가 담당해요?", "customer-service"),
    # known words typed together with nothing left over read as the words typed apart
    ("배너이미지깨짐 누가 고쳐요?", "배너 이미지 깨짐 누가 고쳐요?", "content"),
    # a misspelt question word is scaffolding, even when its stem is a known word ('response')
    ("who is responsable for the newsletter", "who is responsible for the newsletter", "marketing"),
    # dependent nouns (하는 건 'the thing that') and 몫 ('whose share') are scaffolding
    ("환불 처리하는 건 누구 몫이에요?", "환불 처리 누가 해요?", "customer-service"),
    # stock is the warehouse's own topic (its role's summary); a promotion or an integration only mentions it
    ("재고 관리는 누가 하나요?", None, "warehouse"),
    # Simplified 库存|盘点: Taiwan phrasing must not read 存盘 ('save a file') across the word boundary
    ("仓库每月的库存盘点谁来做？", "倉庫每月的庫存盤點誰來做？", "warehouse"),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every question of this module asked in one batch, as `rolebot ask --json --batch -`."""
    questions = [q for case in CASES for q in case[:2] if q is not None] + [DAILY_RUNNING]
    return ask_batch(questions, tmp_path_factory.mktemp("db"))


@pytest.mark.parametrize(("question", "other", "team"), CASES, ids=[c[0][:40] for c in CASES])
def test_round5_questions_route_like_their_plain_form(
    answers: dict[str, dict[str, Any]], question: str, other: str | None, team: str
) -> None:
    assert_routes_like_plain(answers, question, other, team)


def test_the_e_commerce_teams_own_duties_name_the_e_commerce_manager(
    answers: dict[str, dict[str, Any]],
) -> None:
    answer = answers[DAILY_RUNNING]
    assert (answer["team"], answer["role"]) == ("ecommerce", "ecommerce-manager"), answer
