"""Working-life topics no team owns (pay, leave, the office building): named, they mean "not ours"."""

from __future__ import annotations

import re
from functools import cache

from bot.text import LEXICON, fold_diacritics, normalise

_LATIN_WORD = re.compile(r"[0-9a-zà-ÿ]+")
PREFIX_MIN = 6  # shorter entries match whole words only ('lön' is not in 'lönar', 'hr' not in 'hrm')


@cache
def _outside_words() -> tuple[frozenset[tuple[str, ...]], tuple[str, ...]]:
    """Latin phrases (as word tuples, also without diacritics) and CJK substrings from the lexicon."""
    text = (LEXICON / "outside.txt").read_text(encoding="utf-8")
    entries = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    latin = [e for e in entries if _LATIN_WORD.fullmatch(e.replace("_", ""))]
    phrases = {tuple(form(e).split("_")) for e in latin for form in (str, fold_diacritics)}
    return frozenset(phrases), tuple(e for e in entries if e not in latin)


def names_outside_topic(text: str) -> bool:
    """Whether `text` names a working-life topic no team owns ('lönen', 'toner', '特休', '탕비실')."""
    latin, cjk = _outside_words()
    plain = normalise(text)
    words = _LATIN_WORD.findall(plain)
    # a long word also in its inflected forms: lönespecifikationen, parkeringsplatsen, vakantiedagen
    for word in words:
        folded = fold_diacritics(word)
        if any((form[:end],) in latin for form in (word, folded) for end in range(PREFIX_MIN, len(form))):
            return True
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            phrase = tuple(words[start : start + size])
            if phrase in latin or tuple(fold_diacritics(w) for w in phrase) in latin:
                return True
    return any(entry in plain for entry in cjk)
