"""Routing feedback: users' corrections of the router and the questions it could not place (gaps)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

MAX_QUESTION = 4000
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def normalize_question(question: str) -> str:
    """Case-, width- and punctuation-insensitive form, so repeats of one question group together."""
    text = unicodedata.normalize("NFKC", question).casefold()
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def most_asked(questions: Iterable[str]) -> list[tuple[str, int]]:
    """Questions grouped on their normalised text, most asked first, each in its first wording (callers
    give the latest first). Grouped here, not in SQL: SQLite has no Unicode casefold."""
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for question in questions:
        key = normalize_question(question)
        counts[key] += 1
        wording.setdefault(key, question)
    return [(wording[key], count) for key, count in counts.most_common()]


@dataclass(frozen=True)
class Correction:
    """A user said the router's answer was wrong and named the right team (and role)."""

    question: str
    normalized_question: str
    language: str
    routed_team: str | None
    routed_role: str | None
    corrected_team: str
    corrected_role: str | None
    platform: str
    user: str
    created_at: datetime


class FeedbackStore(Protocol):
    """Where corrections and unrouted questions are kept (a backend in bot/storage/<name>/ implements it)."""

    def record_correction(
        self,
        question: str,
        language: str,
        routed_team: str | None,
        routed_role: str | None,
        corrected_team: str,
        corrected_role: str | None,
        platform: str,
        user: str,
    ) -> None: ...

    def corrections(self) -> list[Correction]: ...

    def record_unrouted(
        self, question: str, language: str, platform: str, user: str, near_team: str | None = None
    ) -> None: ...

    def unrouted_since(self, since: datetime, team: str | None = None) -> list[tuple[str, int]]:
        """Distinct unrouted questions asked since `since` with how often, most asked first.
        `team` keeps those whose closest (rejected) team was `team`."""
