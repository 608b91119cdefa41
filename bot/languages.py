"""The language registry (one entry per language) and the localised-text helper every module uses."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).parent / "locales"  # one folder of data per language: LOCALES_DIR / code
LEXICON_DIR = Path(__file__).parent / "lexicon"  # the router's word lists, named after the language


@dataclass(frozen=True)
class Language:
    """One supported language. Its data lives in bot/locales/<code>/: the Fluent catalogs (*.ftl) and
    words.toml (the words people type: standup command words, what asks for someone in a channel, and
    a sample question the detector must recognise). tests/test_languages.py checks that it is complete."""

    code: str  # what the directory's `language:`, catalogs and knowledge files say: "sv", "zh-TW"
    babel: str  # the Babel locale dates, times and lists are written in
    script: str  # "latin", "han" or "hangul": how the detector and the tokeniser read it
    lexicon: tuple[str, ...]  # bot/lexicon/<name>.txt word lists the router reads for it
    snowball: str | None = None  # PyStemmer's Snowball stemmer (Latin script)
    wordfreq: str | None = None  # wordfreq's code for its common-word frequencies
    markers: str = ""  # letters only this language uses among the Latin ones: evidence for the detector
    aliases: tuple[str, ...] = ()  # loose locale prefixes that mean it ("zh" and "zh-hant" mean zh-TW)

    @property
    def folder(self) -> Path:
        return LOCALES_DIR / self.code


REGISTRY: tuple[Language, ...] = (
    Language("en", "en", "latin", ("stopwords-en",), snowball="english", wordfreq="en"),
    Language("zh-TW", "zh_Hant_TW", "han", ("stop-phrases-zh",), wordfreq="zh", aliases=("zh",)),
    Language("sv", "sv", "latin", ("stopwords-sv",), snowball="swedish", wordfreq="sv", markers="åäö"),
    Language("ko", "ko", "hangul", ("stopwords-ko", "suffixes-ko"), wordfreq="ko"),
    Language("nl", "nl", "latin", ("stopwords-nl",), snowball="dutch", wordfreq="nl", markers="ëï"),
)
LANGUAGES: tuple[str, ...] = tuple(language.code for language in REGISTRY)
BY_CODE: Mapping[str, Language] = {language.code: language for language in REGISTRY}
LATIN_LANGUAGES: tuple[str, ...] = tuple(lang.code for lang in REGISTRY if lang.script == "latin")
DEFAULT_LANGUAGE = "en"

LocalizedText = Mapping[str, str]
LocalizedTerms = Mapping[str, tuple[str, ...]]


def babel_locale(code: str | None) -> str:
    """The Babel locale for one of our languages (English for anything else)."""
    return BY_CODE.get(code or "", BY_CODE[DEFAULT_LANGUAGE]).babel


def script_language(script: str) -> str | None:
    """The one language written in a non-Latin `script` ("han" -> zh-TW), or None."""
    return next((lang.code for lang in REGISTRY if lang.script == script), None)


@cache
def words(code: str) -> Mapping[str, Any]:
    """The language's words.toml (bot/locales/<code>/words.toml), read once."""
    with (BY_CODE[code].folder / "words.toml").open("rb") as file:
        return tomllib.load(file)


def pick(text: LocalizedText, language: str) -> str:
    """The text in `language`, falling back to English, then to any language present."""
    if text.get(language):
        return text[language]
    if text.get(DEFAULT_LANGUAGE):
        return text[DEFAULT_LANGUAGE]
    return next((value for value in text.values() if value), "")


def normalise_language(code: str | None) -> str:
    """Map loose codes (zh, zh_TW, sv-SE, ko-KR, nl-BE, EN) to a supported language, else English."""
    if not code:
        return DEFAULT_LANGUAGE
    lowered = code.replace("_", "-").lower()
    for language in REGISTRY:
        if lowered == language.code.lower() or any(lowered.startswith(a) for a in language.aliases):
            return language.code
    base = lowered.split("-")[0]
    return base if base in BY_CODE else DEFAULT_LANGUAGE
