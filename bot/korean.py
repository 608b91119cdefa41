"""Korean particles chosen by the sound that ends the word before them: 을/를, 이/가, 은/는, 과/와, (으)로."""

from __future__ import annotations

from typing import Any

# particle as written in a catalog -> (after a final consonant, after a vowel)
PAIRS: dict[str, tuple[str, str]] = {}
for _pair in (("을", "를"), ("이", "가"), ("은", "는"), ("과", "와"), ("으로", "로"), ("이라는", "라는")):
    PAIRS[_pair[0]] = PAIRS[_pair[1]] = _pair
PAIRS["(으)로"] = PAIRS["으로"]

_RIEUL = 8  # index of ㄹ among the final consonants: ㄹ takes 로, not 으로
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
# How digits are read when a number ends the word: 일 삼 육 칠 팔 end in a consonant.
_DIGIT_FINAL = {"0": 21, "1": _RIEUL, "3": 16, "6": 1, "7": _RIEUL, "8": _RIEUL}  # other digits: a vowel
_ROUND_FINAL = {1: 17, 2: 1, 3: 4, 4: 4}  # 십 백 천 만: by the count of trailing zeros (10, 100, ...)
# Latin letters read by name (acronyms: IT, HR, CRM): only L 엘, M 엠, N 엔, R 알 end in a consonant.
_LETTER_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}
# The last letter of a Latin word as usually pronounced in Korean (Slack 슬랙, Team 팀, Email 이메일).
_WORD_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "k": 1, "p": 17, "t": 0, "b": 17, "g": 21}


def final_consonant(word: str) -> int | None:
    """The final consonant index (0 = the word ends in a vowel), None when it cannot be told."""
    text = word.rstrip(" \"'”’」』)]").strip()
    if not text:
        return None
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return (ord(last) - _HANGUL_FIRST) % 28
    if last.isdigit():
        digits = len(text) - len(text.rstrip("0123456789"))
        number = text[-digits:]
        zeros = len(number) - len(number.rstrip("0"))
        if zeros and number.strip("0"):
            return _ROUND_FINAL.get(min(zeros, 4), 4)
        return _DIGIT_FINAL.get(last, 0)
    if last.isascii() and last.isalpha():
        tail = text.split()[-1]
        if tail.isupper() and len(tail) <= 5:  # an acronym, read letter by letter
            return _LETTER_FINAL.get(last.lower(), 0)
        if tail.lower().endswith("ng"):
            return 21
        return _WORD_FINAL.get(last.lower(), 0)
    return None


def particle(word: str, written: str) -> str:
    """The form of `written` (either form, e.g. "을" or "를") that follows `word`; both forms, as in
    "을(를)", when the word's last sound cannot be told."""
    pair = PAIRS.get(written)
    if pair is None:
        return written
    final = final_consonant(word)
    if final is None:
        return f"{pair[0]}({pair[1]})"
    if pair[0] == "으로":
        return "로" if final in (0, _RIEUL) else "으로"
    return pair[0] if final else pair[1]


def fluent_particle(word: Any, written: Any) -> str:
    """PARTICLE($word, "을") in a catalog: the particle only, so quotes may stand between the two."""
    return particle(str(getattr(word, "value", word)), str(getattr(written, "value", written)))
