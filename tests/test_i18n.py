"""Localised catalogs: complete in every language and safe to use from many threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.i18n import message_ids, t
from bot.languages import LANGUAGES


def test_every_language_defines_every_english_message() -> None:
    english = message_ids("en")
    assert english
    for language in LANGUAGES:
        missing = sorted(english - message_ids(language))
        assert not missing, f"{language} misses {missing}"


def test_formatting_from_many_threads_at_once_never_fails() -> None:
    def render(i: int) -> str:
        return t(LANGUAGES[i % len(LANGUAGES)], "answer-offer-escalate", team=f"T{i}")

    with ThreadPoolExecutor(max_workers=16) as pool:
        out = list(pool.map(render, range(400)))
    assert all(f"T{i}" in text for i, text in enumerate(out))
