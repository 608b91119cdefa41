"""How common a word is in everyday language (wordfreq's lists), read lazily: filler versus content."""

from __future__ import annotations

import gzip
import importlib.util
import threading
from functools import cache
from pathlib import Path

import msgpack

from bot.languages import REGISTRY

# wordfreq's language codes for ours (the registry's); its Chinese list is in simplified characters.
_WORDFREQ_LANGUAGE = {language.code: language.wordfreq for language in REGISTRY if language.wordfreq}
_lock = threading.Lock()
_DIACRITIC_LANGUAGES = frozenset({"sv", "nl"})


@cache
def _zipf_table(language: str) -> dict[str, float]:
    """word -> Zipf frequency (log10 of uses per billion words) from wordfreq's small list."""
    code = _WORDFREQ_LANGUAGE.get(language)
    if code is None:
        return {}
    # locate wordfreq's data without importing the package (its import costs ~0.25 s)
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "data" / f"small_{code}.msgpack.gz"
    with _lock, gzip.open(path) as stream:
        data = msgpack.load(stream, raw=False)
    # cBpack: a header, then one list of words per centibel of frequency (index = -centibels)
    table: dict[str, float] = {}
    for centibels, words in enumerate(data[1:]):
        zipf = 9.0 - centibels / 100.0
        for word in words:
            table.setdefault(word, zipf)
    return table


@cache
def _folded_table(language: str) -> dict[str, float]:
    """Words typed without their diacritics ('stammer' for 'stämmer') -> the Zipf of the real word."""
    from bot.text import fold_diacritics

    table: dict[str, float] = {}
    for word, value in _zipf_table(language).items():
        if not word.isascii():
            folded = fold_diacritics(word)
            if folded != word and value > table.get(folded, 0.0):
                table[folded] = value
    return table


@cache
def _to_simplified(text: str) -> str:
    from bot.chinese import to_simplified

    return to_simplified(text)


def zipf(word: str, language: str) -> float:
    """Zipf frequency of `word` in `language` (0.0 when the word is not among its common words)."""
    if language == "zh-TW":
        word = _to_simplified(word)
    value = _zipf_table(language).get(word, 0.0)
    if language in _DIACRITIC_LANGUAGES and word.isascii():
        # 'stammer' is 'stämmer' typed without å/ä/ö: as everyday as the word meant
        value = max(value, _folded_table(language).get(word, 0.0))
    return value
