"""Router.route(question) -> Routing: BM25 over the knowledge base with coverage-based abstention."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from operator import itemgetter

from bot.chat_text import asks, plain_text, readings, refers_back
from bot.chinese import to_traditional
from bot.corrections import CorrectionMemory
from bot.duties import Duties
from bot.duty_words import phrase_tokens
from bot.index import Index
from bot.knowledge import KnowledgeBase
from bot.langdetect import detect_language
from bot.languages import normalise_language, pick
from bot.query import QueryAnalysis, QueryUnit
from bot.routing import Alternative, Routing
from bot.routing_outside import OutsideTopics

MAX_QUESTION_CHARS = 4000
# Calibrated together on ~650 questions in five languages (the shared dev set, tests/data and our own
# probes, ~90 of them out of scope): below ABSTAIN_BELOW the router says "I don't know".
ABSTAIN_BELOW = 0.45
RERANK_DEPTH = 30  # documents re-weighted by their team's coverage
ALTERNATIVE_RATIO = 0.6  # runners-up scoring at least this share of the winner are offered
THIN_EVIDENCE_POWER = 3.0  # one matched word with more left unexplained: coverage counts this often
THIN_CONTEXT_POWER = 1.5  # the same when what is left over is known to other teams (context)
CONTEXT_SHARE = 0.6  # how much a word known only to other teams weighs against a team's coverage
SURE_ABOVE = 0.85  # at or above this confidence a close runner-up is shown as an alternative only
CLOSE_MARGIN = 1.1  # below SURE_ABOVE, a winner within this factor of another team's score is too close
CHOICE_FLOOR = 0.12  # below the answer threshold but above this, the nearest teams are offered as choices
MAX_CHOICES = 3
FOCUSED_MIN_EVIDENCE = 1.7  # a focused reading explaining less weight than this does not end the search
SPLIT_WHOLE_ABOVE = 0.55  # a whole-message reading this confident disagreeing with the answer splits it
PHRASE_MARGIN = 1.5  # too close to call unless the winner's whole terms explain this much more
PHRASE_DECIDES_ABOVE = 0.6  # ... and the reading is at least this confident

# one reading of a message: confidence, its query units, the ranked documents, the text read
Reading = tuple[float, list[QueryUnit], list[tuple[int, float]], str]


class Router(QueryAnalysis):
    """Routes a question to the accountable team and role."""

    def __init__(
        self, kb: KnowledgeBase, corrections: CorrectionMemory | None = None, index: Index | None = None
    ) -> None:
        self.kb = kb
        # a cached index of the same knowledge, or a new one
        super().__init__(index if index is not None else Index(kb))
        self.corrections = corrections if corrections is not None else CorrectionMemory()
        self.outside = OutsideTopics(kb)
        self._duties: Duties | None = None

    @property
    def duties(self) -> Duties:
        """What the current index's duties explain (the index may be swapped for one built anew)."""
        if self._duties is None or self._duties.index is not self.index:
            self._duties = Duties(self.index)
        return self._duties

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
            elif not unit.neutral:
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
            unexplained = any((not unit.tokens and not unit.neutral) or unit.share < 1.0 for unit in units)
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
        if lang == "zh-TW":  # 退货 is 退貨: Simplified meets Traditional
            text = to_traditional(text, self.index.postings.__contains__)
        remembered = self.corrections.lookup(text)
        # In a longer message the need often sits in one sentence or clause; greetings and context
        # around it must neither drown it nor add to it, so the most focused confident reading wins.
        tiers = readings(text)
        best = self._read(tiers, lang)
        if best is None:
            return self._corrected(text, lang, remembered, None) or Routing(text, lang, None, None, 0.0)
        best, split = self._second_opinion(tiers, lang, best)
        confidence, _, ranked, read = best
        routing = self._routing(text, lang, best, ranked)
        corrected = self._corrected(text, lang, remembered, routing)
        if corrected:
            return corrected
        # pay, leave or the office building: no team owns them, however well another word matches
        outside = self._outside(read, text, routing.team, lang)
        if confidence < ABSTAIN_BELOW or outside or split or self._too_close(best, lang):
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

    def _read(self, tiers: list[list[str]], lang: str) -> Reading | None:
        """The most focused confident reading. A focused reading resting on a few everyday words ("Who
        talks to her?") does not end the search: the rest of the message may tell the need; it is kept
        only when no broader reading is more confident."""
        best = thin = None
        # a sentence read alone in one tier comes back in the whole-message tier: evaluated once
        evaluated: dict[str, Reading | None] = {}
        for depth, tier in enumerate(tiers):
            answering = []
            for part in tier:
                if part not in evaluated:
                    evaluated[part] = self._evaluate(part, lang)
                candidate = evaluated[part]
                if candidate is None:
                    continue
                # (a sentence of the whole-message tier read alone is as focused as any)
                focused = depth < len(tiers) - 1 or part != tier[0]
                if focused and self._evidence_mass(candidate) < FOCUSED_MIN_EVIDENCE:
                    thin = candidate if thin is None or candidate[0] > thin[0] else thin
                    continue
                if self._rank_key(candidate, lang)[0]:
                    answering.append(candidate)
                if best is None or self._rank_key(candidate, lang) > self._rank_key(best, lang):
                    best = candidate
            if best is not None and best[0] >= ABSTAIN_BELOW:
                return self._agreeing(answering, tiers, evaluated, lang) or best
        if thin is None or (best is not None and thin[0] <= best[0]):
            return best
        # 'Who sorts that out?' read alone may only confirm what the message before it says
        docs = self.index.documents
        if best is not None and refers_back(thin[3]) and docs[thin[2][0][0]].team != docs[best[2][0][0]].team:
            return best
        return thin

    def _agreeing(
        self, answering: list[Reading], tiers: list[list[str]], seen: dict[str, Reading | None], lang: str
    ) -> Reading | None:
        """Readings of one tier that answer with different teams (the asking clause says SEO, its sentence
        with an aside before it says translations): the one the whole message agrees with."""
        docs = self.index.documents
        teams = {docs[reading[2][0][0]].team for reading in answering}
        if len(teams) < 2 or len(tiers) < 2:
            return None
        text = tiers[-1][0]
        if text not in seen:
            seen[text] = self._evaluate(text, lang)
        whole = seen[text]
        # (the whole message must answer on its own, and be more than one of the readings compared)
        if whole is None or whole in answering or not self._rank_key(whole, lang)[0]:
            return None
        team = docs[whole[2][0][0]].team
        agreeing = [reading for reading in answering if docs[reading[2][0][0]].team == team]
        return max(agreeing, key=itemgetter(0), default=None)

    def _second_opinion(self, tiers: list[list[str]], lang: str, best: Reading) -> tuple[Reading, bool]:
        """The chosen reading checked against the whole message. When the asking clause alone and the
        whole message agree on a team, a reading of the sentence before the question ('Looks like it sorts
        as text') does not overrule them; when the whole message confidently names another team and
        does not even offer the chosen one, the evidence is split: choices, not a guess."""
        whole = self._evaluate(tiers[-1][0], lang) if len(tiers) > 1 else None
        if whole is None or whole[3] == best[3]:
            return best, False
        docs = self.index.documents
        team = docs[whole[2][0][0]].team
        if docs[best[2][0][0]].team == team:
            return best, False
        # (an asking sentence pointing back, 'Who keeps those pages current?', is not read alone, but may
        # still say on its own what the whole message says)
        back = [p for p in tiers[-1][1:] if refers_back(p) and asks(p) and not any(q in p for q in tiers[0])]
        own = tiers[0] if len(tiers) > 2 and best[3] not in tiers[0] else []
        for part in [*own, *back]:
            asking = self._evaluate(part, lang)
            if asking and docs[asking[2][0][0]].team == team and (part in own or asking[0] >= ABSTAIN_BELOW):
                return whole, False
        chosen = docs[best[2][0][0]].team
        supported = next((score for doc_id, score in whole[2] if docs[doc_id].team == chosen), 0.0)
        split = (
            best[0] < SURE_ABOVE
            and whole[0] >= SPLIT_WHOLE_ABOVE
            and supported < whole[2][0][1] * ALTERNATIVE_RATIO
        )
        return best, split

    def _rank_key(self, reading: Reading, lang: str) -> tuple[bool, float]:
        """Readings compared: one that answers beats one whose teams are too close to call ("sorry dat
        ik stoor" reads like an outage beside the question itself), then the more confident."""
        confidence = reading[0]
        return confidence >= ABSTAIN_BELOW and not self._too_close(reading, lang), confidence

    def _outside(self, read: str, text: str, team: str | None, lang: str) -> bool:
        """Whether the reading names a working-life topic the knowledge does not own, or the message
        around it does ('The toner is out, who refills it?') and, read whole, points to no team or another."""
        if self.outside.named(read):
            return True
        if read == text or not self.outside.named(text):
            return False
        whole = self._evaluate(text, lang)
        return whole is None or whole[0] < ABSTAIN_BELOW or self.index.documents[whole[2][0][0]].team != team

    def _evidence_mass(self, reading: Reading) -> float:
        """The weight of the question's words that the winning team explains."""
        _, units, ranked, _ = reading
        known = self.index.team_tokens[self.index.documents[ranked[0][0]].team]
        mass = 0.0
        for unit in units:
            hits = sum(t in known for t in unit.tokens)
            if unit.tokens and hits >= min(unit.needs, len(unit.tokens)):
                mass += unit.weight * unit.credit * unit.everyday
            elif unit.parts and hits:  # 'marknadsföringsbudgeten': the team knows 'budget'
                mass += unit.weight * unit.credit * unit.everyday * hits / len(unit.tokens)
        return mass

    def _evaluate(self, text: str, lang: str) -> Reading | None:
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
        return self._confidence(units, team, coverage, best_score), units, ranked, text

    def _too_close(self, reading: Reading, lang: str) -> bool:
        """Two teams explain the question about equally well and neither convincingly: asking beats
        guessing."""
        confidence, units, ranked, read = reading
        if confidence >= SURE_ABOVE:
            return False
        docs = self.index.documents
        best_team, best_score = docs[ranked[0][0]].team, ranked[0][1]
        runner_up = next((score for doc_id, score in ranked if docs[doc_id].team != best_team), 0.0)
        if runner_up <= 0 or best_score >= runner_up * CLOSE_MARGIN:
            return False
        # the winner's own identity (its name and summary) outscoring every other team: the question is
        # about what the team is for, where the other team only mentions the word ('stock' in a promotion)
        if any(
            docs[doc_id].team == best_team and docs[doc_id].responsibility_id is None and score > runner_up
            for doc_id, score in ranked
        ):
            return False
        # the winner's terms found whole ('customers ... emailing' is its 'customer emails'), the other
        # team's only word by word ('email' of 'email campaign'): in an otherwise confident reading the
        # phrase decides
        if confidence < PHRASE_DECIDES_ABOVE:
            return True
        asked = phrase_tokens(read, lang) | {t for unit in units for t in unit.tokens}
        return not self.duties.phrases_favour(units, asked, ranked, PHRASE_MARGIN)

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
        reading: Reading,
        ranked: list[tuple[int, float]],
    ) -> Routing:
        confidence, units, _, read = reading
        docs = self.index.documents
        # the question's tokens, its typo corrections and its scaffolding: terms are matched as phrases
        asked = phrase_tokens(read, lang) | {t for unit in units for t in unit.tokens}
        best_id, best_score = ranked[0]
        best = docs[best_id]
        explaining = self.duties.why(units, asked, ranked)
        why = docs[explaining[0]]
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
            # 'returns' is no sign of a duty that only lists 'return on investment'
            if not self.duties.supports(asked, doc_id):
                continue
            seen.add((doc.team, doc.role))
            seen_teams.add(doc.team)
            alternatives.append(Alternative(doc.team, doc.role, round(confidence * score / best_score, 4)))
        return Routing(
            question=text,
            language=lang,
            team=best.team,
            role=best.role,
            confidence=confidence,
            matched=pick(why.reason, lang),
            matched_id=self.duties.duty_id(explaining[0]),
            alternatives=tuple(alternatives),
            explained_by=tuple(self.duties.duty_id(doc_id) for doc_id in explaining),
        )

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
