"""Standup value types: errors, replies to answers, and the report with its routed blockers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.i18n import t
from bot.routing import Routing


class StandupError(Exception):
    """A refused standup action. `code` is stable for scripts; `key`/`args` give the localised text.

    code: unknown_team | off | not_working_day | closed | forbidden | not_participant | ambiguous |
    empty | too_long | blocker_gone | unroutable | no_escalations"""

    def __init__(self, code: str, message: str, **args: Any) -> None:
        super().__init__(message)
        self.code = code
        self.key = f"standup-error-{code.replace('_', '-')}"
        self.args_for_message = args

    def message(self, language: str) -> str:
        return t(language, self.key, **self.args_for_message)


@dataclass(frozen=True)
class Reply:
    """What a standup action says back to the person, and what it changed."""

    text: str
    team: str
    run_date: date
    saved: tuple[str, ...] = ()  # question keys written by this message
    next_question: str | None = None  # key of the question asked next
    complete: bool = False


@dataclass(frozen=True)
class AnswerView:
    key: str
    question: str  # localised question text
    text: str


@dataclass(frozen=True)
class MemberStandup:
    """One participant's answers (empty when they have not answered)."""

    person: str
    name: str
    answers: tuple[AnswerView, ...]
    skipped: bool


@dataclass(frozen=True)
class Blocker:
    """One blocker line, routed. `key` identifies it for the one-click escalation button."""

    key: str
    run_date: date
    person: str
    person_name: str
    team: str  # the reporter's team
    text: str
    routing: Routing
    escalation: str | None = None  # "ESC-12" once turned into an escalation

    @property
    def request_id(self) -> str:
        """The idempotency key of its escalation: a double click creates one escalation."""
        return f"standup-blocker:{self.key}"

    @property
    def routed_elsewhere(self) -> bool:
        return self.routing.team is not None and self.routing.team != self.team


@dataclass(frozen=True)
class StandupReport:
    """A team's standup for one date. blocking_others: other teams' blockers routed to this team."""

    team: str
    run_date: date
    state: str  # open | reported | none (no run yet) | off (no run, and not a standup day)
    members: tuple[MemberStandup, ...]
    missing: tuple[str, ...]  # person ids without an answer (and not skipped)
    skipped: tuple[str, ...]
    blockers: tuple[Blocker, ...]
    blocking_others: tuple[Blocker, ...]

    @property
    def answered(self) -> tuple[MemberStandup, ...]:
        return tuple(m for m in self.members if m.answers)
