"""Exactly-once digest runs: each (team, date, kind) is claimed in digest_runs before posting."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.digest.calendar import digest_at, due_run_date, previous_digest
from bot.digest.model import Digest, DigestBuilder, leadership_team
from bot.digest.ports import DigestPoster
from bot.directory import Directory
from bot.storage.clock import utc_now
from bot.storage.digest import DIGEST_MAX_ATTEMPTS, DigestRun, DigestRunStore

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # a pending claim older than this belongs to a process that died mid-post
MAX_ATTEMPTS = DIGEST_MAX_ATTEMPTS
RETRY_AFTER = timedelta(minutes=2)  # times the attempt number: 2, 4 minutes
TEAM, LEADERSHIP = "team", "leadership"


def process_owner() -> str:
    """Names the claiming process in digest_runs (host, pid and a random part for this start)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DigestRuns:
    """Claims on digest runs for this process (its owner name), on the store's unique run key: of
    several processes or threads exactly one gets each run."""

    def __init__(
        self, store: DigestRunStore, clock: Callable[[], datetime] = utc_now, owner: str | None = None
    ) -> None:
        self.store, self.clock = store, clock
        self.owner = owner or process_owner()

    def get(self, team: str, run_date: date, kind: str = TEAM) -> DigestRun | None:
        return self.store.get(team, run_date, kind)

    def _claimable(self, run: DigestRun, now: datetime) -> bool:
        if run.state == "sent" or run.attempts >= MAX_ATTEMPTS:
            return False
        claimed = run.claimed_at or run.created_at
        if run.state == "pending":
            return now - claimed >= LEASE  # its holder crashed between recording and posting
        return now - claimed >= RETRY_AFTER * run.attempts  # failed: retry after a growing pause

    def claim(self, team: str, run_date: date, kind: str = TEAM) -> DigestRun | None:
        """Record the run as pending and owned by this process, or None when it is not ours to post
        (already sent, being posted elsewhere, waiting before a retry, or out of attempts)."""
        now = self.clock()
        return self.store.claim(team, run_date, kind, self.owner, now, lambda run: self._claimable(run, now))

    def mark_sent(self, run: DigestRun) -> None:
        self.store.finish(run, "sent", None, self.clock())

    def mark_failed(self, run: DigestRun, error: str) -> None:
        self.store.finish(run, "failed", error[:500], None)

    def last_sent(self, team: str, kind: str = TEAM, before: date | None = None) -> datetime | None:
        """When the last digest of `team`/`kind` (before `before`) was posted: where "since" starts."""
        return self.store.last_sent(team, kind, before)

    def recent(self, limit: int = 50) -> list[DigestRun]:
        return self.store.recent(limit)


@dataclass(frozen=True)
class RunResult:
    """What one attempt at a (team, date, kind) run did: sent | skipped | failed | gave_up."""

    team: str
    run_date: date
    kind: str
    result: str
    error: str | None = None
    attempts: int = 0


class DigestRunner:
    """Claims, builds, posts and records digest runs; `run_due` is what the scheduler and cron call."""

    def __init__(
        self,
        builder: DigestBuilder,
        runs: DigestRuns,
        poster: DigestPoster,
        directory: Directory,
        *,
        on_result: Callable[[RunResult], None] | None = None,
    ) -> None:
        self.builder, self.runs, self.poster, self.directory = builder, runs, poster, directory
        self.on_result = on_result

    def targets(self) -> list[tuple[str, str]]:
        """(team, kind) of every digest: each directory team's own, and the leadership digest."""
        found = [(team, TEAM) for team in self.directory.teams]
        leaders = leadership_team(self.builder.kb)
        if leaders is not None:
            found.append((leaders, LEADERSHIP))
        return found

    def since(self, team: str, kind: str, run_date: date) -> datetime:
        """Since the last digest posted; else since the previous scheduled one; else a day back."""
        last = self.runs.last_sent(team, kind, before=run_date)
        if last is not None:
            return last
        contact, now = self.directory.contact(team), self.builder.clock()
        scheduled = digest_at(contact, run_date) or now  # a late (catch-up) run covers the same period
        return previous_digest(contact, min(scheduled, now)) or now - timedelta(days=1)

    def build(self, team: str, run_date: date, kind: str = TEAM, *, language: str | None = None) -> Digest:
        since = self.since(team, kind, run_date)
        if kind == LEADERSHIP:
            return self.builder.leadership(run_date, since, language=language)
        return self.builder.team(team, run_date, since, language=language)

    def run(self, team: str, run_date: date, kind: str = TEAM) -> RunResult:
        """Post (team, run_date, kind) unless it was already posted or is being posted elsewhere."""
        run = self.runs.claim(team, run_date, kind)
        if run is None:
            return RunResult(team, run_date, kind, "skipped")
        try:
            self.poster.post_digest(team, self.build(team, run_date, kind))
        except Exception as exc:  # any platform error: recorded, retried later, reported at the end
            error = f"{type(exc).__name__}: {exc}"
            self.runs.mark_failed(run, error)
            result = "gave_up" if run.attempts >= MAX_ATTEMPTS else "failed"
            level = logging.ERROR if result == "gave_up" else logging.WARNING
            log.log(
                level,
                "digest post failed",
                extra={
                    "team": team,
                    "run_date": run_date.isoformat(),
                    "kind": kind,
                    "attempt": run.attempts,
                    "error": error,
                    "gave_up": result == "gave_up",
                },
            )
            return self._report(RunResult(team, run_date, kind, result, error, run.attempts))
        self.runs.mark_sent(run)
        log.info(
            "digest sent",
            extra={"team": team, "run_date": run_date.isoformat(), "kind": kind, "attempt": run.attempts},
        )
        return self._report(RunResult(team, run_date, kind, "sent", None, run.attempts))

    def run_target(self, team: str, kind: str = TEAM, now: datetime | None = None) -> RunResult | None:
        """Post today's (team, kind) digest if it is due and not yet sent; None when nothing is due
        (not a working day in the team's zone, before its time, sent already or out of attempts)."""
        now = now or self.builder.clock()
        run_date = due_run_date(self.directory.contact(team), now)
        if run_date is None:
            return None
        done = self.runs.get(team, run_date, kind)
        if done is not None and (done.state == "sent" or done.gave_up):
            return None
        return self.run(team, run_date, kind)

    def run_due(self, now: datetime | None = None) -> list[RunResult]:
        """Every digest due today and not yet sent (catch-up after downtime, retries of failed posts)."""
        results = [self.run_target(team, kind, now) for team, kind in self.targets()]
        return [result for result in results if result is not None]

    def _report(self, result: RunResult) -> RunResult:
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:  # metrics must never fail a digest
                log.exception("digest result hook failed")
        return result
