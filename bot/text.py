"""Text analysis for routing: normalising, script-aware tokenising, stop words and stemming per language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, cached_property
from pathlib import Path

import Stemmer  # PyStemmer: Snowball stemmers in C

from bot.languages import LATIN_LANGUAGES, REGISTRY

_SNOWBALL = {language.code: language.snowball for language in REGISTRY if language.snowball}

# Runs of one script: Latin letters/digits (with inner - ' . / &), Han characters, Hangul syllables.
_RUNS = re.compile(
    r"(?P<latin>[0-9a-zà-ÿ]+(?:[-'’.&/][0-9a-zà-ÿ]+)*)|(?P<han>[\u3400-\u9fff\uf900-\ufaff]+)|(?P<hangul>[\uac00-\ud7a3]+)"
)

LEXICON = Path(__file__).parent / "lexicon"
# English clitics: who's -> who, can't -> can, company's -> company (the rest is scaffolding)
_CONTRACTION = re.compile(r"(n't|'(s|t|re|ve|ll|d|m))$")


def _words(name: str) -> list[str]:
    """Whitespace-separated words of a lexicon file, '#' lines being comments."""
    text = (LEXICON / f"{name}.txt").read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


class _Lexicon:
    """Stop words, Chinese stop phrases and Korean endings, read once from bot/lexicon/ on first use."""

    @cached_property
    def stopwords(self) -> dict[str, frozenset[str]]:
        # typed without diacritics too: 'pa' is 'på', 'ar' is 'är'
        words = {lang: _words(f"stopwords-{lang}") for lang in LATIN_LANGUAGES}
        return {
            lang: frozenset(w for word in ws for w in (word, fold_diacritics(word)))
            for lang, ws in words.items()
        }

    @cached_property
    def all_stopwords(self) -> frozenset[str]:
        return frozenset().union(*self.stopwords.values())

    @cached_property
    def zh_stop_phrases(self) -> tuple[str, ...]:
        return tuple(sorted(_words("stop-phrases-zh"), key=len, reverse=True))

    @cached_property
    def ko_stopwords(self) -> frozenset[str]:
        return frozenset(_words("stopwords-ko"))

    @cached_property
    def ko_suffixes(self) -> frozenset[str]:
        return frozenset(_words("suffixes-ko"))

    @cached_property
    def ko_suffix_lengths(self) -> list[int]:
        return sorted({len(s) for s in self.ko_suffixes}, reverse=True)


LEXICON_DATA = _Lexicon()


def normalise(text: str) -> str:
    """NFKC, lower case, curly quotes straightened: the form every comparison uses."""
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'")


def fold_diacritics(word: str) -> str:
    """'kundtjänst' -> 'kundtjanst', 'financiële' -> 'financiele': how people type without å, ä, ö or ë."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_SNOWBALL[language])


@cache
def stem(word: str, language: str) -> str:
    """Snowball stem of a Latin-script word in `language` (en when the language has no stemmer)."""
    return str(_stemmer(language if language in _SNOWBALL else "en").stemWord(word))


# Only a particle is split off a one-syllable noun (돈은 -> 돈, 팀에서 -> 팀); endings need a longer stem.
_CASE_PARTICLES = frozenset(
    [
        *"은는이가을를에의로와과도만랑께",
        "에서",
        "에게",
        "한테",
        "으로",
        "부터",
        "까지",
        "이나",
        "이랑",
        "께서",
    ]
)


@cache
def strip_korean(word: str) -> str:
    """Drop trailing particles/endings from a Korean word (반품은 -> 반품, 처리하나요 -> 처리)."""
    for round_ in range(2):
        # a second ending is only stripped from a longer word: 추가하고 -> 추가, not 추
        floor = 1 if round_ == 0 else 2
        for size in LEXICON_DATA.ko_suffix_lengths:
            suffix = word[-size:]
            if len(word) < size + floor or suffix not in LEXICON_DATA.ko_suffixes:
                continue
            if (
                len(word) - size == 1
                and suffix not in _CASE_PARTICLES
                and word[:1] not in LEXICON_DATA.ko_stopwords
            ):
                # 창고 (warehouse) and 재고 (stock) are nouns, not 창 and 재 plus an ending (몫이에요 is 몫)
                continue
            word = word[:-size]
            break
        else:
            break
    return word


def han_pieces(run: str) -> list[str]:
    """A Chinese run with question scaffolding removed, split where scaffolding stood."""
    for phrase in LEXICON_DATA.zh_stop_phrases:
        run = run.replace(phrase, " ")
    return run.split()


def _han_tokens(run: str) -> Iterator[str]:
    # characters and bigrams: bigrams carry words (退貨), characters catch one-character words (慢)
    for piece in han_pieces(run):
        yield from piece
        for i in range(len(piece) - 1):
            yield piece[i : i + 2]


def _hangul_tokens(run: str) -> Iterator[str]:
    stop = LEXICON_DATA.ko_stopwords
    if run in stop or run in LEXICON_DATA.ko_suffixes:  # a bare particle ("SEO는" splits off "는")
        return
    word = strip_korean(run)
    if not word or word in stop:
        return
    yield word
    for i in range(len(word) - 1):
        yield word[i : i + 2]


def strip_contraction(word: str) -> str:
    """who's -> who, can't -> can, company's -> company."""
    return _CONTRACTION.sub("", word)


def latin_words(text: str) -> list[str]:
    """The Latin-script words of `text`, normalised, hyphenated forms kept whole and split."""
    words: list[str] = []
    for match in _RUNS.finditer(normalise(text)):
        word = match.group("latin")
        if word:
            word = strip_contraction(word.strip("'."))
            words.append(word)
            if "-" in word or "/" in word:
                words.extend(part for part in re.split(r"[-/]", word) if part)
    return words


def script_runs(text: str) -> Iterator[tuple[str, str]]:
    """(script, run) pairs where script is latin, han or hangul."""
    for match in _RUNS.finditer(normalise(text)):
        kind = match.lastgroup
        if kind:
            yield kind, match.group(kind)


def is_stopword(word: str) -> bool:
    return word in LEXICON_DATA.all_stopwords


def cjk_tokens(text: str) -> list[str]:
    """Chinese bigrams and Korean stems + bigrams of `text`."""
    tokens: list[str] = []
    for kind, run in script_runs(text):
        if kind == "han":
            tokens.extend(_han_tokens(run))
        elif kind == "hangul":
            tokens.extend(_hangul_tokens(run))
    return tokens
