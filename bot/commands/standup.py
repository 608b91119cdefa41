"""A person's standup action (answer, skip, unskip, status) as one request the runner carries out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.standup.models import Reply

STANDUP_ACTIONS = ("answer", "skip", "unskip", "status")


@dataclass(frozen=True)
class StandupRequest:
    """`person` (a directory id) answers with `text`, skips, takes the skip back, or asks how far they are;
    in `team`'s standup (None: their one standup) of `day` (None: today)."""

    action: str  # one of STANDUP_ACTIONS
    person: str
    text: str = ""
    team: str | None = None
    day: date | None = None


class StandupActions(Protocol):
    """What the runner needs for a person's standup actions (bot.standup.service.StandupService)."""

    def language_of(self, person: str, team: str) -> str: ...

    def record_answer(
        self, person: str, text: str, *, team: str | None, day: date | None, language: str | None
    ) -> Reply: ...

    def skip(
        self, person: str, *, team: str | None, day: date | None, undo: bool, language: str | None
    ) -> Reply: ...

    def status(self, person: str, *, team: str | None, language: str | None) -> Reply: ...


def carry_out(standup: StandupActions, request: StandupRequest, language: str | None) -> Reply:
    """The service call for `request`; replies in `language`, else the person's (StandupError on refusal)."""
    if request.action == "answer":
        return standup.record_answer(
            request.person, request.text, team=request.team, day=request.day, language=language
        )
    if request.action in ("skip", "unskip"):
        undo = request.action == "unskip"
        return standup.skip(request.person, team=request.team, day=request.day, undo=undo, language=language)
    if request.action == "status":
        return standup.status(request.person, team=request.team, language=language)
    expected = ", ".join(STANDUP_ACTIONS)
    raise ValueError(f"unknown standup action {request.action!r}; expected one of {expected}")
