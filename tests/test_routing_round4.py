"""Routing round 4, through `rolebot ask --json --batch` as the blind sets are scored: messages whose asking
sentence points back, thin focused readings, Korean without spaces, compounds and everyday spellings.
The questions are our own, not the blind sets'."""

from __future__ import annotations

from typing import Any

import pytest
from routing_batch import ask_batch


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every question of this module asked in one batch, as `rolebot ask --json --batch -`."""
    questions = [q for case in CASES for q in case[:-1] if isinstance(q, str)] + [PARTLY_KNOWN]
    return ask_batch(questions, tmp_path_factory.mktemp("db"))


PARTLY_KNOWN = "wie beheert het spaarkaartprogramma?"  # spaar + kaart + programma, not one team's word


# (question, the same question written the other way or None, expected team or None for "I don't know")
CASES: list[tuple[str, str | None, str | None]] = [
    # the asking sentence points back ("that"): the need is in the sentence before it, not in "deliver"
    (
        "Het management wil weten welke categorieën het best verkopen per regio. Wie kan dat leveren?",
        None,
        "data",
    ),
    ("Ledningen vill se vilka kategorier som säljer bäst per region. Vem kan ta fram det?", None, "data"),
    # "Who will call her back?" rests on everyday words: the sentence before it decides
    (
        "A customer has emailed three times about a broken kettle. Who will call her back?",
        None,
        "customer-service",
    ),
    # Korean typed without spaces; arithmetic is not a team's business (하기 in 곱하기 is no evidence)
    ("환불누가해줘요?", "환불은 누가 해줘요?", "customer-service"),
    ("3 곱하기 4는?", None, None),
    # English words are not split as compounds ('interview' is not int + view)
    ("Where do I find the interview checklist for job candidates?", None, None),
    # a Dutch plural typed without its apostrophe, a Swedish abbreviation inflected after a colon
    (
        "wie schrijft de teksten op de productpaginas?",
        "wie schrijft de teksten op de productpagina's?",
        "content",
    ),
    ("vem äger KPI:erna?", "vem äger KPI:er?", "c-level"),
]


@pytest.mark.parametrize(("question", "other", "team"), CASES, ids=[c[0][:40] for c in CASES])
def test_round4_messages_route_like_their_need(
    answers: dict[str, dict[str, Any]], question: str, other: str | None, team: str | None
) -> None:
    answer = answers[question]
    assert answer["team"] == team, answer
    if team is None:
        assert answer["choices"] == [], answer  # nothing plausible: a plain "I don't know"
    if other is not None:
        same = answers[other]
        assert (answer["team"], answer["confidence"]) == (same["team"], same["confidence"])


def test_a_compound_only_partly_known_still_offers_the_team_that_knows_its_parts(
    answers: dict[str, dict[str, Any]],
) -> None:
    data = answers[PARTLY_KNOWN]
    offered = [data["team"]] if data["team"] else [choice["team"] for choice in data["choices"]]
    assert "marketing" in offered, data
