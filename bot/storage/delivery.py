"""The outbox (notices delivered per platform, in order) and the inbox (chat requests taken in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

OUTBOX_STATES = ("pending", "sent", "failed", "skipped")
INBOX_MAX_ATTEMPTS = 3  # a request taken over (claimed) this often without finishing is given up (and logged)
INBOX_LEASE = timedelta(seconds=30)  # a dead replica's requests are taken over after this


@dataclass(frozen=True)
class OutboxRow:
    id: int
    escalation_id: int
    platform: str
    kind: str
    payload: str
    state: str
    attempts: int
    created_at: datetime
    error: str | None = None


class OutboxStore(Protocol):
    """Reading, claiming and settling outbox rows (written by StoreTransaction.enqueue). Claims are
    leases, so two processes serving the same platform never deliver the same row at once."""

    def due(self, platform: str, now: datetime, limit: int = 50) -> list[OutboxRow]:
        """The first pending row of each escalation on `platform` that may be tried now (oldest first)."""

    def claim(self, row_id: int, now: datetime, lease: timedelta) -> bool: ...

    def settle(self, row_id: int, state: str, now: datetime, error: str | None = None) -> None:
        """sent | failed | skipped: the row leaves the queue."""

    def retry(self, row_id: int, at: datetime, error: str) -> int:
        """Try again at `at`; returns the attempts made so far."""

    def retry_now(self, platform: str, now: datetime) -> None: ...

    def prune(self, older_than: datetime) -> int:
        """Forget notices sent or skipped before `older_than` (failed ones stay)."""

    def expire(self, older_than: datetime, now: datetime, *, besides: str) -> int:
        """Give up other platforms' notices pending since before `older_than`."""

    def skip_pending(self, escalation_id: int, platform: str, kind: str, now: datetime) -> None: ...

    def counts(self) -> dict[tuple[str, str], int]:
        """(platform, state) -> rows."""

    def waiting(self, platform: str) -> int: ...

    def listing(self, states: Sequence[str], limit: int = 100) -> list[OutboxRow]: ...


@dataclass(frozen=True)
class InboxRequest:
    """One request to take in: its work pending when `route` is given, else only its key is kept."""

    key: str
    route: str | None
    payload: dict[str, Any] | None


# What taking in one request of a batch came to: True taken in, False taken in before (a retry), or
# the error that kept this one row out (the other rows of its batch are committed all the same).
Accepted = bool | Exception


@dataclass(frozen=True)
class InboxRow:
    id: int
    key: str
    route: str
    payload: dict[str, Any]
    attempts: int


class InboxStore(Protocol):
    """One platform's requests taken in; keys are unique, which is how a retried request is recognised.
    Unfinished requests are leased, so replicas sharing a database never work on the same one at once."""

    shared: bool  # other processes may work on this inbox at once (PostgreSQL); False: one (SQLite)

    def accept(self, key: str, route: str | None, payload: dict[str, Any] | None) -> bool:
        """Commit the request (its work pending when `route` is given, else only its key); False when
        the key was taken in before."""

    def accept_many(self, requests: Sequence[InboxRequest]) -> list[Accepted]:
        """Commit many requests in one transaction (one flush to disk), each as `accept` would: one
        result per request, in order. A key given twice is taken in once (the later ones: False). A
        row that cannot be written gets its own error and does not keep the others out; an error that
        keeps every row out (the disk, the connection) is raised."""

    def remember(self, keys: list[str]) -> None:
        """Keep the keys of requests with nothing to finish (questions), in one transaction."""

    def known(self, key: str) -> bool: ...

    def finish(self, key: str, state: str = "done") -> None:
        """The work is done (or given up): forget the payload (the user's text), keep the key."""

    def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int = 100, *, everything: bool = False
    ) -> list[InboxRow]:
        """Take over unfinished requests whose lease ran out (whoever worked on them died): leased to
        `owner` until now + lease, oldest first, each claim counted as an attempt (InboxRow.attempts:
        those made before). `everything`: every unfinished request, leased or not (start-up when the
        database has one process: what is pending was left by a stopped one). A request's lease is its
        acceptor's from `accept` until created_at + lease, unless renewed."""

    def renew(self, owner: str, keys: Sequence[str], until: datetime) -> None:
        """Extend to `until` the lease on requests `owner` works on (taken in or claimed by it, and not
        taken over since); an `until` in the past hands them back at once."""

    def unfinished(self, limit: int = 10_000) -> list[InboxRow]:
        """Requests taken in whose work has not finished, oldest first (leased or not: a listing)."""

    def prune(self, older_than: datetime) -> int:
        """Forget finished requests taken in before `older_than`."""

    def pending(self) -> int: ...
