"""Router.route(question) -> Routing: BM25 over the knowledge base with coverage-based abstention."""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.chat_text import plain_text, readings
from bot.chinese import to_traditional
from bot.corrections import CorrectionMemory
from bot.index import Index
from bot.knowledge import KnowledgeBase
from bot.langdetect import detect_language
from bot.languages import normalise_language, pick
from bot.routing import Alternative, Routing
from bot.text import (
    LATIN_LANGUAGES,
    LEXICON_DATA,
    han_pieces,
    is_stopword,
    script_runs,
    stem,
    strip_contraction,
    strip_korean,
)
from bot.word_frequency import zipf

MAX_QUESTION_CHARS = 4000
# Calibrated together on ~650 questions in five languages (the shared dev set, tests/data and our own
# probes, ~90 of them out of scope): below ABSTAIN_BELOW the router says "I don't know".
ABSTAIN_BELOW = 0.45
OOV_SHARE = 0.45  # an unknown word weighs this share of the rarest known word: content we cannot explain
OOV_WEIGHT = 2.0  # the same, for an empty knowledge base
FUZZY_CREDIT = 0.7  # a typo-corrected word explains less than a word we know
FOREIGN_CREDIT = 0.6  # a stem known only in another language (Swedish 'kostar' vs Dutch 'kosten')
CHAR_CREDIT = 0.5  # a single Chinese character explains less than a two-character word
RERANK_DEPTH = 30  # documents re-weighted by their team's coverage
ALTERNATIVE_RATIO = 0.6  # runners-up scoring at least this share of the winner are offered
# Unknown words are weighed by how rare they are in everyday language (wordfreq's Zipf scale: 7 is
# "the", 3 a word met once per million): at or above COMMON_ZIPF a word is chit-chat ("quick",
# "question", "thanks") and explains nothing either way; at or below RARE_ZIPF it is content we
# cannot explain ("parental", "TikTok") and counts fully against the answer.
COMMON_ZIPF = 5.8
RARE_ZIPF = 3.8
THIN_EVIDENCE_POWER = 3.0  # one matched word with more left unexplained: coverage counts this often
THIN_CONTEXT_POWER = 1.5  # the same when what is left over is known to other teams (context)
CONTEXT_SHARE = 0.6  # how much a word known only to other teams weighs against a team's coverage
KNOWN_FLOOR = 0.25  # the least share of its weight a known everyday word keeps
SURE_ABOVE = 0.85  # at or above this confidence a close runner-up is shown as an alternative only
CLOSE_MARGIN = 1.1  # below SURE_ABOVE, a winner within this factor of another team's score is too close
TYPO_MIN_LENGTH = 5  # shorter words are not typo-corrected: too many real words are one edit apart
CHOICE_FLOOR = 0.12  # below the answer threshold but above this, the nearest teams are offered as choices
MAX_CHOICES = 3
FOCUSED_MIN_EVIDENCE = 1.7  # a focused reading explaining less weight than this does not end the search


@dataclass(frozen=True)
class QueryUnit:
    """One piece of the question that should be explained: a word, a Korean word or a Chinese character."""

    tokens: frozenset[str]
    weight: float
    needs: int = 1  # how many of `tokens` a document must contain to cover this unit
    credit: float = 1.0  # share of `weight` earned when covered (less for typo guesses)
    shared: bool = False  # tokens are overlapping n-grams of one word: they share its weight
    share: float = 1.0  # scaling of this unit's tokens in BM25 scoring
    parts: bool = False  # tokens are the parts of one compound word: each covered part explains its share


