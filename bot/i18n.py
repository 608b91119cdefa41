"""Localised user-facing text: Fluent (.ftl) catalogs under bot/locales/<language>/<concern>.ftl."""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from fluent.runtime import FluentLocalization, FluentResourceLoader

from bot.korean import fluent_particle
from bot.languages import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR, normalise_language

LONG_VALUE = 2000


@cache
def _concerns() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in (LOCALES_DIR / DEFAULT_LANGUAGE).glob("*.ftl")))


# fluent.runtime builds bundles through a shared generator that two threads must not advance at
# once ("generator already executing"); formatting is serialised per language, which costs
# microseconds, and is safe for the thread pools of the Slack and Teams adapters.
_LOCKS = {language: threading.Lock() for language in LANGUAGES}


@cache
def _localization(language: str) -> FluentLocalization:
    chain = [language] if language == DEFAULT_LANGUAGE else [language, DEFAULT_LANGUAGE]
    loader = FluentResourceLoader(str(LOCALES_DIR / "{locale}"))
    # PARTICLE($word, "을"): Korean particles that agree with the word before them (bot/korean.py)
    functions: dict[str, Any] = {"PARTICLE": fluent_particle}
    return FluentLocalization(chain, list(_concerns()), loader, functions=functions)


def t(language: str | None, key: str, **args: Any) -> str:
    """The message `key` in `language` (English when missing there), with Fluent arguments."""
    lang = normalise_language(language)
    # fluent.runtime turns a whole message into "{???}" when one value is over 2,500 characters (an
    # escalation summary may have 4,000): long values go in as markers and are put back afterwards.
    long = {name: value for name, value in args.items() if isinstance(value, str) and len(value) > LONG_VALUE}
    markers = {name: f"\ue000{name}\ue001" for name in long}
    with _LOCKS[lang]:
        text = _localization(lang).format_value(key, {**args, **markers})
    for name, value in long.items():
        text = text.replace(markers[name], value)
    return text


def message_ids(language: str) -> set[str]:
    """All message ids defined for `language` (used by tests to check catalogs are complete)."""
    ids: set[str] = set()
    for file in (LOCALES_DIR / language).glob("*.ftl"):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line and line[0].isalpha() and "=" in line:
                ids.add(line.split("=", 1)[0].strip())
    return ids


__all__ = ["LANGUAGES", "message_ids", "t"]
