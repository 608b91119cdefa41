"""DigestRunStore on SQLite: claims taken in BEGIN IMMEDIATE transactions under digest_runs' unique key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from bot.storage import sql as shared
from bot.storage.clock import from_iso, to_iso
from bot.storage.digest import DigestRun
from bot.storage.sqlite.database import connection_lock, write_transaction


def _run(row: tuple[Any, ...]) -> DigestRun:
    return DigestRun(
        row[0],
        date.fromisoformat(row[1]),
        row[2],
        row[3],
        int(row[4]),
        row[5],
        from_iso(row[6]) or datetime.min,
        from_iso(row[7]),
        row[8],
        from_iso(row[9]),
    )


class SqliteDigestRuns:
    """The digest_runs table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, team: str, run_date: date, kind: str) -> DigestRun | None:
        with connection_lock(self.db):
            row = self.db.execute(shared.GET_DIGEST_RUN, [team, run_date.isoformat(), kind]).fetchone()
        return _run(row) if row else None

    def claim(
        self,
        team: str,
        run_date: date,
        kind: str,
        owner: str,
        now: datetime,
        claimable: Callable[[DigestRun], bool],
    ) -> DigestRun | None:
        key = [team, run_date.isoformat(), kind]
        with write_transaction(self.db):
            row = self.db.execute(shared.GET_DIGEST_RUN, key).fetchone()
            if row is None:
                self.db.execute(shared.CREATE_DIGEST_RUN, [*key, to_iso(now), owner, to_iso(now)])
            elif claimable(_run(row)):
                self.db.execute(shared.TAKE_DIGEST_RUN, [owner, to_iso(now), *key])
            else:
                return None
            claimed = self.db.execute(shared.GET_DIGEST_RUN, key).fetchone()
        return _run(claimed)

    def finish(self, run: DigestRun, state: str, error: str | None, sent_at: datetime | None) -> None:
        with write_transaction(self.db):
            self.db.execute(
                shared.FINISH_DIGEST_RUN,
                [
                    state,
                    to_iso(sent_at) if sent_at else None,
                    error,
                    run.team,
                    run.run_date.isoformat(),
                    run.kind,
                ],
            )

    def last_sent(self, team: str, kind: str, before: date | None = None) -> datetime | None:
        sql, params = shared.LAST_SENT, [team, kind]
        if before is not None:
            sql, params = shared.LAST_SENT_BEFORE, [team, kind, before.isoformat()]
        with connection_lock(self.db):
            return from_iso(self.db.execute(sql, params).fetchone()[0])

    def recent(self, limit: int = 50) -> list[DigestRun]:
        with connection_lock(self.db):
            rows = self.db.execute(shared.RECENT_DIGEST_RUNS, [limit]).fetchall()
        return [_run(row) for row in rows]
