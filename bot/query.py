"""What a question is made of for routing: words, Korean words and Chinese characters as weighted units."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.index import Index
from bot.morphology import COUNTER, han_commonness, hangul_commonness, indefinite, without_honorific
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

OOV_SHARE = 0.45  # an unknown word weighs this share of the rarest known word: content we cannot explain
OOV_WEIGHT = 2.0  # the same, for an empty knowledge base
FUZZY_CREDIT = 0.7  # a typo-corrected word explains less than a word we know
FOREIGN_CREDIT = 0.6  # a stem known only in another language (Swedish 'kostar' vs Dutch 'kosten')
CHAR_CREDIT = 0.5  # a single Chinese character explains less than a two-character word
# Unknown words are weighed by how rare they are in everyday language (wordfreq's Zipf scale: 7 is
# "the", 3 a word met once per million): at or above COMMON_ZIPF a word is chit-chat ("quick",
# "question", "thanks") and explains nothing either way; at or below RARE_ZIPF it is content we
# cannot explain ("parental", "TikTok") and counts fully against the answer.
COMMON_ZIPF = 5.8
RARE_ZIPF = 3.8
KNOWN_FLOOR = 0.25  # the least share of its weight a known everyday word keeps
QUESTION_TYPO_LENGTH = 8  # a known stem typed one edit off a question word this long is that word
NUMBER_SHARE = 0.5  # an unexplained number weighs this share of an unexplained word
REAL_WORD_ZIPF = 3.5  # a word this common in everyday use is itself, not a typo (wordfreq's Zipf scale)
REAL_WORD_CREDIT = 0.5  # ... so as a typo guess it explains half of what a word we know does
TYPO_MIN_LENGTH = 5  # shorter words are not typo-corrected: too many real words are one edit apart
# a stretch in quotes that does not start or end inside a word (pagina's, who's stay words)
_LETTER = "0-9a-zà-ÿA-ZÀ-Ý"
_QUOTED = re.compile(
    rf"(?<![{_LETTER}'])['\"‘“„«「『]([^'\"‘’“”«»「」『』\n]{{2,60}}?)['\"’”»」』](?![{_LETTER}])"
)


_WORD = re.compile(r"(?<![\w'’-])[a-zà-ÿA-ZÀ-Ý]{3,}(?![\w'’-])")  # whole words, not parts of e-commerce


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
    everyday: float = 1.0  # how much of `weight` is left once everyday use is discounted (Korean words)
    neutral: bool = False  # unexplained, it counts neither way: a quoted name


class QueryAnalysis:
    """Turns a question into QueryUnits against an index: stems, compounds, typos, everyday weights."""

    index: Index

    def __init__(self, index: Index) -> None:
        self.index = index
        self._resolve = lru_cache(maxsize=65536)(self._resolve_word)
        self._question_words = sorted(w for w in LEXICON_DATA.all_stopwords if len(w) >= QUESTION_TYPO_LENGTH)
        # short scaffolding typed a letter short or with two letters swapped ('wich', 'hwo', 'waht')
        self._short_slips = (
            frozenset(
                slip
                for w in LEXICON_DATA.all_stopwords
                if w.isalpha() and 3 <= len(w) <= TYPO_MIN_LENGTH
                for i in range(len(w))
                for slip in (w[:i] + w[i + 1 :], w[:i] + w[i + 1 : i + 2] + w[i] + w[i + 2 :])
                if len(slip) >= 3
            )
            - LEXICON_DATA.all_stopwords
        )
        idfs = sorted(self.index.idf.values())
        # An unknown word weighs like a fairly rare known one: it is real content we cannot explain.
        self._oov_weight = OOV_SHARE * idfs[-1] if idfs else OOV_WEIGHT

    def _resolve_word(self, word: str, language: str) -> tuple[tuple[str, ...], float]:
        """Index tokens for one Latin word and the credit they earn: its stem in the question's language
        (full credit), in another language (less: Swedish 'kostar' is not Dutch 'kosten'), a compound
        split, or a typo correction (less). No tokens with credit 1.0 means a misspelt question word."""
        postings = self.index.postings
        own = self.index.vocabulary.by_language.get(language, set())
        stemmed = stem(word, language)
        if stemmed in postings and self._misspelt_question_word(word):
            return (), 1.0  # 'responsable' is 'responsible' misspelt, not the stem of 'response'
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
        for base in indefinite(word) if language == "sv" else ():
            if stem(base, language) in own:
                return (stem(base, language),), 1.0
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
                # a word people really write ('linen', 'toner') is more likely itself than a typo
                credit = REAL_WORD_CREDIT if self._real_word(word, language) else FUZZY_CREDIT
                return ((), 1.0) if guess == "" else ((guess,), credit)
        elif word in self._short_slips and not self._real_word(word, language):
            return (), 1.0  # too short for the typo search above, but plainly a question word mistyped
        return (), 0.0

    @staticmethod
    def _real_word(word: str, language: str) -> bool:
        """A word people really write ('linen', 'toner') is not a typo of a word we know ('line', 'tone')."""
        return zipf(word, language) >= REAL_WORD_ZIPF

    def _misspelt_question_word(self, word: str) -> bool:
        """A word the knowledge never uses that is one edit from a long question word."""
        if len(word) < QUESTION_TYPO_LENGTH or word in self.index.vocabulary.raw_to_stem:
            return False
        if word in self.index.postings:
            return False
        match = process.extractOne(word, self._question_words, scorer=OSA.distance, score_cutoff=1)
        return match is not None

    def _known(self, part: str) -> str | None:
        postings = self.index.postings
        if part in postings:
            return part
        for lang in LATIN_LANGUAGES:
            stemmed = stem(part, lang)
            if stemmed in postings:
                return stemmed
        for base in indefinite(part):
            if stem(base, "sv") in postings:
                return stem(base, "sv")
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
        """The units of a reading; a quoted stretch ('Zomersale 2022', a search phrase) is a name the
        asker cites, not the need: it may help a team that knows it but counts against none."""
        units: list[QueryUnit] = []
        last = 0
        for match in _QUOTED.finditer(question):
            units.extend(self._plain_units(question[last : match.start()], language))
            quoted = self._plain_units(match.group(1), language)
            units.extend(replace(unit, neutral=True) for unit in quoted)
            last = match.end()
        units.extend(self._plain_units(question[last:], language))
        return units

    def _rejoined(self, question: str, language: str) -> str:
        """A Swedish or Dutch compound typed apart ('voorraad beheerder', 'nyhets brevet') is the
        compound, when the knowledge knows it as one word."""
        if language not in ("sv", "nl"):
            return question
        own = self.index.vocabulary.by_language.get(language, set())
        joins = []
        for first, second in pairwise(_WORD.finditer(question)):
            a, b = first.group().lower(), second.group().lower()
            if question[first.end() : second.start()] != " " or is_stopword(a) or is_stopword(b):
                continue
            if not self._may_be_known(a + b, language):
                continue  # (no typo search nor compound split for every pair of words: neither joins)
            tokens, credit = self._resolve(a + b, language)
            if credit == 1.0 and len(tokens) == 1 and tokens[0] in own:
                joins.append(first.end())
        for at in reversed(joins):
            question = question[:at] + question[at + 1 :]
        return question

    def _may_be_known(self, word: str, language: str) -> bool:
        """Whether `_resolve_word` could read `word` as one known word other than by a typo guess."""
        postings, vocabulary = self.index.postings, self.index.vocabulary
        stemmed = stem(word, language)
        forms = [stemmed, word, *(stem(base, language) for base in indefinite(word))]
        if word.endswith("s"):
            forms.append(stem(word[:-1], language))
        return (
            any(form in postings for form in forms)
            or word in vocabulary.raw_to_stem
            or word in vocabulary.folded
            or stemmed in vocabulary.folded
        )

    def _plain_units(self, question: str, language: str) -> list[QueryUnit]:
        units: list[QueryUnit] = []
        for kind, run in script_runs(self._rejoined(COUNTER.sub(" ", question), language)):
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
                # a number (an order, a year, a count) is a detail of the case, not the need
                if piece.isdigit():
                    weight *= NUMBER_SHARE
                unit = QueryUnit(frozenset(tokens), weight, len(tokens) or 1, credit, parts=parts)
                units.append(unit)
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
                    weight = self._oov_weight * self._rarity(han_commonness(piece, char)) / 2
                    if weight <= 0:
                        continue
                # an everyday word (確認 'check') is weak evidence of the need, as in Korean
                common = max((zipf(g, "zh-TW") for g in tokens), default=0.0)
                # a character standing alone as the knowledge has it alone (很慢 'very slow') is a word
                whole = 1.0 if tokens or (len(piece) == 1 and piece in self.index.han_words) else CHAR_CREDIT
                units.append(
                    QueryUnit(
                        tokens or weak,
                        weight,
                        credit=whole,
                        share=whole,
                        everyday=max(KNOWN_FLOOR, self._rarity(common)),
                    )
                )
        return units

    def _hangul_units(self, run: str) -> list[QueryUnit]:
        if run in LEXICON_DATA.ko_stopwords or run in LEXICON_DATA.ko_suffixes:
            return []  # a bare particle ("SEO는" splits off "는") or a question word
        word = strip_korean(run)
        postings, idf = self.index.postings, self.index.idf
        word = without_honorific(word)
        if not word or word in LEXICON_DATA.ko_stopwords:
            return []
        grams = [word[i : i + 2] for i in range(len(word) - 1)]
        # a pair that is itself scaffolding (하기 in 더하기 'plus') says nothing about a team
        scaffolding = LEXICON_DATA.ko_stopwords | LEXICON_DATA.ko_suffixes
        known = frozenset(g for g in grams if g in postings and g not in scaffolding)
        if word in postings:
            # the whole word, or enough of its syllable pairs (웹사이트 ~ 사이트) for teams that say it
            # differently; the pairs share the word's weight in scoring
            needs = max(1, math.ceil(len(grams) / 2)) if grams else 1
            # an everyday word (확인 'check') is weak evidence that a focused reading has found the need
            everyday = max(KNOWN_FLOOR, self._rarity(zipf(word, "ko")))
            unit = QueryUnit(known | {word}, idf[word], min(needs, len(known) + 1), shared=bool(known))
            return [replace(unit, everyday=everyday)]
        needs = max(1, math.ceil(len(grams) / 2))
        # known words typed together with nothing left over (이미지깨짐 is 이미지 + 깨짐) are those words,
        # not syllable pairs that happen to be known (미지)
        if len(word) >= 4 and len(pieces := self._segment_hangul(run, exact=True)) >= 2:
            return [QueryUnit(frozenset([piece]), idf[piece]) for piece in pieces]
        if len(known) >= needs:
            weight = max(idf[g] for g in known)
        elif pieces := self._segment_hangul(run):
            return [QueryUnit(frozenset([piece]), idf[piece]) for piece in pieces]
        else:
            weight = self._oov_weight * self._rarity(hangul_commonness(run))
            if weight <= 0:
                return []  # 안녕하세요, 간단한 질문: greetings and chit-chat
        return [QueryUnit(known if len(known) >= needs else frozenset(), weight, needs, shared=True)]

    def _segment_hangul(self, run: str, exact: bool = False) -> list[str]:
        """Words typed without spaces ('반품누가처리해요' is 반품 + 누가 + 처리 + 해요): the known words of
        a run that splits into known words, question words and endings with at most a third left over
        (nothing left over when `exact`)."""
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
        if final is None or not final[2] or final[0] * 3 > len(run) or (exact and final[0]):
            return []
        return list(final[2])

    @staticmethod
    def _rarity(zipf_value: float) -> float:
        """1.0 for a rare word (content), 0.0 for an everyday one (filler), linear in between."""
        return min(1.0, max(0.0, (COMMON_ZIPF - zipf_value) / (COMMON_ZIPF - RARE_ZIPF)))
