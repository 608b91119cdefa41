"""Which duty explains a question: a responsibility's words, its terms matched as whole phrases."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.index import Document, analyse
from bot.text import LATIN_LANGUAGES, cjk_tokens, latin_words, stem
from bot.knowledge import KnowledgeBase, Responsibility
from bot.languages import LANGUAGES, LocalizedTerms, LocalizedText


@dataclass(frozen=True)
class DutyWords:
    """A document's words: those it says itself (its text and owner's names), each of its terms as one
    phrase, and the words of its example questions (everyday words among them: 'when', 'still'). A
    word found only inside a longer term ("return" of "return on investment") is evidence only when
    the question has the whole phrase."""

    own: frozenset[str]
    terms: tuple[frozenset[str], ...]
    examples: frozenset[str] = frozenset()

    def explaining(self, asked: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """The question's tokens this duty explains (its own words or whole terms), and those of them
        that are whole terms it lists."""
        whole = frozenset(t for term in self.terms if term and term <= asked for t in term)
        return (self.own | whole) & asked, whole


def phrase_tokens(text: str, language: str) -> frozenset[str]:
    """Every word of `text` as the index writes it, scaffolding included: 'returerna står kvar' is not
    'returer' with two stop words left out."""
    lang = language if language in LATIN_LANGUAGES else "en"
    return frozenset([*(stem(w, lang) for w in latin_words(text)), *cjk_tokens(text)])


def _phrases(terms: LocalizedTerms) -> tuple[frozenset[str], ...]:
    return tuple(phrase_tokens(term, language) for language, values in terms.items() for term in values)


def _tokens(texts: LocalizedText | LocalizedTerms) -> list[list[str]]:
    pieces = []
    for language, value in texts.items():
        lang = language if language in LANGUAGES else "en"
        pieces.extend(analyse(piece, lang) for piece in ([value] if isinstance(value, str) else value))
    return pieces


def _owner(kb: KnowledgeBase, doc: Document) -> tuple[Responsibility | None, list[list[str]]]:
    """The document's responsibility and its owner's names and aliases (team, and role if any)."""
    team = kb.teams.get(doc.team)
    if team is None:
        return None, []
    role = next((r for r in team.roles if r.id == doc.role), None)
    names = [*_tokens(team.names), *_tokens(team.aliases)]
    if role is not None:
        names += [*_tokens(role.names), *_tokens(role.aliases)]
    owned = [*role.responsibilities] if role is not None else []
    if doc.role is None or doc.role == team.lead_role:
        owned = [*team.responsibilities, *owned]
    return next((r for r in owned if r.id == doc.responsibility_id), None), names


class Duties:
    """The words of each document of an index, read from the knowledge on first use (a few per answer)."""

    def __init__(self, kb: KnowledgeBase, documents: list[Document], doc_tokens: list[frozenset[str]]) -> None:
        self.kb, self.documents, self.doc_tokens = kb, documents, doc_tokens
        self.words = lru_cache(maxsize=4096)(self._words)

    def _words(self, doc_id: int) -> DutyWords:
        resp, names = _owner(self.kb, self.documents[doc_id])
        if resp is None:  # a team or role identity: its names and summary are all its own words
            return DutyWords(self.doc_tokens[doc_id], ())
        said = frozenset(t for piece in (*_tokens(resp.text), *names) for t in piece)
        examples = frozenset(t for piece in _tokens(resp.examples) for t in piece)
        return DutyWords(said, _phrases(resp.terms), examples)
