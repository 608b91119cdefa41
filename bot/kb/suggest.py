"""Suggested terms: the words of questions people answered by picking or correcting a team, for an admin
to accept into the knowledge files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.chat_text import plain_text
from bot.index import Index
from bot.knowledge import KnowledgeBase
from bot.storage.feedback import Correction
from bot.text import LATIN_LANGUAGES, is_stopword, latin_words, stem, strip_korean
from bot.word_frequency import zipf

# Words at least this common in everyday language are chit-chat, never a suggested term.
EVERYDAY_ZIPF = 4.8


@dataclass(frozen=True)
class Suggestion:
    """A word the team's knowledge does not have yet, with how many corrected questions used it."""

    team: str
    role: str | None
    language: str
    word: str
    count: int


def _candidate_words(question: str, language: str) -> list[str]:
    text = plain_text(question)
    if language in LATIN_LANGUAGES or language == "en":
        return [w for w in latin_words(text) if len(w) > 2 and not is_stopword(w) and "-" not in w]
    if language == "ko":
        return [strip_korean(w) for w in text.split() if len(strip_korean(w)) >= 2]
    return []  # Chinese has no spaces: without a segmenter a "word" would be a guess


def suggest_terms(
    kb: KnowledgeBase, corrections: Iterable[Correction], min_count: int = 1
) -> list[Suggestion]:
    """Unknown, not-everyday words of corrected questions per (team, role, language), most used first."""
    index = Index(kb)
    counts: Counter[tuple[str, str | None, str, str]] = Counter()
    for correction in corrections:
        if correction.corrected_team not in kb.teams:
            continue
        known = index.team_tokens.get(correction.corrected_team, frozenset())
        lang = correction.language
        for word in dict.fromkeys(_candidate_words(correction.question, lang)):
            stemmed = stem(word, lang) if lang in LATIN_LANGUAGES else word
            if stemmed in known or word in known or zipf(word, lang) >= EVERYDAY_ZIPF:
                continue
            counts[(correction.corrected_team, correction.corrected_role, lang, word)] += 1
    return [
        Suggestion(team, role, lang, word, count)
        for (team, role, lang, word), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][3]))
        if count >= min_count
    ]
