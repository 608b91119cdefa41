"""Every registered language is complete: catalogs, words, lexicon, detector, Babel locale, word
frequencies; and each language fact lives once, in bot/languages.py's registry."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import Stemmer
from babel import Locale

from bot.i18n import message_ids
from bot.langdetect import detect_language
from bot.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LEXICON_DIR,
    LOCALES_DIR,
    REGISTRY,
    Language,
    babel_locale,
    normalise_language,
    words,
)

ROOT = Path(__file__).resolve().parent.parent
ASK_KINDS = ("chatter", "announce", "social", "asks")


def catalog_files(code: str) -> set[str]:
    return {path.name for path in (LOCALES_DIR / code).glob("*.ftl")}


@pytest.mark.parametrize("language", REGISTRY, ids=LANGUAGES)
def test_catalogs_have_every_file_and_message(language: Language) -> None:
    assert catalog_files(language.code) == catalog_files(DEFAULT_LANGUAGE)
    assert message_ids(language.code) >= message_ids(DEFAULT_LANGUAGE)


@pytest.mark.parametrize("language", REGISTRY, ids=LANGUAGES)
def test_words_are_complete(language: Language) -> None:
    data = words(language.code)
    assert data["standup"]["command_words"], "no standup command words"
    for kind in ASK_KINDS:
        phrases = data["asks"][kind]
        assert phrases and all(isinstance(p, str) and p.strip() == p and p for p in phrases), kind
        assert "|" not in "".join(phrases), f"{kind}: one phrase per string"


@pytest.mark.parametrize("language", REGISTRY, ids=LANGUAGES)
def test_the_detector_recognises_the_language(language: Language) -> None:
    sample = words(language.code)["detector"]["sample"]
    assert detect_language(sample) == language.code
    assert normalise_language(language.code) == language.code
    assert normalise_language(language.code.upper()) == language.code
    for alias in language.aliases:
        assert normalise_language(alias) == language.code


@pytest.mark.parametrize("language", REGISTRY, ids=LANGUAGES)
def test_lexicon_stemmer_babel_and_word_frequencies(language: Language) -> None:
    for name in language.lexicon:
        assert (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").split(), name
    assert language.script in ("latin", "han", "hangul")
    if language.script == "latin":
        assert language.snowball in Stemmer.algorithms()
        assert f"stopwords-{language.code}" in language.lexicon  # what bot/text.py reads for Latin ones
    assert babel_locale(language.code) == language.babel
    assert Locale.parse(language.babel).language
    if language.wordfreq:
        spec = importlib.util.find_spec("wordfreq")
        assert spec is not None and spec.origin is not None
        assert (Path(spec.origin).parent / "data" / f"small_{language.wordfreq}.msgpack.gz").exists()


def test_every_language_folder_is_registered() -> None:
    folders = {path.name for path in LOCALES_DIR.iterdir() if path.is_dir()}
    assert folders == set(LANGUAGES)
    scripts = [language.script for language in REGISTRY if language.script != "latin"]
    assert len(set(scripts)) == len(scripts), "one language per non-Latin script: the detector goes by script"


def _sources() -> list[Path]:
    return [path for package in ("bot", "handlers") for path in sorted((ROOT / package).rglob("*.py"))]


def test_language_facts_live_only_in_the_registry() -> None:
    """A Babel locale table or a second language detector elsewhere would miss the next language."""
    registry = ROOT / "bot" / "languages.py"
    babel_tables = [p for p in _sources() if p != registry and "zh_Hant" in p.read_text(encoding="utf-8")]
    detectors = [
        p for p in _sources() if re.search(r"^def detect_language\(", p.read_text(encoding="utf-8"), re.M)
    ]
    assert babel_tables == []
    assert [p.relative_to(ROOT).as_posix() for p in detectors] == ["bot/langdetect.py"]
