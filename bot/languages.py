"""Supported languages and the localised-text helper every module uses."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES: tuple[str, ...] = ("en", "zh-TW", "sv", "ko", "nl")
DEFAULT_LANGUAGE = "en"

LocalizedText = Mapping[str, str]
LocalizedTerms = Mapping[str, tuple[str, ...]]


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
    if lowered.startswith("zh"):
        return "zh-TW"
    base = lowered.split("-")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE
