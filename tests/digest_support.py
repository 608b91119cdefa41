"""Shared helpers for the digest tests: a controllable clock, a recording poster, a real service."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from clocks import ManualClock
from sqlite_utils import Database

from bot.digest.model import Digest, DigestBuilder, TeamDigest
from bot.digest.runs import DigestRunner, DigestRuns
from bot.directory import Directory, load_directory
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.digest_runs import SqliteDigestRuns
from bot.storage.sqlite.escalations import SqliteEscalationStore
from bot.storage.sqlite.stores import stores_on

KB: KnowledgeBase = load_knowledge()
DIRECTORY: Directory = load_directory()
MONDAY_0900_STOCKHOLM = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 CET


class Clock(ManualClock):
    """A clock tests move by hand, starting on Monday 09:00 in Stockholm."""

    def __init__(self, start: datetime = MONDAY_0900_STOCKHOLM) -> None:
        super().__init__(start)


class RecordingPoster:
    """DigestPoster that keeps what it was asked to post; `fail` makes the next posts (to `team`,
    when given) raise like a platform error."""

    def __init__(self, fail: int = 0, team: str | None = None) -> None:
        self.posted: list[tuple[str, Digest]] = []
        self.fail, self.failing_team = fail, team
        self.lock = threading.Lock()

    def post_digest(self, team: str, digest: Digest) -> None:
        with self.lock:
            if self.fail and self.failing_team in (None, team):
                self.fail -= 1
                raise ConnectionError("channel_not_found")
            self.posted.append((team, digest))

    def count(self, team: str, kind: type = TeamDigest) -> int:
        """How many digests of `kind` were posted for `team`."""
        return sum(1 for posted, digest in self.posted if posted == team and isinstance(digest, kind))


def service_on(db: Database, clock: Clock) -> EscalationService:
    return EscalationService(SqliteEscalationStore(db), KB, DIRECTORY, clock=clock)


def runner_on(path: Path, clock: Clock, poster: RecordingPoster, owner: str | None = None) -> DigestRunner:
    db = open_database(path)
    return DigestRunner(
        DigestBuilder(stores_on(db, clock), KB, DIRECTORY, clock),
        DigestRuns(SqliteDigestRuns(db), clock, owner),
        poster,
        DIRECTORY,
    )
