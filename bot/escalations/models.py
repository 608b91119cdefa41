"""Escalation value types shared by the workflow, storage, commands and every chat adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class State(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


_ACTIVE = ("resolve", "reassign", "cancel", "comment", "bump", "loop-in")
# What may be done to an escalation in each state (as users say it): the workflow refuses anything else
# and every surface offers buttons for these only. Who may do it is the workflow's other check.
ALLOWED_ACTIONS: dict[State, tuple[str, ...]] = {
    State.OPEN: ("acknowledge", *_ACTIVE),
    State.ACKNOWLEDGED: _ACTIVE,
    State.RESOLVED: ("reopen", "comment"),
    State.CANCELLED: ("reopen", "comment"),
}
PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3")
DEFAULT_PRIORITY = "P2"


@dataclass(frozen=True)
class Actor:
    """Who performs an action: platform ('slack', 'teams', 'cli', 'system') and that platform's user id.

    `person_id` is the directory person it maps to (None for people not in the directory)."""

    platform: str
    user_id: str
    display_name: str = ""
    person_id: str | None = None
    email: str | None = None  # from the directory, or from the platform for people in no directory entry

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"


SYSTEM = Actor(platform="system", user_id="sweep", display_name="rolebot", person_id=None)


@dataclass(frozen=True)
class Escalation:
    """One escalation as stored. `ref` is the human id, e.g. 'ESC-42'."""

    id: int
    summary: str
    team: str
    priority: str
    state: State
    level: int
    requester: Actor
    created_at: datetime
    ack_due: datetime | None = None
    resolve_due: datetime | None = None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    role: str | None = None
    details: str = ""
    source_channel: str | None = None
    message_link: str | None = None
    language: str = "en"
    cycle: int = 0  # how many times the escalation chain has been walked to its top
    breached_at: datetime | None = None  # the first SLA deadline it missed, kept until it is resolved
    breach_levels: tuple[int, ...] = ()  # the chain levels (0-based) at which a deadline was missed

    @property
    def ref(self) -> str:
        return f"ESC-{self.id}"

    def allowed_actions(self) -> tuple[str, ...]:
        """The actions its state allows: acknowledge, resolve, reassign, cancel, comment, bump, loop-in,
        reopen."""
        return ALLOWED_ACTIONS[self.state]

    def overdue(self, now: datetime) -> bool:
        """Past its deadline now, or past one it missed before (a breach stays until it is resolved)."""
        if self.state in (State.OPEN, State.ACKNOWLEDGED) and self.breached_at is not None:
            return True
        if self.state is State.OPEN and self.ack_due is not None:
            return now >= self.ack_due
        if self.state is State.ACKNOWLEDGED and self.resolve_due is not None:
            return now >= self.resolve_due
        return False

    def as_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.ref,
            "summary": self.summary,
            "details": self.details,
            "team": self.team,
            "role": self.role,
            "priority": self.priority,
            "state": self.state.value,
            "level": self.level,
            "requester": {
                "platform": self.requester.platform,
                "user": self.requester.user_id,
                "name": self.requester.display_name,
                "email": self.requester.email,
            },
            "source_channel": self.source_channel,
            "message_link": self.message_link,
            "created_at": iso(self.created_at),
            "acknowledged_at": iso(self.acknowledged_at),
            "resolved_at": iso(self.resolved_at),
            "ack_due": iso(self.ack_due),
            "resolve_due": iso(self.resolve_due),
        }


@dataclass(frozen=True)
class AuditEvent:
    """One append-only audit record."""

    escalation_id: int
    at: datetime
    actor: str  # Actor.key
    # created, acknowledged, resolved, reopened, cancelled, reassigned, commented, bumped, refused
    action: str
    from_state: str | None
    to_state: str | None
    comment: str = ""


@dataclass(frozen=True)
class Outcome:
    """The result of one workflow action; `replayed` when a retried request returned the first result."""

    action: str
    escalation: Escalation
    replayed: bool = False
    previous_team: str | None = None
    notify_level: int | None = None  # set when the action moved the escalation to a new chain level
    watcher: str | None = None  # set when a team was looped in as a watcher (action "watched")
    actor: Actor | None = None  # who acted (SYSTEM for the sweep)


class EscalationError(Exception):
    """A refused or impossible action. `code` is stable; `key`/`args` give the localised message."""

    def __init__(self, code: str, message: str, key: str | None = None, **args: Any) -> None:
        super().__init__(message)
        self.code = code  # not_found | wrong_state | forbidden | unknown_team | invalid | too_long
        self.key = key or f"error-{code.replace('_', '-')}"
        self.args_for_message: dict[str, Any] = args


@dataclass(frozen=True)
class ListFilter:
    """Which escalations `list` returns."""

    scope: str = "open"  # mine | team | open | overdue | all
    team: str | None = None
    actor: Actor | None = None
    limit: int = 50
    states: tuple[State, ...] = field(default_factory=tuple)
