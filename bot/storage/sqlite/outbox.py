"""OutboxStore on SQLite: notices committed with their change, claimed and delivered per platform in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.storage import sql as shared
from bot.storage.clock import from_iso, to_iso, utc_now
from bot.storage.delivery import OUTBOX_STATES, OutboxRow
from bot.storage.sqlite.database import connection_lock, write_transaction

STATES = OUTBOX_STATES  # kept for callers that list every state


def _row(values: Sequence[object]) -> OutboxRow:
    created = from_iso(str(values[7])) or utc_now()
    return OutboxRow(
        int(str(values[0])),
        int(str(values[1])),
        str(values[2]),
        str(values[3]),
        str(values[4]),
        str(values[5]),
        int(str(values[6])),
        created,
        None if values[8] is None else str(values[8]),
    )


def insert_rows(db: Database, rows: Sequence[tuple[int, str, str, str]]) -> None:
    """(escalation id, platform, kind, payload) rows, inside the caller's write transaction."""
    now = to_iso(utc_now())  # wall time: delivery is about real time, whatever clock the workflow runs on
    db.conn.executemany(
        shared.INSERT_OUTBOX,
        [(*row, now, now) for row in rows],
    )


class SqliteOutbox:
    """Reading, claiming and settling outbox rows. Claims are leases, so two processes serving the same
    platform never deliver the same row at once, and a crashed one's rows come back after the lease."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = connection_lock(db)

    def due(self, platform: str, now: datetime, limit: int = 50) -> list[OutboxRow]:
        """The first pending row of each escalation on `platform` that may be tried now (oldest first)."""
        stamp = to_iso(now)
        with self._lock:
            rows = self.db.execute(
                shared.OUTBOX_DUE,
                [platform, stamp, stamp, limit],
            ).fetchall()
        return [_row(r) for r in rows]

    def claim(self, row_id: int, now: datetime, lease: timedelta) -> bool:
        with write_transaction(self.db):
            cursor = self.db.execute(
                "UPDATE outbox SET lease_until = ? WHERE id = ? AND state = 'pending'"
                " AND (lease_until IS NULL OR lease_until < ?)",
                [to_iso(now + lease), row_id, to_iso(now)],
            )
        return cursor.rowcount == 1

    def settle(self, row_id: int, state: str, now: datetime, error: str | None = None) -> None:
        """sent | failed | skipped: the row leaves the queue."""
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE outbox SET state = ?, done_at = ?, error = ?, lease_until = NULL,"
                " attempts = attempts + 1 WHERE id = ?",
                [state, to_iso(now), error, row_id],
            )

    def retry(self, row_id: int, at: datetime, error: str) -> int:
        """Try again at `at`; returns the attempts made so far."""
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_at = ?, error = ?, lease_until = NULL"
                " WHERE id = ?",
                [to_iso(at), error, row_id],
            )
            return int(self.db.execute("SELECT attempts FROM outbox WHERE id = ?", [row_id]).fetchone()[0])

    def retry_now(self, platform: str, now: datetime) -> None:
        """A process starting: what waits for a retry is tried at once (the cause may have been fixed)."""
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE outbox SET next_at = ? WHERE platform = ? AND state = 'pending' AND next_at > ?",
                [to_iso(now), platform, to_iso(now)],
            )

    def prune(self, older_than: datetime) -> int:
        """Forget notices sent or skipped before `older_than` (failed ones stay for `rolebot outbox`)."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "DELETE FROM outbox WHERE state IN ('sent', 'skipped') AND done_at < ?", [to_iso(older_than)]
            )
        return int(cursor.rowcount)

    def expire(self, older_than: datetime, now: datetime, *, besides: str) -> int:
        """Give up other platforms' notices pending since before `older_than`: a platform no server
        delivers for (a Slack-only site whose directory also lists Teams ids) must not grow forever."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "UPDATE outbox SET state = 'skipped', done_at = ?, lease_until = NULL,"
                " error = 'expired: no process delivered it' WHERE state = 'pending' AND platform != ?"
                " AND created_at < ?",
                [to_iso(now), besides, to_iso(older_than)],
            )
        return int(cursor.rowcount)

    def skip_pending(self, escalation_id: int, platform: str, kind: str, now: datetime) -> None:
        """Drop the pending rows of `kind` (the requester's 'sent to the team' once that proved false)."""
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE outbox SET state = 'skipped', done_at = ? WHERE escalation_id = ? AND platform = ?"
                " AND kind = ? AND state = 'pending'",
                [to_iso(now), escalation_id, platform, kind],
            )

    def counts(self) -> dict[tuple[str, str], int]:
        """(platform, state) -> rows."""
        with self._lock:
            rows = self.db.execute("SELECT platform, state, COUNT(*) FROM outbox GROUP BY platform, state")
            return {(str(p), str(s)): int(n) for p, s, n in rows.fetchall()}

    def waiting(self, platform: str) -> int:
        with self._lock:
            row = self.db.execute(
                "SELECT COUNT(*) FROM outbox WHERE platform = ? AND state = 'pending'", [platform]
            ).fetchone()
        return int(row[0])

    def listing(self, states: Sequence[str], limit: int = 100) -> list[OutboxRow]:
        marks = ", ".join("?" for _ in states)
        with self._lock:
            rows = self.db.execute(
                f"SELECT {shared.OUTBOX_COLUMNS} FROM outbox WHERE state IN ({marks}) ORDER BY id LIMIT ?",
                [*states, limit],
            ).fetchall()
        return [_row(r) for r in rows]
