"""A responsibility's words for "why": its own words, its terms as whole phrases, its example questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.knowledge import Responsibility, Role, Team
from bot.languages import LANGUAGES, LocalizedTerms, LocalizedText
from bot.text import LATIN_LANGUAGES, cjk_tokens, is_stopword, latin_words, stem


@dataclass(frozen=True)
class DutyWords:
    """A document's words: those it says itself (its text and owner's names), each of its terms as one
    phrase, and the words of its example questions (everyday words among them: 'when', 'still'). A
    word found only inside a longer term ("return" of "return on investment") is evidence only when
    the question has the whole phrase."""

    own: frozenset[str]
    terms: tuple[frozenset[str], ...]
    examples: frozenset[str] = frozenset()
    # token -> the terms holding it: only terms sharing a word with the question are tried
    by_token: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.terms and not self.by_token:
            by_token: dict[str, list[int]] = {}
            for number, term in enumerate(self.terms):
                for token in term:
                    by_token.setdefault(token, []).append(number)
            object.__setattr__(self, "by_token", {t: tuple(ns) for t, ns in by_token.items()})

    def whole_terms(self, asked: frozenset[str]) -> list[frozenset[str]]:
        """The terms every word of which the question has."""
        tried = {n for token in asked for n in self.by_token.get(token, ())}
        return [self.terms[n] for n in sorted(tried) if self.terms[n] <= asked]

    def explaining(self, asked: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """The question's tokens this duty explains (its own words or whole terms), and those of them
        that are whole terms it lists."""
        whole = frozenset(t for term in self.whole_terms(asked) for t in term)
        return (self.own | whole) & asked, whole


def analyse(text: str, language: str) -> list[str]:
    """Index tokens of `text` written in `language`: stemmed Latin words, CJK n-grams."""
    tokens = [stem(word, language) for word in latin_words(text) if not is_stopword(word)]
    tokens.extend(cjk_tokens(text))
    return tokens


def phrase_tokens(text: str, language: str) -> frozenset[str]:
    """Every word of `text` as the index writes it, scaffolding included: 'returerna står kvar' is not
    'returer' with two stop words left out."""
    lang = language if language in LATIN_LANGUAGES else "en"
    return frozenset([*(stem(w, lang) for w in latin_words(text)), *cjk_tokens(text)])


def _tokens(texts: LocalizedText | LocalizedTerms) -> set[str]:
    tokens: set[str] = set()
    for language, value in texts.items():
        lang = language if language in LANGUAGES else "en"
        for piece in [value] if isinstance(value, str) else value:
            tokens.update(analyse(piece, lang))
    return tokens


def owner_names(team: Team, role: Role | None) -> frozenset[str]:
    """The tokens of a team's names and aliases, and of its role's when the duty is a role's."""
    names = _tokens(team.names) | _tokens(team.aliases)
    if role is not None:
        names |= _tokens(role.names) | _tokens(role.aliases)
    return frozenset(names)


def duty_words(resp: Responsibility, names: frozenset[str]) -> DutyWords:
    """The words of one responsibility owned by someone whose names are `names`."""
    terms: Sequence[frozenset[str]] = [
        phrase_tokens(term, language) for language, values in resp.terms.items() for term in values
    ]
    return DutyWords(frozenset(_tokens(resp.text) | names), tuple(terms), frozenset(_tokens(resp.examples)))
