"""Inverted index over the knowledge base: one document per responsibility plus one per team/role identity."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.duty_words import DutyWords, analyse, duty_words, owner_names
from bot.knowledge import KnowledgeBase, Responsibility
from bot.languages import LANGUAGES, LocalizedTerms, LocalizedText
from bot.text import (
    LATIN_LANGUAGES,
    LEXICON_DATA,
    cjk_tokens,
    fold_diacritics,
    han_pieces,
    is_stopword,
    latin_words,
    script_runs,
    stem,
)
from bot.word_frequency import zipf

# Field weights: what a responsibility says and the words people use for it weigh most; the owner's
# name helps ("marketing strategy") but must not outvote the responsibility itself.
TEXT_WEIGHT = 1.0
TERM_WEIGHT = 1.0
EXAMPLE_WEIGHT = 0.5  # an example question also carries its scaffolding: it teaches words, weakly
OWNER_WEIGHT = 0.4
HAN_WORD_ZIPF = 4.7  # a character more common than this (不, 人, 看) is grammar, not a word of the trade
K1 = 1.2
B = 0.4


@dataclass(frozen=True)
class Document:
    """A routable unit: the owner (team, role) and what to show as the reason when it matches."""

    team: str
    role: str | None
    responsibility_id: str | None  # None for a team/role identity document
    reason: LocalizedText
    length: float


@dataclass
class Vocabulary:
    """Token statistics plus, per Latin language, the stems seen in that language's text."""

    by_language: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    raw_to_stem: dict[str, str] = field(default_factory=dict)
    folded: dict[str, str] = field(default_factory=dict)  # word or stem without diacritics -> stem
    by_initial: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


