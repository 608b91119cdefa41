"""Which duty explains a question: a responsibility's words, its terms matched as whole phrases."""

from __future__ import annotations

from collections import defaultdict

from bot.duty_words import DutyWords
from bot.index import Index
from bot.query import QueryUnit


class Duties:
    """Which of an index's documents explain a question, and how much of it in whole phrases."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.documents, self.doc_tokens = index.documents, index.doc_tokens

    def words(self, doc_id: int) -> DutyWords:
        return self.index.duty_words[doc_id]

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
        found = {t for term in self.words(doc_id).whole_terms(asked) if len(term) > 1 for t in term}
        return sum(unit.weight for unit in units if unit.tokens & found)

    def phrases_favour(
        self, units: list[QueryUnit], asked: frozenset[str], ranked: list[tuple[int, float]], margin: float
    ) -> bool:
        """Whether the leading team's terms explain `margin` times more of the question as whole phrases
        than any other ranked team's do."""
        phrases: dict[str, float] = defaultdict(float)
        for doc_id, _ in ranked:
            team = self.documents[doc_id].team
            phrases[team] = max(phrases[team], self.phrase_weight(units, asked, doc_id))
        leader = self.documents[ranked[0][0]].team
        rival = max((w for team, w in phrases.items() if team != leader), default=0.0)
        return phrases[leader] > rival * margin

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