class Router:
    """Routes a question to the accountable team and role."""

    def __init__(
        self, kb: KnowledgeBase, corrections: CorrectionMemory | None = None, index: Index | None = None
    ) -> None:
        self.kb = kb
        self.index = index if index is not None else Index(kb)  # a cached index of the same knowledge
        self.corrections = corrections if corrections is not None else CorrectionMemory()
        self._resolve = lru_cache(maxsize=65536)(self._resolve_word)
        idfs = sorted(self.index.idf.values())
        # An unknown word weighs like a fairly rare known one: it is real content we cannot explain.
        self._oov_weight = OOV_SHARE * idfs[-1] if idfs else OOV_WEIGHT

    # ---- query analysis -------------------------------------------------------------------------
    def _resolve_word(self, word: str, language: str) -> tuple[tuple[str, ...], float]:
        """Index tokens for one Latin word and the credit they earn: its stem in the question's language
        (full credit), in another language (less: Swedish 'kostar' is not Dutch 'kosten'), a compound
        split, or a typo correction (less). No tokens with credit 1.0 means a misspelt question word."""
        postings = self.index.postings
        own = self.index.vocabulary.by_language.get(language, set())
        stemmed = stem(word, language)
        if stemmed in postings:
            return (stemmed,), 1.0 if stemmed in own or word in postings else FOREIGN_CREDIT
        if word in postings:
            return (word,), 1.0
        if word.endswith("s") and stem(word[:-1], language) in own:
            return (stem(word[:-1], language),), 1.0  # 'paginas' is pagina's typed without the apostrophe
        for lang in LATIN_LANGUAGES:
            other = stem(word, lang)
            if other in postings:
                return (other,), FOREIGN_CREDIT
        known = self.index.vocabulary.raw_to_stem.get(word)
        if known:
            return (known,), 1.0
        if known == "":
            return (), 1.0
        # typed without diacritics: 'aterbetalning' is 'återbetalning', 'financiele' is 'financiële'
        # (English has no å/ä/ö/ë: an English 'star' is not Swedish 'står')
        vocabulary = self.index.vocabulary
        folded = None if language == "en" else vocabulary.folded.get(word) or vocabulary.folded.get(stemmed)
        if folded:
            return (folded,), 1.0
        # closed compounds are Swedish and Dutch ('lagersaldot'); an English 'interview' is not int + view
        split = () if language == "en" else self._split_compound(stemmed) or self._split_compound(word)
        if split:
            return split, 1.0
        if len(word) >= TYPO_MIN_LENGTH:
            # typos: whole words within one edit (two for long words), a swap counting as one edit
            # (custmer ~ customer, retruns ~ returns, but weather is not whether)
            candidates = self.index.vocabulary.by_initial.get(word[0], [])
            edits = 1 if len(word) < 9 else 2
            match = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=edits)
            if match:
                guess = self.index.vocabulary.raw_to_stem.get(match[0], match[0])
                return ((), 1.0) if guess == "" else ((guess,), FUZZY_CREDIT)
        return (), 0.0

    def _known(self, part: str) -> str | None:
        postings = self.index.postings
        if part in postings:
            return part
        for lang in LATIN_LANGUAGES:
            stemmed = stem(part, lang)
            if stemmed in postings:
                return stemmed
        vocabulary = self.index.vocabulary
        known = vocabulary.raw_to_stem.get(part)
        # a part typed without diacritics (long enough not to be another short word by chance)
        return known if known or len(part) < 5 else vocabulary.folded.get(part)

    def _split_compound(self, word: str, depth: int = 2) -> tuple[str, ...]:
        """Swedish/Dutch compounds: 'marketingstrategie' -> marketing + strategie (with linking s/e), and
        one more level for three-part words ('sökmotoroptimeringen' -> sök + motor + optimering)."""
        best: tuple[int, tuple[str, ...]] | None = None
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if is_stopword(head):
                continue  # 'föräldra…' does not start with the word 'för'
            left = self._known(head) or (self._known(head[:-1]) if head[-1] in "se" else None)
            if not left:
                continue
            known_tail = self._known(tail)
            right: tuple[str, ...] = (known_tail,) if known_tail else ()
            if not right and depth > 1:
                right = self._split_compound(tail, depth - 1)
            if right:
                score = min(len(head), len(tail)) - (len(right) - 1)
                if best is None or score > best[0]:
                    best = (score, (left, *right))
        return best[1] if best else ()

    def _units(self, question: str, language: str) -> list[QueryUnit]:
        units: list[QueryUnit] = []
        for kind, run in script_runs(question):
            if kind == "latin":
                units.extend(self._latin_units(run, language))
            elif kind == "han":
                units.extend(self._han_units(run))
            elif kind == "hangul":
                units.extend(self._hangul_units(run))
        return units

    def _latin_units(self, run: str, language: str) -> list[QueryUnit]:
        """One unit per content word; a hyphenated word counts once (whole if known, else its parts)."""
        lang = language if language in LATIN_LANGUAGES else "en"
        idf = self.index.idf
        units = []
        for word in re.split(r"\s+", run.strip("'.")):
            word = strip_contraction(word.strip("'."))
            pieces = [word]
            if ("-" in word or "/" in word) and not self._resolve(word, lang)[0]:
                pieces = [p for p in re.split(r"[-/]", word) if p]
            for piece in pieces:
                if is_stopword(piece) or len(piece) < 2:
                    continue
                tokens, credit = self._resolve(piece, lang)
                if credit == 1.0 and not tokens:
                    continue  # a misspelt question word ("handels"): scaffolding, not content
                if tokens:
                    # an everyday word the knowledge happens to use ("tell", "final") says less about
                    # the need than a word only the trade uses ("refund", "SEO")
                    everyday = self._rarity(max(zipf(piece, lang), zipf(piece, "en")))
                    weight = max(idf[t] for t in tokens) * max(KNOWN_FLOOR, everyday)
                else:
                    weight = self._oov_weight * self._rarity(max(zipf(piece, lang), zipf(piece, "en")))
                    if weight <= 0:
                        continue  # everyday chit-chat ("quick", "question", "thanks")
                # a guessed (typo-corrected) word explains less than a word we know
                parts = len(tokens) > 1
                units.append(QueryUnit(frozenset(tokens), weight, len(tokens) or 1, credit, parts=parts))
        return units

    def _han_units(self, run: str) -> list[QueryUnit]:
        """One unit per Chinese character: explained by a known bigram containing it, or weakly by the
        character itself (one-character words like 慢 'slow')."""
        postings, idf = self.index.postings, self.index.idf
        units = []
        for piece in han_pieces(run):
            bigrams = [piece[i : i + 2] for i in range(len(piece) - 1)]
            for char in dict.fromkeys(piece):
                tokens = frozenset(g for g in bigrams if char in g and g in postings)
                weak = frozenset([char]) if char in postings and not tokens else frozenset()
                if tokens:
                    weight = max(idf[g] for g in tokens) / 2
                elif weak:
                    weight = self._oov_weight / 2
                else:
                    weight = self._oov_weight * self._rarity(_han_commonness(piece, char)) / 2
                    if weight <= 0:
                        continue
                units.append(
                    QueryUnit(
                        tokens or weak,
                        weight,
                        credit=1.0 if tokens else CHAR_CREDIT,
                        share=1.0 if tokens else CHAR_CREDIT,
                    )
                )
        return units

    def _hangul_units(self, run: str) -> list[QueryUnit]:
        if run in LEXICON_DATA.ko_stopwords or run in LEXICON_DATA.ko_suffixes:
            return []  # a bare particle ("SEO는" splits off "는") or a question word
        word = strip_korean(run)
        if not word or word in LEXICON_DATA.ko_stopwords:
            return []
        postings, idf = self.index.postings, self.index.idf
        grams = [word[i : i + 2] for i in range(len(word) - 1)]
        # a pair that is itself scaffolding (하기 in 더하기 'plus') says nothing about a team
        scaffolding = LEXICON_DATA.ko_stopwords | LEXICON_DATA.ko_suffixes
        known = frozenset(g for g in grams if g in postings and g not in scaffolding)
        if word in postings:
            # the whole word, or enough of its syllable pairs (웹사이트 ~ 사이트) for teams that say it
            # differently; the pairs share the word's weight in scoring
            needs = max(1, math.ceil(len(grams) / 2)) if grams else 1
            return [QueryUnit(known | {word}, idf[word], min(needs, len(known) + 1), shared=bool(known))]
        needs = max(1, math.ceil(len(grams) / 2))
        if len(known) >= needs:
            weight = max(idf[g] for g in known)
        elif pieces := self._segment_hangul(run):
            return [QueryUnit(frozenset([piece]), idf[piece]) for piece in pieces]
        else:
            weight = self._oov_weight * self._rarity(_hangul_commonness(run))
            if weight <= 0:
                return []  # 안녕하세요, 간단한 질문: greetings and chit-chat
        return [QueryUnit(known if len(known) >= needs else frozenset(), weight, needs, shared=True)]

    def _segment_hangul(self, run: str) -> list[str]:
        """Words typed without spaces ('반품누가처리해요' is 반품 + 누가 + 처리 + 해요): the known words of
        a run that splits into known words, question words and endings with at most a third left over."""
        postings = self.index.postings
        scaffolding = LEXICON_DATA.ko_stopwords | LEXICON_DATA.ko_suffixes
        # best[i]: (syllables left unexplained, pieces, known words) for run[:i]
        best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (len(run) + 1)
        best[0] = (0, 0, ())
        for start in range(len(run)):
            here = best[start]
            if here is None:
                continue
            steps: list[tuple[int, int, tuple[str, ...]]] = [(start + 1, 1, ())]
            for end in range(start + 1, min(len(run), start + 6) + 1):
                piece = run[start:end]
                if piece in scaffolding:
                    steps.append((end, 0, ()))
                elif len(piece) >= 2 and piece in postings:
                    steps.append((end, 0, (piece,)))
            for end, unknown, words in steps:
                option = (here[0] + unknown, here[1] + 1, here[2] + words)
                if best[end] is None or option[:2] < best[end][:2]:  # type: ignore[index]
                    best[end] = option
        final = best[len(run)]
        if final is None or not final[2] or final[0] * 3 > len(run):
            return []
        return list(final[2])

    @staticmethod
    def _rarity(zipf_value: float) -> float:
        """1.0 for a rare word (content), 0.0 for an everyday one (filler), linear in between."""
        return min(1.0, max(0.0, (COMMON_ZIPF - zipf_value) / (COMMON_ZIPF - RARE_ZIPF)))

    # ---- scoring --------------------------------------------------------------------------------
    def _score(self, units: list[QueryUnit]) -> dict[int, float]:
        weights: dict[str, float] = {}
        for unit in units:
            share = unit.share / max(len(unit.tokens), 1) if unit.shared else unit.share
            for token in unit.tokens:
                weights[token] = max(weights.get(token, 0.0), share)
        scores: dict[int, float] = defaultdict(float)
        weighted = self.index.weighted
        for token, share in weights.items():
            for doc_id, weight in weighted[token]:
                scores[doc_id] += share * weight
        return scores

    def _coverage(self, units: list[QueryUnit], team: str) -> float:
        """Share of the question's weight that the team's knowledge explains. A word another team knows
        ("on our webshop") is context and weighs CONTEXT_SHARE against; a word nobody knows weighs fully."""
        covered = against = 0.0
        known = self.index.team_tokens[team]
        for unit in units:
            hits = sum(1 for t in unit.tokens if t in known)
            if unit.tokens and hits >= min(unit.needs, len(unit.tokens)):
                covered += unit.weight * unit.credit
                against += unit.weight * (1 - unit.credit)
            elif unit.parts and hits:
                # 'spaarpuntenprogramma': the team knows 'spaarpunt', another 'programma'
                share = hits / len(unit.tokens)
                covered += unit.weight * unit.credit * share
                against += unit.weight * (1 - share) * CONTEXT_SHARE
            else:
                against += unit.weight * (CONTEXT_SHARE if unit.tokens else 1.0)
        total = covered + against
        return covered / total if total > 0 else 0.0

    def _confidence(self, units: list[QueryUnit], team: str, coverage: float, score: float) -> float:
        """Coverage times match strength; a single matched word with words nobody knows left over
        ("weather forecast") is thin evidence, so there coverage counts THIN_EVIDENCE_POWER times."""
        strength = 1 - math.exp(-score / 4.0)
        known = self.index.team_tokens[team]
        # a lone Chinese character (天 in 今天天氣) is a weak hint, not evidence of a topic
        evidence = {
            token
            for unit in units
            for token in unit.tokens
            if token in known and not (len(token) == 1 and unit.credit < 1.0)
        }
        # (words known to other teams are context, not a sign of a question we cannot explain)
        if len(evidence) <= 1:
            unexplained = any(not unit.tokens or unit.share < 1.0 for unit in units)
            coverage **= THIN_EVIDENCE_POWER if unexplained else THIN_CONTEXT_POWER
        return round(coverage * (0.5 + 0.5 * strength), 4)

    def _rank(self, units: list[QueryUnit], scores: dict[int, float]) -> list[tuple[int, float]]:
        """Top documents by BM25, re-weighted by how much of the question their team explains, so
        context words ("for the online store") do not outvote the topic ("accounting")."""
        top = heapq.nlargest(RERANK_DEPTH, scores.items(), key=itemgetter(1))
        coverage: dict[str, float] = {}
        ranked = []
        for doc_id, score in top:
            team = self.index.documents[doc_id].team
            if team not in coverage:
                coverage[team] = self._coverage(units, team)
            ranked.append((doc_id, score * coverage[team]))
        ranked.sort(key=lambda item: -item[1])
        return ranked

    def route(self, question: str, language: str | None = None) -> Routing:
        """The accountable team/role for `question`, or an abstention (team None) with the nearest teams
        offered as choices when there are plausible ones."""
        text = plain_text(question.strip()[:MAX_QUESTION_CHARS])
        lang = detect_language(
            text, self.index.vocabulary.by_language, normalise_language(language) if language else None
        )
        if lang == "zh-TW":
            text = to_traditional(text)  # 退货 is 退貨: Simplified questions meet Traditional knowledge
        remembered = self.corrections.lookup(text)
        # In a longer message the need often sits in one sentence or clause; greetings and context
        # around it must neither drown it nor add to it, so the most focused confident reading wins.
        best = self._read(readings(text), lang)
        if best is None:
            return self._corrected(text, lang, remembered, None) or Routing(text, lang, None, None, 0.0)
        confidence, units, ranked = best
        routing = self._routing(text, lang, units, ranked, confidence)
        corrected = self._corrected(text, lang, remembered, routing)
        if corrected:
            return corrected
        if confidence < ABSTAIN_BELOW or self._too_close(ranked, confidence):
            return Routing(
                text,
                lang,
                None,
                None,
                confidence,
                nearest=routing.team,
                choices=self._choices(ranked, confidence) if confidence >= CHOICE_FLOOR else (),
            )
        return routing

    def _read(
        self, tiers: list[list[str]], lang: str
    ) -> tuple[float, list[QueryUnit], list[tuple[int, float]]] | None:
        """The most focused confident reading. A focused reading resting on a few everyday words ("Who
        talks to her?") does not end the search: the rest of the message may tell the need; it is kept
        only when no broader reading is more confident."""
        best = thin = None
        for depth, tier in enumerate(tiers):
            for part in tier:
                candidate = self._evaluate(part, lang)
                if candidate is None:
                    continue
                if depth < len(tiers) - 1 and self._evidence_mass(candidate) < FOCUSED_MIN_EVIDENCE:
                    thin = candidate if thin is None or candidate[0] > thin[0] else thin
                elif best is None or candidate[0] > best[0]:
                    best = candidate
            if best is not None and best[0] >= ABSTAIN_BELOW:
                return best
        return thin if best is None or (thin is not None and thin[0] > best[0]) else best

    def _evidence_mass(self, reading: tuple[float, list[QueryUnit], list[tuple[int, float]]]) -> float:
        """The weight of the question's words that the winning team explains."""
        _, units, ranked = reading
        known = self.index.team_tokens[self.index.documents[ranked[0][0]].team]
        return sum(
            unit.weight * unit.credit
            for unit in units
            if unit.tokens and sum(t in known for t in unit.tokens) >= min(unit.needs, len(unit.tokens))
        )

    def _evaluate(
        self, text: str, lang: str
    ) -> tuple[float, list[QueryUnit], list[tuple[int, float]]] | None:
        """Confidence, query units and ranked documents for one reading of the message."""
        units = self._units(text, lang)
        scores = self._score(units)
        if not scores:
            return None
        ranked = self._rank(units, scores)
        best_id, best_score = ranked[0]
        if best_score <= 0:  # matched words only in pieces no single team knows together
            return None
        team = self.index.documents[best_id].team
        coverage = self._coverage(units, team)
        return self._confidence(units, team, coverage, best_score), units, ranked

    def _too_close(self, ranked: list[tuple[int, float]], confidence: float) -> bool:
        """Two teams explain the question about equally well and neither convincingly: asking beats
        guessing."""
        if confidence >= SURE_ABOVE:
            return False
        docs = self.index.documents
        best_team, best_score = docs[ranked[0][0]].team, ranked[0][1]
        runner_up = next((score for doc_id, score in ranked if docs[doc_id].team != best_team), 0.0)
        return runner_up > 0 and best_score < runner_up * CLOSE_MARGIN

    def _choices(self, ranked: list[tuple[int, float]], confidence: float) -> tuple[Alternative, ...]:
        """The nearest distinct teams (with their best role) to offer when unsure: one click away."""
        docs = self.index.documents
        best_score = ranked[0][1]
        choices: list[Alternative] = []
        seen: set[str] = set()
        for doc_id, score in ranked:
            doc = docs[doc_id]
            if doc.team in seen or score <= 0:
                continue
            seen.add(doc.team)
            choices.append(Alternative(doc.team, doc.role, round(confidence * score / best_score, 4)))
            if len(choices) >= MAX_CHOICES:
                break
        return tuple(choices)

    def _routing(
        self,
        text: str,
        lang: str,
        units: list[QueryUnit],
        ranked: list[tuple[int, float]],
        confidence: float,
    ) -> Routing:
        docs = self.index.documents
        best_id, best_score = ranked[0]
        best = docs[best_id]
        why = docs[self._why(units, ranked)]
        seen = {(best.team, best.role)}
        seen_teams = {best.team}
        alternatives: list[Alternative] = []
        for doc_id, score in ranked[1:]:
            doc = docs[doc_id]
            if score < best_score * ALTERNATIVE_RATIO or len(alternatives) >= 3:
                break
            if doc.team in seen_teams and (doc.team, doc.role) in seen:
                continue
            if doc.team == best.team and doc.role is None:
                continue
            seen.add((doc.team, doc.role))
            seen_teams.add(doc.team)
            alternatives.append(Alternative(doc.team, doc.role, round(confidence * score / best_score, 4)))
        matched_id = f"{why.team}/{why.role or '-'}/{why.responsibility_id or 'identity'}"
        return Routing(
            question=text,
            language=lang,
            team=best.team,
            role=best.role,
            confidence=confidence,
            matched=pick(why.reason, lang),
            matched_id=matched_id,
            alternatives=tuple(alternatives),
        )

    def _why(self, units: list[QueryUnit], ranked: list[tuple[int, float]]) -> int:
        """The winning owner's responsibility that explains most of the question (its own words, not the
        team's), so "why" shows the duty that matched rather than the team's description."""
        docs = self.index.documents
        best = docs[ranked[0][0]]
        owner = [
            doc_id
            for doc_id, _ in ranked
            if docs[doc_id].team == best.team and docs[doc_id].role == best.role
        ]
        duties = [doc_id for doc_id in owner if docs[doc_id].responsibility_id] or owner
        return max(duties, key=lambda doc_id: (self._explained(units, doc_id), -duties.index(doc_id)))

    def _explained(self, units: list[QueryUnit], doc_id: int) -> float:
        tokens = self.index.doc_tokens[doc_id]
        return sum(u.weight for u in units if u.tokens and any(t in tokens for t in u.tokens))

    def _corrected(
        self, text: str, lang: str, remembered: tuple[str, str | None] | None, routing: Routing | None
    ) -> Routing | None:
        """A colleague's stored correction for this (or a very similar) question wins over the index."""
        if remembered is None or remembered[0] not in self.kb.teams:
            return None
        team, role = remembered
        alternatives: tuple[Alternative, ...] = ()
        if routing is not None and routing.team and routing.team != team:
            alternatives = (Alternative(routing.team, routing.role, routing.confidence),)
        summary = self.kb.role(role).summary if role and role in self.kb.roles else self.kb.team(team).summary
        return Routing(
            question=text,
            language=lang,
            team=team,
            role=role,
            confidence=0.9,
            matched=pick(summary, lang),
            matched_id=f"{team}/{role or '-'}/correction",
            alternatives=alternatives,
            corrected=True,
        )


def _hangul_commonness(run: str) -> float:
    """Zipf frequency of a Korean word: wordfreq lists stems, so the longest known start of the word."""
    for end in range(len(run), 1, -1):
        value = zipf(run[:end], "ko")
        if value:
            return value
    return 0.0


def _han_commonness(piece: str, char: str) -> float:
    """How everyday the Chinese word around `char` is: the most frequent 2-3 character word containing
    it, or the character itself a point lower (single characters are common in every sense)."""
    best = zipf(char, "zh-TW") - 1.0
    for start in range(len(piece)):
        for size in (2, 3):
            word = piece[start : start + size]
            if len(word) == size and char in word:
                best = max(best, zipf(word, "zh-TW"))
    return best
