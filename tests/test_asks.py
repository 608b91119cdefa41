"""bot.conversation.asks: a question or request asks for someone; chatter, thanks, links do not."""

from __future__ import annotations

import pytest

from bot.conversation.asks import asks_for_someone

ASKS = [
    ("en", "Can someone check why the invoice for order 4411 has the wrong VAT?"),
    ("en", "the checkout page is down"),
    ("sv", "Kan någon hjälpa mig med en retur?"),
    ("sv", "Kassan funkar inte på mobilen"),
    ("nl", "Wie regelt de cadeaubonnen"),
    ("nl", "De betaalpagina werkt niet, graag even kijken"),
    ("ko", "재고 수량이 안 맞아요 확인 부탁드립니다"),
    ("ko", "반품은 누가 처리하나요"),
    ("zh-TW", "請幫我查一下這張訂單"),
    ("zh-TW", "結帳頁面壞了"),
    ("en", "How was the order shipped? It never arrived, can someone check?"),  # social, then a request
]
CHATTER = [
    ("en", "Thanks for the help!"),
    ("en", "Reminder: please submit your expense reports by Friday"),
    ("en", "<https://example.com/a|a link> :tada:"),
    ("sv", "Tack för hjälpen!"),
    ("sv", "Påminnelse: fika kl 15"),
    ("nl", "Bedankt voor de hulp!"),
    ("nl", "Ter info: ik ben morgen vrij"),
    ("ko", "도와주셔서 감사합니다!"),
    ("ko", "공지: 금요일까지 경비 보고서를 제출해 주세요"),
    ("zh-TW", "謝謝幫忙！"),
    ("zh-TW", "我明天請假"),
    # social questions and exclamations name a team's topic but ask nobody for anything
    ("en", "What a great campaign launch yesterday!"),
    ("en", "How was the marketing offsite?"),
    ("en", "Did you all see the new newsletter?"),
    ("sv", "Vad kul att kampanjen gick så bra!"),
    ("nl", "Hoe was de lancering?"),
    ("ko", "워크숍 어땠어요?"),
    ("zh-TW", "上線活動怎麼樣？"),
]


@pytest.mark.parametrize(("language", "text"), ASKS)
def test_questions_and_requests_ask_for_someone(language: str, text: str) -> None:
    assert asks_for_someone(text, language)


@pytest.mark.parametrize(("language", "text"), CHATTER)
def test_chatter_thanks_announcements_and_links_do_not(language: str, text: str) -> None:
    assert not asks_for_someone(text, language)
