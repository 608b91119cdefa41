"""Language of a short question: by script for Chinese/Korean, by function words and vocabulary for Latin."""

from __future__ import annotations

from collections.abc import Mapping, Set

from bot.languages import DEFAULT_LANGUAGE, REGISTRY, script_language
from bot.text import LATIN_LANGUAGES, LEXICON_DATA, latin_words, normalise, stem

# Letters that only one of our Latin languages uses (the registry's markers).
_MARKERS = {language.code: language.markers for language in REGISTRY if language.markers}


def detect_language(
    text: str, vocabulary: Mapping[str, Set[str]] | None = None, hint: str | None = None
) -> str:
    """en, sv, nl, zh-TW or ko. Short questions defeat general-purpose detectors, so we score the words
    against each language's function words and the knowledge base's own vocabulary in that language."""
    normal = normalise(text)
    hangul = sum(1 for ch in normal if "\uac00" <= ch <= "\ud7a3")
    han = sum(1 for ch in normal if "\u3400" <= ch <= "\u9fff")
    if hangul or han:
        return script_language("hangul" if hangul >= han else "han") or DEFAULT_LANGUAGE
    words = latin_words(normal)
    if not words:
        return hint or DEFAULT_LANGUAGE
    scores: dict[str, float] = dict.fromkeys(LATIN_LANGUAGES, 0.0)
    for language in LATIN_LANGUAGES:
        stops = LEXICON_DATA.stopwords[language]
        own = vocabulary.get(language, set()) if vocabulary else set()
        for word in words:
            if word in stops:
                scores[language] += 2.0
            elif stem(word, language) in own:
                scores[language] += 1.0
        scores[language] += 3.0 * sum(normal.count(ch) for ch in _MARKERS.get(language, ""))
    if " ij" in f" {normal}" or "ij" in normal:
        scores["nl"] += 1.0
    if hint in scores:
        scores[hint] += 0.5  # the platform's locale breaks ties, never overrides the words
    best = max(scores, key=lambda lang: (scores[lang], lang == DEFAULT_LANGUAGE))
    return best if scores[best] > 0 else (hint or DEFAULT_LANGUAGE)
