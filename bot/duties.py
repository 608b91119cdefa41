"""Which duty explains a question: a responsibility's words, its terms matched as whole phrases."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.index import Document, analyse
from bot.knowledge import KnowledgeBase, Responsibility
from bot.languages import LANGUAGES, LocalizedTerms, LocalizedText
from bot.query import QueryUnit
from bot.text import LATIN_LANGUAGES, cjk_tokens, latin_words, stem


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
    pieces: list[list[str]] = []
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

    def __init__(
        self, kb: KnowledgeBase, documents: list[Document], doc_tokens: list[frozenset[str]]
    ) -> None:
        self.kb, self.documents, self.doc_tokens = kb, documents, doc_tokens
        self.words = lru_cache(maxsize=4096)(self._words)

    def _words(self, doc_id: int) -> DutyWords:
        resp, names = _owner(self.kb, self.documents[doc_id])
        if resp is None:  # a team or role identity: its names and summary are all its own words
            return DutyWords(self.doc_tokens[doc_id], ())
        said = frozenset(t for piece in (*_tokens(resp.text), *names) for t in piece)
        examples = frozenset(t for piece in _tokens(resp.examples) for t in piece)
        return DutyWords(said, _phrases(resp.terms), examples)

    def duty_id(self, doc_id: int) -> str:
        """'<team>/<role or ->/<responsibility id>', as Routing.matched_id has it."""
        doc = self.documents[doc_id]
        return f"{doc.team}/{doc.role or '-'}/{doc.responsibility_id or 'identity'}"

    def supports(self, asked: frozenset[str], doc_id: int) -> bool:
        """Whether the document explains any of the question by more than a piece of a longer term."""
        words = self.words(doc_id)
        return bool(words.explaining(asked)[0] or words.examples & asked)

    def phrase_weight(self, units: list[QueryUnit], asked: frozenset[str], doc_id: int) -> float:
        """The question's weight that one document's terms of two words or more explain as whole phrases."""
        found = {t for term in self.words(doc_id).terms if len(term) > 1 and term <= asked for t in term}
        return sum(unit.weight for unit in units if unit.tokens & found)

    def why(
        self, units: list[QueryUnit], asked: frozenset[str], ranked: list[tuple[int, float]]
    ) -> list[int]:
        """The winning owner's responsibilities that explain the question best, the best first: most of
        its weight in their own words or whole terms, then most of it in whole terms ('returns' is a term
        of processing returns; the stock side only lists 'restock returns'), then in their example
        questions, then the better ranked."""
        docs = self.documents
        best = docs[ranked[0][0]]
        owner = [d for d, _ in ranked if docs[d].team == best.team and docs[d].role == best.role]
        duties = [doc_id for doc_id in owner if docs[doc_id].responsibility_id] or owner
        keys = {doc_id: self._explained(units, asked, doc_id) for doc_id in duties}
        top = max(keys.values())
        if not top[0]:
            return duties[:1]
        return sorted((d for d in duties if keys[d] == top), key=duties.index)

    def _explained(
        self, units: list[QueryUnit], asked: frozenset[str], doc_id: int
    ) -> tuple[float, float, float]:
        words = self.words(doc_id)
        explained, whole = words.explaining(asked)
        return (
            round(sum(u.weight for u in units if u.tokens & explained), 6),
            round(sum(u.weight for u in units if u.tokens & whole), 6),
            round(sum(u.weight for u in units if u.tokens & words.examples), 6),
        )
