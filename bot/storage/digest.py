"""What digests read and record: escalations per team and window, asked topics, exactly-once runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.escalations.models import Escalation

DIGEST_MAX_ATTEMPTS = 3  # a (team, date, kind) run is given up after this many failed posts


@dataclass(frozen=True)
class ActiveLoad:
    """A team's open and acknowledged escalations, how many of them are in breach, the oldest's start."""

    open: int = 0
    acknowledged: int = 0
    overdue: int = 0
    oldest: datetime | None = None


@dataclass(frozen=True)
class UndeliveredNotice:
    """An outbox notice about a team's escalation that did not get through: given up, or retrying."""

    escalation_id: int
    platform: str
    kind: str
    state: str  # failed | pending
    error: str | None


def active_loads(
    by_state: Iterable[Sequence[Any]], breached: Iterable[Sequence[Any]]
) -> dict[str, ActiveLoad]:
    """Each team's load from (team, state, count, oldest created) rows of its active escalations and
    (team, count) rows of its breaches (what every backend's load_by_team reads)."""
    loads: dict[str, dict[str, Any]] = {}
    blank = {"open": 0, "acknowledged": 0, "overdue": 0, "oldest": None}
    for team, state, count, oldest in by_state:
        load = loads.setdefault(team, dict(blank))
        load[state] = int(count)
        load["oldest"] = oldest if load["oldest"] is None else min(load["oldest"], oldest)
    for team, count in breached:
        loads.setdefault(team, dict(blank))["overdue"] = int(count)
    return {team: ActiveLoad(**load) for team, load in loads.items()}


def window_totals(listings: Iterable[Iterable[Sequence[Any]]]) -> dict[str, tuple[int, int, int]]:
    """Per team: (created, resolved, resolved late) from one (team, count) listing of each, in that order."""
    counts: dict[str, list[int]] = {}
    for index, rows in enumerate(listings):
        for team, count in rows:
            counts.setdefault(team, [0, 0, 0])[index] = int(count)
    return {team: (c[0], c[1], c[2]) for team, c in counts.items()}


def undelivered_notices(rows: Iterable[Sequence[Any]]) -> list[UndeliveredNotice]:
    """(escalation id, platform, kind, state, error) rows as notices."""
    return [UndeliveredNotice(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows]


class DigestQueryStore(Protocol):
    """Reads for digests; every list is limited and every total is a count over all matching rows."""

    def created(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]: ...

    def active(self, team: str, limit: int) -> tuple[list[Escalation], int]:
        """Open and acknowledged escalations, oldest first."""

    def overdue(
        self,
        teams: Sequence[str] | None,
        now: datetime,
        limit: int,
        resolved_since: datetime | None = None,
    ) -> tuple[list[Escalation], int]:
        """SLA breaches not yet resolved, most overdue first; `teams` None means every team. With
        `resolved_since`, escalations resolved late since then count too (after the unresolved ones)."""

    def resolved(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Escalation], int]:
        """Resolved in the window (still resolved now: a reopened one is open again), latest first."""

    def load_by_team(self, now: datetime) -> dict[str, ActiveLoad]:
        """Per team with active escalations or breaches: its load now."""

    def window_counts(self, since: datetime, until: datetime) -> dict[str, tuple[int, int, int]]:
        """Per team: (created, resolved, resolved late) between `since` and `until`."""

    def undelivered(
        self, team: str, since: datetime, until: datetime, limit: int
    ) -> tuple[list[UndeliveredNotice], int]:
        """Notices about `team`'s escalations given up in the window, or still being retried after a
        failed attempt, oldest first."""


class AskedQuestionStore(Protocol):
    """Routed questions by topic (never their text), for the digests' "most asked"."""

    def record(
        self, team: str, role: str | None, topic: str, language: str, platform: str, at: datetime
    ) -> None: ...

    def top_topics(
        self, team: str, since: datetime, until: datetime, limit: int = 5
    ) -> list[tuple[str, int]]:
        """(topic id, count) for `team` between `since` and `until`, most asked first."""


@dataclass(frozen=True)
class DigestRun:
    """One (team, date, kind) digest run. state: pending (claimed, being posted) | sent | failed."""

    team: str
    run_date: date
    kind: str
    state: str
    attempts: int
    error: str | None
    created_at: datetime
    sent_at: datetime | None
    claimed_by: str | None
    claimed_at: datetime | None

    @property
    def gave_up(self) -> bool:
        return self.state == "failed" and self.attempts >= DIGEST_MAX_ATTEMPTS


class DigestRunStore(Protocol):
    """digest_runs under a unique (team, run_date, kind) key: of several claimants exactly one wins."""

    def get(self, team: str, run_date: date, kind: str) -> DigestRun | None: ...

    def claim(
        self,
        team: str,
        run_date: date,
        kind: str,
        owner: str,
        now: datetime,
        claimable: Callable[[DigestRun], bool],
    ) -> DigestRun | None:
        """In one write transaction: create the run pending and owned by `owner`, or take over the
        existing one when `claimable(run)` says so; None when it is not `owner`'s to post."""

    def finish(self, run: DigestRun, state: str, error: str | None, sent_at: datetime | None) -> None: ...

    def last_sent(self, team: str, kind: str, before: date | None = None) -> datetime | None:
        """When the last digest of `team`/`kind` (before `before`) was posted."""

    def recent(self, limit: int = 50) -> list[DigestRun]: ...
