"""Routing round 7, through `rolebot ask --json --batch` as the blind sets are scored: the whole message
is a second opinion on the reading chosen (context before the question does not overrule the asking
clause and the whole message together; a split becomes choices), and Korean politeness ('thank you',
the polite 분, 'is there', 'side', 'tell') is how a question is asked, not what it is about. The
questions are our own, not the blind sets'."""

from __future__ import annotations

from typing import Any

import pytest
from routing_batch import ask_batch

# (question, its plain form, expected team): the wrapped question answers like the plain one
KOREAN = [
    # 감사합니다 'thank you' is a sign-off, not 감사 'audit' (finance)
    (
        "안녕하세요, 재고 담당자분이 누구신지 알 수 있을까요? 감사합니다!",
        "재고는 누가 담당해요?",
        "warehouse",
    ),
    # 어느 쪽 'which side' asks for a team, like 누가
    ("결제 오류는 어느 쪽에 물어봐야 해요?", "결제 오류는 누가 처리해요?", "content"),
    # 누구한테 말해요 'whom do I tell', typed together, is the question, not its topic
    ("환불늦는거 누구한테말해요", "환불 누가 해요", "customer-service"),
]
# the sentence before the question ('sorts as text') points at content; the asking clause and the whole
# message point at the developers: split evidence is offered as choices, the developers first
SPLIT = (
    "Morning! On the kettles page 'price high to low' puts 89 before 120. Looks like it sorts as text. "
    "Who can fix the sort order?"
)
TELL = "반품 처리가 늦어지는데 어디에 말해야 하죠?"


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every question of this module asked in one batch, as `rolebot ask --json --batch -`."""
    questions = [q for case in KOREAN for q in case[:2]] + [SPLIT, TELL]
    return ask_batch(questions, tmp_path_factory.mktemp("db"))


@pytest.mark.parametrize(("question", "plain", "team"), KOREAN, ids=[c[0][:20] for c in KOREAN])
def test_korean_politeness_and_asking_words_answer_like_the_plain_question(
    answers: dict[str, dict[str, Any]], question: str, plain: str, team: str
) -> None:
    answer, same = answers[question], answers[plain]
    assert answer["team"] == same["team"] == team, (answer, same)
    assert answer["confidence"] >= 0.5, answer


def test_which_side_weighs_nothing_the_plain_question_does_not(answers: dict[str, dict[str, Any]]) -> None:
    sided, plain = (answers[q] for q in KOREAN[1][:2])
    # read as a word the knowledge knows ('page'), 쪽 pulled the confidence down to ~0.7
    assert sided["confidence"] == pytest.approx(plain["confidence"], abs=0.05), (sided, plain)


def test_a_korean_question_asking_where_to_tell_is_answered(answers: dict[str, dict[str, Any]]) -> None:
    # 말해야 'must tell' left the question without its need weighed (returns delayed): it abstained
    assert answers[TELL]["team"] == "warehouse", answers[TELL]


def test_context_before_the_question_that_the_whole_message_disowns_gives_choices(
    answers: dict[str, dict[str, Any]],
) -> None:
    answer = answers[SPLIT]
    assert answer["team"] is None, answer
    offered = [choice["team"] for choice in answer["choices"]]
    assert offered[0] == "it", answer
