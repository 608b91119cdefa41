"""DigestQueryStore on SQLite: the shared digest reads, on one connection with ISO-8601 text times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.escalations.models import Escalation
from bot.escalations.wire import row_to_escalation
from bot.storage.clock import from_iso, to_iso
from bot.storage.digest_reads import DigestReads
from bot.storage.sqlite.database import connection_lock


class SqliteDigestQueries(DigestReads):
    """Reads for one database (index-backed: see bot/storage/sqlite/m_core.py)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = connection_lock(db)

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Escalation]:
        with self._lock:
            cursor = self.db.execute(sql, params)
            cols = [d[0] for d in cursor.description]
            return [row_to_escalation(dict(zip(cols, row, strict=True))) for row in cursor.fetchall()]

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[Sequence[Any]]:
        with self._lock:
            return list(self.db.execute(sql, params).fetchall())

    def _stamp(self, moment: datetime) -> Any:
        return to_iso(moment)

    def _time(self, value: Any) -> datetime | None:
        return from_iso(value)

    def _in_teams(self, teams: Sequence[str], params: dict[str, Any]) -> str:
        params.update({f"t{i}": team for i, team in enumerate(teams)})
        return f"team IN ({', '.join(f':t{i}' for i in range(len(teams))) or 'NULL'})"
