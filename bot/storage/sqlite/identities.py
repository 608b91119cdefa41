"""IdentityStore on SQLite: platform_identities."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from bot.storage.clock import to_iso, utc_now
from bot.storage.identities import Identity
from bot.storage.sqlite.database import connection_lock, write_transaction


class SqliteIdentityStore:
    """platform_identities on the rolebot database."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.clock = clock

    def save(self, identity: Identity) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO platform_identities (platform, user_id, email, name, person_id, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, user_id) DO UPDATE SET"
                " email = excluded.email, name = excluded.name, person_id = excluded.person_id,"
                " seen_at = excluded.seen_at",
                [*_row(identity), to_iso(self.clock())],
            )

    def forget(self, platform: str, user_id: str) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "DELETE FROM platform_identities WHERE platform = ? AND user_id = ?", [platform, user_id]
            )

    def all(self, platform: str | None = None) -> list[Identity]:
        with connection_lock(self.db):
            rows = self.db.execute(
                "SELECT platform, user_id, email, name, person_id FROM platform_identities"
                " WHERE ? IS NULL OR platform = ? ORDER BY platform, user_id",
                [platform, platform],
            ).fetchall()
        return [Identity(*row) for row in rows]


def _row(identity: Identity) -> list[str | None]:
    return [identity.platform, identity.user_id, identity.email, identity.name, identity.person_id]