class Index:
    """BM25 postings over the knowledge base, built once at start-up."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.documents: list[Document] = []
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.vocabulary = Vocabulary()
        # Chinese characters the knowledge uses as a word of their own (慢 of 很慢 'very slow')
        self.han_words: set[str] = set()
        lengths: list[float] = []
        doc_terms: list[Counter[str]] = []
        for document, weighted in self._documents(kb):
            counts: Counter[str] = Counter()
            for tokens, weight in weighted:
                for token in tokens:
                    counts[token] += weight  # type: ignore[assignment]
            self.documents.append(document)
            doc_terms.append(counts)
            lengths.append(sum(counts.values()))
        self.average_length = sum(lengths) / max(len(lengths), 1)
        self.documents = [
            Document(d.team, d.role, d.responsibility_id, d.reason, length)
            for d, length in zip(self.documents, lengths, strict=True)
        ]
        self.doc_tokens: list[frozenset[str]] = [frozenset(counts) for counts in doc_terms]
        # what each duty says itself and its terms as phrases, for "why" (a team or role identity:
        # its names and summary are all its own words)
        self.duty_words: list[DutyWords] = [
            words if words is not None else DutyWords(tokens, ())
            for words, tokens in zip(self._duty_words(kb), self.doc_tokens, strict=True)
        ]
        by_team: dict[str, set[str]] = defaultdict(set)
        for document, doc_set in zip(self.documents, self.doc_tokens, strict=True):
            by_team[document.team].update(doc_set)
        # A question may name several things one team does ("email" + "campaigns"): coverage is
        # judged against everything the team knows, ranking against single responsibilities.
        self.team_tokens: dict[str, frozenset[str]] = {team: frozenset(t) for team, t in by_team.items()}
        for doc_id, counts in enumerate(doc_terms):
            for token, tf in counts.items():
                self.postings[token].append((doc_id, tf))
        total = len(self.documents)
        self.idf: dict[str, float] = {
            token: math.log(1 + (total - len(posts) + 0.5) / (len(posts) + 0.5))
            for token, posts in self.postings.items()
        }
        # idf x BM25 term weight per posting, computed once: scoring a question is then one multiply-add
        # per posting (at 10,000 responsibilities that is most of the routing time)
        self.weighted: dict[str, list[tuple[int, float]]] = {
            token: [(doc_id, self.idf[token] * self.bm25(tf, doc_id)) for doc_id, tf in posts]
            for token, posts in self.postings.items()
        }
        for word, stemmed in list(self.vocabulary.raw_to_stem.items()):
            self.vocabulary.by_initial[word[0]].append(word)
            for form in (word, stemmed):
                folded = fold_diacritics(form)
                if folded != form:
                    self.vocabulary.folded.setdefault(folded, stemmed)
        # misspelt question words ("handels", "whoo") are recognised as scaffolding, not as content
        for words in LEXICON_DATA.stopwords.values():
            for word in words:
                if len(word) >= 5 and word not in self.vocabulary.raw_to_stem:
                    self.vocabulary.raw_to_stem[word] = ""
                    self.vocabulary.by_initial[word[0]].append(word)

    @staticmethod
    def _duty_words(kb: KnowledgeBase) -> Iterable[DutyWords | None]:
        """In the order of `_documents`: each responsibility's words, None for an identity document."""
        for team in kb.teams.values():
            lead = next((r for r in team.roles if r.id == team.lead_role), None)
            yield None
            names = owner_names(team, lead)
            yield from (duty_words(resp, names) for resp in team.responsibilities)
            for role in team.roles:
                yield None
                names = owner_names(team, role)
                yield from (duty_words(resp, names) for resp in role.responsibilities)

    def _analyse_localized(
        self, texts: LocalizedText | LocalizedTerms, weight: float, terms: bool = False
    ) -> Iterable[tuple[list[str], float]]:
        for language, value in texts.items():
            pieces = [value] if isinstance(value, str) else list(value)
            lang = language if language in LANGUAGES else "en"
            for piece in pieces:
                for kind, run in script_runs(piece) if terms else ():
                    if kind == "han":
                        self.han_words.update(
                            p for p in han_pieces(run) if len(p) == 1 and zipf(p, "zh-TW") < HAN_WORD_ZIPF
                        )
                if lang in LATIN_LANGUAGES:
                    words = [w for w in latin_words(piece) if not is_stopword(w)]
                    stems = [stem(w, lang) for w in words]
                    self.vocabulary.by_language[lang].update(stems)
                    for word, stemmed in zip(words, stems, strict=True):
                        self.vocabulary.raw_to_stem.setdefault(word, stemmed)
                    yield stems + cjk_tokens(piece), weight
                else:
                    yield analyse(piece, lang), weight

    def _documents(self, kb: KnowledgeBase) -> Iterable[tuple[Document, list[tuple[list[str], float]]]]:
        for team in kb.teams.values():
            team_names = [*self._analyse_localized(team.names, OWNER_WEIGHT)]
            team_aliases = [*self._analyse_localized(team.aliases, OWNER_WEIGHT)]
            identity = [
                *self._analyse_localized(team.names, TERM_WEIGHT),
                *self._analyse_localized(team.aliases, TERM_WEIGHT),
                *self._analyse_localized(team.summary, TEXT_WEIGHT * 0.5),
            ]
            yield Document(team.id, None, None, team.summary, 0.0), identity
            for resp in team.responsibilities:
                yield self._responsibility(team.id, team.lead_role, resp, team_names + team_aliases)
            for role in team.roles:
                role_names = [
                    *self._analyse_localized(role.names, OWNER_WEIGHT),
                    *self._analyse_localized(role.aliases, OWNER_WEIGHT),
                ]
                role_identity = [
                    *self._analyse_localized(role.names, TERM_WEIGHT),
                    *self._analyse_localized(role.aliases, TERM_WEIGHT),
                    *self._analyse_localized(role.summary, TEXT_WEIGHT * 0.5),
                ]
                yield Document(team.id, role.id, None, role.summary, 0.0), role_identity
                for resp in role.responsibilities:
                    yield self._responsibility(team.id, role.id, resp, team_names + role_names)

    def _responsibility(
        self, team: str, role: str | None, resp: Responsibility, owner: list[tuple[list[str], float]]
    ) -> tuple[Document, list[tuple[list[str], float]]]:
        fields = [
            *self._analyse_localized(resp.text, TEXT_WEIGHT),
            *self._analyse_localized(resp.terms, TERM_WEIGHT, terms=True),
            *self._analyse_localized(resp.examples, EXAMPLE_WEIGHT),
            *owner,
        ]
        return Document(team, role, resp.id, resp.text, 0.0), fields

    def bm25(self, tf: float, doc_id: int) -> float:
        length = self.documents[doc_id].length
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.average_length))
