"""Does a channel message ask for someone (a question or a request), or is it chatter, thanks or a link?"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bot.languages import BY_CODE, DEFAULT_LANGUAGE, words

# Markup that carries no request: links, Slack/Teams mentions and channel links, :emoji:, code.
_MARKUP = re.compile(
    r"<(?:https?://|mailto:)[^>]*>|https?://\S+|www\.\S+|<[@#!][^>]*>|:[a-z0-9_+\-']+:|`[^`]*`",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")


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


@cache
def _phrases(kind: str, language: str) -> tuple[str, ...]:
    """The `kind` phrases (chatter, announce, social, asks) of the language's words.toml: thanks,
    greetings and acknowledgements; words that announce rather than ask; social questions that ask
    people, not for someone's help; and questions and requests."""
    # People mix English into every language ("kan någon fixa checkout? pls"), so English always counts.
    own = words(language)["asks"][kind] if language in BY_CODE else []
    phrases = [*own, *words(DEFAULT_LANGUAGE)["asks"][kind]]
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
    if _pattern(_phrases("announce", language)).fullmatch(first):
        return False
    rest = _fold(_pattern(_phrases("chatter", language)).sub(" ", body))
    if _substance(rest) < 2:
        return False  # only thanks, greetings and acknowledgements
    social = _social(language)
    if social.search(rest):
        rest = _fold(social.sub(" ", rest))  # what is left must ask on its own words
    elif rest.rstrip().endswith(("?", "？")) and _substance(rest) >= 3:
        return True
    return _pattern(_phrases("asks", language)).search(rest) is not None


@cache
def _social(language: str) -> re.Pattern[str]:
    """Social openers: at the start of a sentence in Latin script, anywhere in Hangul and Han."""
    parts = []
    for phrase in sorted(_phrases("social", language), key=len, reverse=True):
        escaped = re.escape(phrase)
        parts.append(escaped if _CJK.search(phrase) else rf"(?:^|(?<=[.!?] )){escaped}(?![^\W_])")
    return re.compile("|".join(parts))
