"""Corrections colleagues made ("Wrong team?"), remembered so the same or a similar question routes right."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.text import normalise

if TYPE_CHECKING:
    from bot.directory import Directory
    from bot.escalations.models import Actor
    from bot.knowledge import KnowledgeBase

SIMILAR_AT = 88  # token-set similarity (0-100) from which a question counts as "the same question"


def question_key(question: str) -> str:
    """The normalised form a correction is keyed by: lower case, punctuation dropped, spaces folded."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in normalise(question))
    return " ".join(cleaned.split())


class CorrectionRefused(PermissionError):
    """Someone else's answer, and not a member of a team concerned nor an admin: nothing is stored."""

    def __init__(self, teams: tuple[str, ...]) -> None:
        super().__init__(f"only the asker, members of {', '.join(teams)} or an admin may correct this")
        self.teams = teams

    def message(self, language: str, kb: KnowledgeBase) -> str:
        from bot.i18n import t

        names = [kb.team_name(team, language) for team in self.teams]
        return t(language, "answer-correction-refused", teams=" / ".join(dict.fromkeys(names)))


def may_correct(directory: Directory, actor: Actor, asker: str | None, teams: Iterable[str | None]) -> bool:
    """A correction changes later answers for everyone: only the asker (Actor.key; None when unknown), a
    member of the routed or the corrected team, or an admin may make one."""
    if asker is not None and actor.key == asker:
        return True
    person = actor.person_id
    if person is None:
        return False
    return directory.is_admin(person) or any(team and directory.is_member(team, person) for team in teams)


class CorrectionMemory:
    """question key -> (team, role); the most recent correction of a question wins."""

    def __init__(self, corrections: Iterable[tuple[str, str, str | None]] = ()) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, tuple[str, str | None]] = {}
        for question, team, role in corrections:
            self.add(question, team, role)

    def add(self, question: str, team: str, role: str | None = None) -> None:
        key = question_key(question)
        if key:
            with self._lock:
                self._by_key[key] = (team, role)

    def lookup(self, question: str) -> tuple[str, str | None] | None:
        key = question_key(question)
        if not key or not self._by_key:
            return None
        with self._lock:
            if key in self._by_key:
                return self._by_key[key]
            keys = list(self._by_key)
        match = process.extractOne(key, keys, scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR_AT)
        if match is None:
            return None
        # token_set_ratio is 100 when one question contains the other; demand similar lengths too
        if fuzz.ratio(key, match[0]) < SIMILAR_AT - 20:
            return None
        with self._lock:
            return self._by_key.get(match[0])

    def __len__(self) -> int:
        return len(self._by_key)
