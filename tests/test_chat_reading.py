"""Chat messages read as chat: markup, greetings, everyday filler, scripts and diacritics, and choices
offered instead of a bare "I don't know"."""

from __future__ import annotations

import pytest

from bot.chat_text import plain_text, readings
from bot.router import Router


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ("<!channel> who handles returns?", "who handles returns?"),
        ("who handles <https://shop.example.com/returns|returns>?", "who handles returns?"),
        ("asked in <#C0GENERAL|general>: <@U024BE7LH> who does SEO?", "asked in : who does SEO?"),
        ("<!subteam^S0ABC> who does SEO? :pray: 🙏", "who does SEO?"),
        ("<at>Ada Lind</at> who does <b>SEO</b>?", "who does SEO ?"),
        ("**who** handles [returns](https://evil.example)?", "who handles returns?"),
        ("see https://shop.example.com/x and mail a@b.example", "see and mail"),
        ("refund &amp; returns &lt;now&gt;", "refund & returns <now>"),
        ("who\u200b handles\u202e returns", "who handles returns"),
    ],
)
def test_platform_markup_is_reduced_to_the_words_typed(message: str, plain: str) -> None:
    assert plain_text(message) == plain


def test_a_message_is_read_most_focused_first() -> None:
    text = "Hi team. The customer sent the kettle back. Who refunds her? Thanks!"
    assert readings(text) == [
        ["Who refunds her?"],
        ["The customer sent the kettle back. Who refunds her?"],
        [text, "Hi team.", "The customer sent the kettle back.", "Who refunds her?", "Thanks!"],
    ]
    assert readings("quick question, who handles returns?") == [
        ["quick question, who handles returns?", "who handles returns?"],
        ["quick question, who handles returns?"],
    ]
    assert readings("who handles returns?") == [["who handles returns?"]]


@pytest.mark.parametrize(
    ("bare", "wrapped"),
    [
        ("who handles returns?", "hi! quick question, who handles returns?"),
        ("who handles returns?", "<!channel> who handles returns?"),
        ("who handles returns?", "Hey <@U024BE7LH> :wave: who handles returns? thanks a lot!"),
        ("Vem hanterar returer?", "Hej! Snabb fråga: vem hanterar returer? Tack på förhand 🙏"),
        ("Wie behandelt retouren?", "Hoi! Snelle vraag: wie behandelt retouren? Alvast bedankt"),
        ("반품은 누가 처리하나요?", "안녕하세요! 간단한 질문인데요, 반품은 누가 처리하나요?"),
        ("退貨由誰處理？", "哈囉～想請問一下，退貨由誰處理？謝謝！"),
        ("who is in charge of SEO?", "who's in charge of SEO?"),
        ("who is in charge of SEO?", "<at>Ada Lind</at> who is in charge of SEO?"),
    ],
)
def test_a_wrapped_question_gets_the_bare_questions_team(router: Router, bare: str, wrapped: str) -> None:
    expected = router.route(bare)
    assert expected.team is not None
    assert router.route(wrapped).team == expected.team


@pytest.mark.parametrize(
    ("question", "team"),
    [
        ("退货由谁处理？", "customer-service"),  # Simplified characters
        ("vem hanterar aterbetalningar", "customer-service"),  # no å
        ("wie maakt de financiele prognoses", "finance"),  # no ë
        ("vem skoter kundtjanst och returer", "customer-service"),  # no ö, no ä
    ],
)
def test_other_scripts_and_missing_diacritics_route_like_the_proper_spelling(
    router: Router, question: str, team: str
) -> None:
    assert router.route(question).team == team


def test_the_why_is_the_responsibility_that_matched(router: Router) -> None:
    routing = router.route("who handles refunds for items sent back?")
    assert routing.team == "customer-service"
    assert routing.matched_id == "customer-service/-/returns"


def test_an_unsure_question_offers_the_nearest_teams_as_choices(router: Router) -> None:
    routing = router.route("De site is sinds vanochtend super traag, niemand komt door de winkelwagen heen.")
    if routing.team is None:
        assert 1 <= len(routing.choices) <= 3
        assert len({c.team for c in routing.choices}) == len(routing.choices)
        assert "it" in {c.team for c in routing.choices}
    else:
        assert routing.team == "it"


def test_far_out_of_scope_gets_no_choices(router: Router) -> None:
    for question in ("what's the weather tomorrow?", "tell me a joke", "今天天氣如何？"):
        routing = router.route(question)
        assert routing.team is None and routing.choices == ()
