"""Does a channel message ask for someone (a question or a request), or is it chatter, thanks or a link?"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Markup that carries no request: links, Slack/Teams mentions and channel links, :emoji:, code.
_MARKUP = re.compile(
    r"<(?:https?://|mailto:)[^>]*>|https?://\S+|www\.\S+|<[@#!][^>]*>|:[a-z0-9_+\-']+:|`[^`]*`",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")

# Thanks, greetings and acknowledgements: removed before looking for a request, so that "thanks for
# the help" or "도와주셔서 감사합니다" is not taken for a call for help.
_CHATTER: dict[str, str] = {
    "en": (
        "what a | how nice | how cool | how great | how fun | so cool | "
        "thanks for the help | thanks for your help | thank you for the help | thank you so much | "
        "thank you | thanks a lot | many thanks | thanks | thx | ty | cheers | good morning | "
        "good night | have a nice weekend | have a great weekend | happy friday | welcome | "
        "congrats | congratulations | great job | well done | nice work | no problem | sounds good | "
        "got it | ok | okay | lol | haha | nice | awesome | great | cool"
    ),
    "sv": (
        "vad kul | vad bra | vad roligt | vad härligt | vad snyggt | "
        "tack för hjälpen | tusen tack | tack så mycket | stort tack | tack | god morgon | "
        "trevlig helg | välkommen | grattis | bra jobbat | snyggt | toppen | perfekt | okej | ok | "
        "kanon | härligt"
    ),
    "nl": (
        "wat leuk | wat mooi | wat fijn | wat goed | hoe leuk | "
        "bedankt voor de hulp | dank je wel | dankjewel | dank je | dank u | bedankt | goedemorgen | "
        "fijn weekend | welkom | gefeliciteerd | goed gedaan | top | super | prima | oké | ok | "
        "mooi | helemaal goed"
    ),
    "ko": (
        "대박 | 멋지네요 | 잘됐네요 | 최고예요 | "
        "도와주셔서 감사합니다 | 도와주셔서 고맙습니다 | 감사합니다 | 고맙습니다 | 감사해요 | "
        "고마워요 | 고마워 | 좋은 아침 | 주말 잘 보내세요 | 수고하셨습니다 | 수고하세요 | "
        "축하합니다 | 축하해요 | 알겠습니다 | 확인했습니다 | 좋아요 | 넵 | 네"
    ),
    "zh-TW": (
        "太棒了 | 好棒 | 真棒 | 好厲害 | 真厲害 | "
        "謝謝幫忙 | 感謝幫忙 | 請假 | 謝謝你的幫忙 | 非常感謝 | 謝謝 | 感謝 | 多謝 | 早安 | 週末愉快 | "
        "恭喜 | 辛苦了 | 收到 | 好的 | 太好了 | 讚"
    ),
}

# Words that announce rather than ask ("Reminder: please submit ..." asks everyone, not someone).
_ANNOUNCE: dict[str, str] = {
    "en": ("fyi | psa | reminder | heads up | heads-up | announcement | update"),
    "sv": ("fyi | påminnelse | info | meddelande"),
    "nl": ("fyi | ter info | herinnering | mededeling"),
    "ko": ("공지 | 알림 | 참고"),
    "zh-TW": ("公告 | 提醒 | 通知 | 分享"),
}

# Social questions ("how was the offsite?", "did you see...?", "who's joining?") ask people, not for
# someone's help: after one of these, a question mark alone does not make the message a request.
_SOCIAL: dict[str, str] = {
    "en": (
        "how was | how is everyone | how's everyone | how are you | how's it going | did you see | "
        "did you all see | did anyone see | have you seen | has anyone seen | anyone up for | "
        "anyone want to join | who's in | who is in | who is joining | who's joining | "
        "who wants to join | who's coming | who is coming | what do you think | what do you all think"
    ),
    "sv": (
        "hur var | hur mår | hur är läget | såg ni | har ni sett | någon som vill | vem hänger med | "
        "vem följer med | vad tycker ni"
    ),
    "nl": (
        "hoe was | hoe gaat het | hoe is het | zagen jullie | hebben jullie gezien | heeft iemand zin | "
        "wie gaat er mee | wie doet er mee | wat vinden jullie"
    ),
    "ko": (
        "어땠어요 | 어땠나요 | 어떠셨어요 | 잘 지내 | 보셨어요 | 보셨나요 | "
        "같이 가실 분 | 같이 드실 분 | 어떻게 생각하세요"
    ),
    "zh-TW": "怎麼樣 | 你們覺得 | 大家覺得 | 有看到 | 有人要一起 | 誰要一起 | 一起吃",
}

# Questions and requests: question words, "can someone", "please", "need", "is broken", ...
_ASKS: dict[str, str] = {
    "en": (
        "who | whom | whose | what | where | when | why | how | which | can someone | could someone | "
        "can anyone | could anyone | does anyone | anyone know | is there | can i | can we | "
        "could you | can you | would you | should i | should we | do i | do we | please | pls | plz | "
        "need | needs | i'd like | i would like | we'd like | looking for | request | help | "
        "not working | doesn't work | does not work | isn't working | stopped working | broken | "
        "is down | are down | failing | failed | fails | stuck | error | issue with | problem with | "
        "missing | wrong | can't | cannot | unable to | won't"
    ),
    "sv": (
        "vem | vad | var | vart | när | varför | hur | vilken | vilket | vilka | kan någon | kan ni | "
        "kan du | kan jag | finns det | har någon | vet någon | ska jag | snälla | vänligen | "
        "behöver | hjälp | fungerar inte | funkar inte | trasig | trasigt | ligger nere | fel | "
        "saknas | problem med | går inte | kan inte | önskar | vill ha"
    ),
    "nl": (
        "wie | wat | waar | wanneer | waarom | hoe | welke | kan iemand | kunnen jullie | kun je | "
        "kan ik | weet iemand | heeft iemand | is er | moet ik | graag | alsjeblieft | alstublieft | "
        "nodig | hulp | werkt niet | kapot | ligt eruit | ligt plat | fout | ontbreekt | "
        "probleem met | lukt niet | kan niet | verzoek"
    ),
    "ko": (
        "누가 | 누구 | 어디 | 어떻게 | 언제 | 왜 | 무엇 | 뭐 | 어느 | 부탁 | 도와 | 필요 | 주세요 | "
        "주실 | 줄 수 | 안 돼 | 안돼 | 안 되 | 안되 | 오류 | 에러 | 문제 | 요청 | 까요 | 나요 | "
        "습니까 | 인가요 | 가요 | 없어요 | 없습니다"
    ),
    "zh-TW": (
        "誰 | 哪 | 什麼 | 怎麼 | 為什麼 | 如何 | 嗎 | 呢 | 請 | 需要 | 幫忙 | 幫我 | 麻煩 | 求助 | "
        "無法 | 不能 | 壞了 | 錯誤 | 問題 | 失敗 | 找不到 | 沒有收到"
    ),
}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace("’", "'").split())


@cache
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Latin phrases match whole words; Hangul and Han phrases match anywhere (no spaces between words)."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        escaped = re.escape(phrase)
        parts.append(escaped if _CJK.search(phrase) else rf"(?<![^\W_]){escaped}(?![^\W_])")
    return re.compile("|".join(parts))


def _phrases(table: dict[str, str], language: str) -> tuple[str, ...]:
    # People mix English into every language ("kan någon fixa checkout? pls"), so English always counts.
    phrases = (table.get(language, "") + " | " + table["en"]).split("|")
    return tuple(dict.fromkeys(p.strip() for p in phrases if p.strip()))


def _substance(text: str) -> int:
    """How much is said: Latin words, or Hangul/Han characters (which carry a word in one or two)."""
    return len(_WORD.findall(_CJK.sub(" ", text))) + len(_CJK.findall(text)) // 2


def asks_for_someone(text: str, language: str) -> bool:
    """True when the message is a question or a request someone must act on; False for chatter,
    thanks, greetings, announcements, links and emoji. `language` is the message's (bot.languages)."""
    body = _fold(_MARKUP.sub(" ", text))
    if _substance(body) < 2:
        return False  # a link, an emoji, "thanks!", "+1"
    first = body.split(":", 1)[0].strip(" !.-–—")
    if _pattern(_phrases(_ANNOUNCE, language)).fullmatch(first):
        return False
    rest = _fold(_pattern(_phrases(_CHATTER, language)).sub(" ", body))
    if _substance(rest) < 2:
        return False  # only thanks, greetings and acknowledgements
    social = _social(language)
    if social.search(rest):
        rest = _fold(social.sub(" ", rest))  # what is left must ask on its own words
    elif rest.rstrip().endswith(("?", "？")) and _substance(rest) >= 3:
        return True
    return _pattern(_phrases(_ASKS, language)).search(rest) is not None


@cache
def _social(language: str) -> re.Pattern[str]:
    """Social openers: at the start of a sentence in Latin script, anywhere in Hangul and Han."""
    parts = []
    for phrase in sorted(_phrases(_SOCIAL, language), key=len, reverse=True):
        escaped = re.escape(phrase)
        parts.append(escaped if _CJK.search(phrase) else rf"(?:^|(?<=[.!?] )){escaped}(?![^\W_])")
    return re.compile("|".join(parts))
