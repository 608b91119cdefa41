"""InboxStore on SQLite: chat requests committed before they are acknowledged, worked off, and remembered."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot.storage.clock import to_iso, utc_now
from bot.storage.delivery import Accepted, InboxRequest, InboxRow
from bot.storage.sqlite.database import connection_lock, write_transaction

_INSERT = (
    "INSERT INTO inbox (platform, key, route, payload, state, created_at, done_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, key) DO NOTHING"
)
# Errors of one row's statement: SQLite undoes that statement only, the transaction goes on. Any other
# error (disk full, I/O) may have ended the transaction, so it ends the batch.
_ROW_ERRORS = (
    sqlite3.IntegrityError,
    sqlite3.InterfaceError,
    sqlite3.ProgrammingError,
    ValueError,
    TypeError,
)


def _row(values: Sequence[Any], *, claimed: bool = False) -> InboxRow:
    """An inbox row; `claimed`: read back from a claim, whose attempt is not counted in `attempts`."""
    attempts = int(values[4]) - claimed
    return InboxRow(int(values[0]), str(values[1]), str(values[2]), json.loads(values[3] or "{}"), attempts)


def _times(now: datetime, lease: timedelta) -> tuple[str, str]:
    """A lease running out before `now`; a never-renewed one (NULL), a request taken in before now - lease."""
    return to_iso(now), to_iso(now - lease)


class SqliteInbox:
    """Keys are unique per platform: taking in a key twice is how a retried request is recognised."""

    shared = False  # one process owns a SQLite file: at start-up, what is unfinished is a dead one's

    def __init__(self, db: Database, platform: str) -> None:
        self.db, self.platform = db, platform
        self._lock = connection_lock(db)

    def accept(self, key: str, route: str | None, payload: dict[str, Any] | None) -> bool:
        """Commit the request (its work pending when `route` is given, else only its key); False when
        the key was taken in before."""
        [result] = self.accept_many([InboxRequest(key, route, payload)])
        if isinstance(result, Exception):
            raise result
        return result

    def accept_many(self, requests: Sequence[InboxRequest]) -> list[Accepted]:
        """Many requests in one transaction, so one fsync (synchronous=FULL) commits them all."""
        now = to_iso(utc_now())
        results: list[Accepted] = []
        with write_transaction(self.db, urgent=True):  # the requests' acks wait for it
            for request in requests:
                try:
                    cursor = self.db.conn.execute(_INSERT, self._values(request, now))
                except _ROW_ERRORS as exc:
                    results.append(exc)
                else:
                    results.append(cursor.rowcount == 1)
        return results

    def _values(self, request: InboxRequest, now: str) -> list[Any]:
        route, payload = request.route, request.payload
        body = json.dumps(payload, ensure_ascii=False) if route and payload is not None else ""
        state = "pending" if route else "done"
        return [self.platform, request.key, route, body, state, now, None if route else now]

    def remember(self, keys: list[str]) -> None:
        """Keep the keys of requests with nothing to finish (questions), in one transaction."""
        now = to_iso(utc_now())
        with write_transaction(self.db):
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO inbox (platform, key, route, payload, state, created_at, done_at)"
                " VALUES (?, ?, NULL, '', 'done', ?, ?)",
                [(self.platform, key, now, now) for key in keys],
            )

    def known(self, key: str) -> bool:
        with self._lock:
            row = self.db.execute(
                "SELECT 1 FROM inbox WHERE platform = ? AND key = ?", [self.platform, key]
            ).fetchone()
        return row is not None

    def finish(self, key: str, state: str = "done") -> None:
        """The work is done (or given up): forget the payload (the user's text), keep the key."""
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE inbox SET state = ?, payload = '', done_at = ?, attempts = attempts + 1"
                " WHERE platform = ? AND key = ?",
                [state, to_iso(utc_now()), self.platform, key],
            )

    def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int = 100, *, everything: bool = False
    ) -> list[InboxRow]:
        with write_transaction(self.db):
            rows = self.db.execute(
                "UPDATE inbox SET lease_until = ?, leased_by = ?, attempts = attempts + 1 WHERE id IN"
                " (SELECT id FROM inbox WHERE platform = ? AND state = 'pending' AND (? OR lease_until < ?"
                " OR (lease_until IS NULL AND created_at < ?)) ORDER BY id LIMIT ?)"
                " RETURNING id, key, route, payload, attempts",
                [to_iso(now + lease), owner, self.platform, everything, *_times(now, lease), limit],
            ).fetchall()
        return sorted((_row(r, claimed=True) for r in rows), key=lambda row: row.id)

    def renew(self, owner: str, keys: Sequence[str], until: datetime) -> None:
        if not keys:
            return
        marks = ", ".join("?" * len(keys))
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE inbox SET lease_until = ?, leased_by = ? WHERE platform = ? AND state = 'pending'"
                f" AND (leased_by IS NULL OR leased_by = ?) AND key IN ({marks})",
                [to_iso(until), owner, self.platform, owner, *keys],
            )

    def unfinished(self, limit: int = 10_000) -> list[InboxRow]:
        """Requests taken in whose work has not finished, oldest first (leased or not: a listing)."""
        with self._lock:
            rows = self.db.execute(
                "SELECT id, key, route, payload, attempts FROM inbox WHERE platform = ? AND state = 'pending'"
                " ORDER BY id LIMIT ?",
                [self.platform, limit],
            ).fetchall()
        return [_row(r) for r in rows]

    def prune(self, older_than: datetime) -> int:
        """Forget finished requests taken in before `older_than` (platforms retry within minutes)."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "DELETE FROM inbox WHERE platform = ? AND state != 'pending' AND created_at < ?",
                [self.platform, to_iso(older_than)],
            )
        return int(cursor.rowcount)

    def pending(self) -> int:
        with self._lock:
            row = self.db.execute(
                "SELECT COUNT(*) FROM inbox WHERE platform = ? AND state = 'pending'", [self.platform]
            ).fetchone()
        return int(row[0])
