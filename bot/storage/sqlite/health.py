"""HealthStore on SQLite: the file's identity, a probe write, and the counts behind the metrics gauges."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.storage import sql as shared
from bot.storage.clock import to_iso
from bot.storage.health import Gauges
from bot.storage.sqlite.database import connection_lock, file_problem, probe_write
from bot.storage.sqlite.outbox import SqliteOutbox


class SqliteHealth:
    def __init__(self, db: Database) -> None:
        self.db = db

    def problem(self) -> str | None:
        return file_problem(self.db)

    def probe(self) -> None:
        probe_write(self.db)

    def gauges(self, now: datetime) -> Gauges:
        stamp = to_iso(now)
        with connection_lock(self.db):
            counts = self.db.execute(shared.STATE_COUNTS).fetchall()
            late = self.db.execute(shared.LATE_COUNT, [stamp, stamp]).fetchone()[0]
            notices = SqliteOutbox(self.db).counts()
        return Gauges({str(state): int(n) for state, n in counts}, int(late), notices)
