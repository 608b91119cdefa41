"""Word forms the stemmers miss (Swedish neuters, Korean honorifics, counters); how everyday a CJK word is."""

from __future__ import annotations

import re

from bot.text import LEXICON_DATA
from bot.word_frequency import zipf

# a Korean counter written onto a number (300명 'people', 3주 'weeks', 5개 'pieces') counts, it is no word
COUNTER = re.compile(r"(?<=\d)[\uac00-\ud7a3](?![\uac00-\ud7a3])")


def indefinite(word: str) -> tuple[str, ...]:
    """A Swedish neuter noun's definite form, which the Snowball stemmer leaves as it is: 'programmet'
    is 'program', 'huset' is 'hus' (a doubled consonant before -et is undoubled)."""
    if len(word) < 6 or not word.endswith("et"):
        return ()
    base = word[:-2]
    return (base, base[:-1]) if base[-1] == base[-2] else (base,)


def without_honorific(word: str) -> str:
    """담당자분 -> 담당자, 개발자분들 -> 개발자: 분 after a person is the polite 'person', not a word part."""
    for honorific in ("분들", "분"):
        person = word[: -len(honorific)]
        if not word.endswith(honorific) or len(person) < 2:
            continue
        if person in LEXICON_DATA.ko_stopwords or person.endswith("자"):
            return person
    return word


def hangul_commonness(run: str) -> float:
    """Zipf frequency of a Korean word: wordfreq lists stems, so the longest known start of the word."""
    for end in range(len(run), 1, -1):
        value = zipf(run[:end], "ko")
        if value:
            return value
    return 0.0


def han_commonness(piece: str, char: str) -> float:
    """How everyday the Chinese word around `char` is: the most frequent 2-3 character word containing
    it, or the character itself a point lower (single characters are common in every sense)."""
    best = zipf(char, "zh-TW") - 1.0
    for start in range(len(piece)):
        for size in (2, 3):
            word = piece[start : start + size]
            if len(word) == size and char in word:
                best = max(best, zipf(word, "zh-TW"))
    return best
