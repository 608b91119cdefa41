"""The policy sweep: moves escalations nobody acknowledged up their chain and flags late resolutions."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.directory import Directory
from bot.escalations.breach import breach_changes
from bot.escalations.models import SYSTEM, AuditEvent, Escalation, Outcome, State
from bot.escalations.policy import SlaClock, format_duration, next_level
from bot.storage.escalations import EscalationStore, StoreTransaction

BATCH = 500


@runtime_checkable
class SweepLock(Protocol):
    """A store shared by several replicas: one sweeps at a time (the others skip that round)."""

    def sweep_lock(self) -> AbstractContextManager[bool]: ...


@dataclass
class Sweeper:
    """One sweep pass. Every change is a conditional UPDATE in its own write transaction, so when
    several processes sweep at once exactly one of them moves each escalation."""

    store: EscalationStore
    directory: Directory
    sla: SlaClock
    tell: Callable[[StoreTransaction, Outcome], None]  # writes the outcome's notices in its transaction

    def sweep(self, now: datetime) -> list[Outcome]:
        if isinstance(self.store, SweepLock):
            # The conditional updates below already keep concurrent sweeps correct; the lock keeps
            # replicas from doing the same reads and failed updates in parallel.
            with self.store.sweep_lock() as held:
                return self._sweep(now) if held else []
        return self._sweep(now)

    def _sweep(self, now: datetime) -> list[Outcome]:
        outcomes: list[Outcome] = []
        seen: set[int] = set()
        for fetch, handle in (
            (self.store.ack_overdue, self._bump),
            (self.store.resolve_overdue_unflagged, self._flag_overdue),
        ):
            while True:
                # Batches keep memory flat; `seen` stops a loop on rows that stay due (e.g. a 0s window).
                batch = [e for e in fetch(now, BATCH) if e.id not in seen]
                if not batch:
                    break
                for esc in batch:
                    seen.add(esc.id)
                    with self.store.transaction() as tx:
                        outcome = handle(tx, esc, now)
                        if outcome is not None:
                            self.tell(tx, outcome)
                    if outcome is not None:
                        outcomes.append(outcome)
        return outcomes

    def _bump(self, tx: StoreTransaction, seen: Escalation, now: datetime) -> Outcome | None:
        policy = self.directory.policy(seen.team)
        step = next_level(seen.level, seen.cycle, policy)
        expect = {
            "state": State.OPEN,
            "level": seen.level,
            "cycle": seen.cycle,
            "chain_exhausted": 0,
            "team": seen.team,
        }
        window = format_duration(self.sla.ack_window(seen.team, seen.priority))
        why = f"not acknowledged within {window} ({seen.priority})"
        if step.exhausted:
            marked = {"chain_exhausted": 1, "updated_at": now, **breach_changes(seen, now)}
            if not tx.update(seen.id, marked, expect):
                return None  # another sweeper, or a person, got there first
            tx.audit(
                AuditEvent(
                    seen.id,
                    now,
                    SYSTEM.key,
                    "exhausted",
                    State.OPEN.value,
                    State.OPEN.value,
                    f"{why}; escalation chain exhausted",
                )
            )
            after = tx.get(seen.id) or seen
            return Outcome("exhausted", after, actor=SYSTEM)
        changes = {
            "level": step.level,
            "cycle": step.cycle,
            "updated_at": now,
            "ack_due": self.sla.ack_due(seen.team, seen.priority, now),
            **breach_changes(seen, now),  # the new level's clock starts; the miss stays on record
        }
        if not tx.update(seen.id, changes, {**expect, "ack_due": seen.ack_due}):
            return None
        chain = policy.chain
        target = chain[step.level].name if step.level < len(chain) else str(step.level)
        round_note = f" (round {step.cycle + 1})" if step.cycle else ""
        tx.audit(
            AuditEvent(
                seen.id,
                now,
                SYSTEM.key,
                "bumped",
                State.OPEN.value,
                State.OPEN.value,
                f"{why}; escalated to {target}{round_note}",
            )
        )
        after = tx.get(seen.id) or seen
        return Outcome("bumped", after, notify_level=step.level, actor=SYSTEM)

    def _flag_overdue(self, tx: StoreTransaction, seen: Escalation, now: datetime) -> Outcome | None:
        expect = {"state": State.ACKNOWLEDGED, "resolve_overdue_flagged": 0, "team": seen.team}
        flagged = {"resolve_overdue_flagged": 1, "updated_at": now, **breach_changes(seen, now)}
        if not tx.update(seen.id, flagged, expect):
            return None
        window = format_duration(self.directory.policy(seen.team).resolve[seen.priority])
        tx.audit(
            AuditEvent(
                seen.id,
                now,
                SYSTEM.key,
                "overdue",
                State.ACKNOWLEDGED.value,
                State.ACKNOWLEDGED.value,
                f"not resolved within {window} ({seen.priority})",
            )
        )
        return Outcome("overdue", tx.get(seen.id) or seen, actor=SYSTEM)
