"""SLA breach bookkeeping: a missed deadline is recorded once and stays on the escalation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.escalations.models import Escalation, State
from bot.escalations.wire import encode_levels


def missed(esc: Escalation, now: datetime, *, closing: bool = False) -> datetime | None:
    """The earliest deadline `esc` has missed by `now` in its current state (None if none).

    `closing`: the escalation is being resolved, so its resolve deadline counts even while open."""
    deadlines = [esc.ack_due] if esc.state is State.OPEN else []
    if esc.state is State.ACKNOWLEDGED or closing:
        deadlines.append(esc.resolve_due)
    passed = [due for due in deadlines if due is not None and now >= due]
    return min(passed) if passed else None


def breach_changes(esc: Escalation, now: datetime, *, closing: bool = False) -> dict[str, Any]:
    """Columns recording a missed deadline at the current level; {} when nothing was missed."""
    due = missed(esc, now, closing=closing)
    if due is None:
        return {}
    first = min(esc.breached_at, due) if esc.breached_at is not None else due
    return {"breached_at": first, "breach_levels": encode_levels(sorted({*esc.breach_levels, esc.level}))}
