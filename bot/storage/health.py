"""What /healthz and the metrics gauges ask the database: does it take writes, and what it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Gauges:
    """Escalations by state, how many are past an SLA deadline, outbox rows by (platform, state)."""

    by_state: dict[str, int]
    overdue: int
    outbox: dict[tuple[str, str], int]


class HealthStore(Protocol):
    def problem(self) -> str | None:
        """Why the database opened is no longer reachable as opened (e.g. its file is "gone" or
        "replaced"), or None."""

    def probe(self) -> None:
        """Write and commit one row (raises when the database is read-only, full, or locked for long)."""

    def gauges(self, now: datetime) -> Gauges: ...
