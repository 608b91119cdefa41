"""What the escalation workflow needs from storage: escalations, audit log, processed requests, outbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.escalations.models import Actor, AuditEvent, Escalation, State

if TYPE_CHECKING:
    from bot.escalations.notices import Notice

ACTIVE_STATES: tuple[State, ...] = (State.OPEN, State.ACKNOWLEDGED)


class StoreTransaction(Protocol):
    """One unit of work holding the write lock: everything in it commits together or not at all."""

    def get(self, escalation_id: int) -> Escalation | None: ...

    def insert(self, escalation: Escalation) -> Escalation:
        """Store a new escalation (its `id` is ignored) and return it with the assigned id."""

    def update(self, escalation_id: int, changes: Mapping[str, Any], expect: Mapping[str, Any]) -> bool:
        """Apply `changes` only if the row still matches `expect`; False when another writer won."""

    def audit(self, event: AuditEvent) -> None: ...

    def processed(self, request_id: str) -> tuple[str, dict[str, Any]] | None:
        """The (action, result) stored for `request_id`, if that request was already handled."""

    def remember(
        self, request_id: str, action: str, escalation_id: int | None, result: Mapping[str, Any], at: datetime
    ) -> None: ...

    def enqueue(self, notices: Sequence[Notice]) -> None:
        """Add `notices` to the outbox: they commit (or roll back) with the change they tell about."""


class EscalationStore(Protocol):
    """What the workflow needs from storage; a PostgreSQL backend implements the same."""

    def transaction(self) -> AbstractContextManager[StoreTransaction]: ...

    def get(self, escalation_id: int) -> Escalation | None: ...

    def history(self, escalation_id: int) -> list[AuditEvent]: ...

    def query(
        self,
        *,
        states: Sequence[State] = (),
        teams: Sequence[str] | None = None,
        requester: Actor | None = None,
        overdue_at: datetime | None = None,
        limit: int = 50,
    ) -> list[Escalation]:
        """Newest first (most overdue first with `overdue_at`, which keeps open ones past ack_due and
        acknowledged ones past resolve_due). `requester` also matches the same directory person on
        another platform; when both `teams` and `requester` are given, either matches."""

    def ack_overdue(self, now: datetime, limit: int = 500) -> list[Escalation]:
        """Open escalations past ack_due whose chain is not yet exhausted (sweep candidates)."""

    def resolve_overdue_unflagged(self, now: datetime, limit: int = 500) -> list[Escalation]: ...

    def escalated_by_requests(self, request_ids: Sequence[str]) -> dict[str, int]:
        """request id -> escalation id, for those of `request_ids` already handled with an escalation."""
