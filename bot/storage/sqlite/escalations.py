"""EscalationStore on SQLite: escalations, their audit log, processed requests and the outbox rows."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from bot.escalations.models import Actor, AuditEvent, Escalation, State
from bot.escalations.notices import Notice, encode_notice
from bot.escalations.wire import escalation_to_row, row_to_escalation
from bot.storage import sql as shared
from bot.storage.clock import from_iso, to_iso
from bot.storage.escalations import StoreTransaction
from bot.storage.sqlite.database import connection_lock, write_transaction
from bot.storage.sqlite.outbox import insert_rows


def _column_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, State):
        return value.value
    return value


class _SqliteTransaction:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, escalation_id: int) -> Escalation | None:
        rows = self.db.execute(shared.GET_ESCALATION, [escalation_id])
        cols = [d[0] for d in rows.description]
        row = rows.fetchone()
        return row_to_escalation(dict(zip(cols, row, strict=True))) if row else None

    def insert(self, escalation: Escalation) -> Escalation:
        row = escalation_to_row(escalation)
        row["updated_at"] = row["created_at"]
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f"INSERT INTO escalations ({names}) VALUES ({marks})", list(row.values()))
        stored = self.get(int(cursor.lastrowid or 0))
        assert stored is not None
        return stored

    def update(self, escalation_id: int, changes: Mapping[str, Any], expect: Mapping[str, Any]) -> bool:
        sets = dict(changes)
        sets.setdefault("updated_at", datetime.now(UTC))
        assignments = ", ".join(f"{name} = ?" for name in sets)
        conditions = "".join(f" AND {name} = ?" for name in expect)
        params = [_column_value(v) for v in sets.values()] + [escalation_id]
        params += [_column_value(v) for v in expect.values()]
        cursor = self.db.execute(f"UPDATE escalations SET {assignments} WHERE id = ?{conditions}", params)
        return cursor.rowcount == 1

    def audit(self, event: AuditEvent) -> None:
        self.db.execute(
            shared.INSERT_AUDIT,
            [
                event.escalation_id,
                to_iso(event.at),
                event.actor,
                event.action,
                event.from_state,
                event.to_state,
                event.comment,
            ],
        )

    def processed(self, request_id: str) -> tuple[str, dict[str, Any]] | None:
        row = self.db.execute(shared.PROCESSED, [request_id]).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def remember(
        self, request_id: str, action: str, escalation_id: int | None, result: Mapping[str, Any], at: datetime
    ) -> None:
        self.db.execute(
            shared.REMEMBER,
            [request_id, action, escalation_id, json.dumps(result, ensure_ascii=False), to_iso(at)],
        )

    def enqueue(self, notices: Sequence[Notice]) -> None:
        insert_rows(self.db, [(n.escalation_id, n.platform, n.kind, encode_notice(n)) for n in notices])


class SqliteEscalationStore:
    """EscalationStore on one sqlite-utils Database. Thread-safe: the connection's lock serialises its
    use; other processes are kept apart by BEGIN IMMEDIATE and the busy timeout."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = connection_lock(db)

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        with write_transaction(self.db):
            yield _SqliteTransaction(self.db)

    def _select(self, sql: str, params: Sequence[Any]) -> list[Escalation]:
        with self._lock:
            cursor = self.db.execute(sql, list(params))
            cols = [d[0] for d in cursor.description]
            return [row_to_escalation(dict(zip(cols, row, strict=True))) for row in cursor.fetchall()]

    def get(self, escalation_id: int) -> Escalation | None:
        found = self._select(shared.GET_ESCALATION, [escalation_id])
        return found[0] if found else None

    def history(self, escalation_id: int) -> list[AuditEvent]:
        with self._lock:
            rows = self.db.execute(shared.HISTORY, [escalation_id]).fetchall()
        return [AuditEvent(r[0], from_iso(r[1]) or datetime.min, r[2], r[3], r[4], r[5], r[6]) for r in rows]

    def query(
        self,
        *,
        states: Sequence[State] = (),
        teams: Sequence[str] | None = None,
        requester: Actor | None = None,
        overdue_at: datetime | None = None,
        limit: int = 50,
    ) -> list[Escalation]:
        who = shared.who_branches(teams, requester)
        if overdue_at is None:
            # One branch per (who, state), each its newest `limit` rows straight from an index ordered
            # (filter..., id); the union is at most branches x limit rows, so no sort over the table.
            branches, params = [], []
            for clause, values in who:
                for state in states or tuple(State):
                    branches.append(
                        f"SELECT * FROM (SELECT * FROM escalations WHERE {clause} AND state = ?"
                        " ORDER BY id DESC LIMIT ?)"
                    )
                    params += [*values, state.value, limit]
            if not branches:
                return []
            return self._select(f"{' UNION '.join(branches)} ORDER BY id DESC LIMIT ?", [*params, limit])
        # Most overdue first: one index range per state and deadline ((state, ack_due) / (state,
        # resolve_due), and (state, breached_at) for those the sweep moved on with a fresh clock), each
        # already in order; an escalation is as late as the first deadline it missed.
        found: dict[int, tuple[str, Escalation]] = {}
        for state, due in ((State.OPEN, "ack_due"), (State.ACKNOWLEDGED, "resolve_due")):
            if states and state not in states:
                continue
            for clause, values in who:
                for column in (due, "breached_at"):
                    sql = shared.overdue_branch(state.value, column, clause)
                    for e in self._select(sql, [to_iso(overdue_at), *values, limit]):
                        missed = min(d for d in (getattr(e, due), e.breached_at) if d is not None)
                        found[e.id] = (to_iso(missed), e)
        return [e for _, e in sorted(found.values(), key=lambda pair: (pair[0], pair[1].id))[:limit]]

    def escalated_by_requests(self, request_ids: Sequence[str]) -> dict[str, int]:
        if not request_ids:
            return {}
        marks = ", ".join("?" for _ in request_ids)
        with self._lock:
            rows = self.db.execute(
                f"SELECT request_id, escalation_id FROM processed_requests WHERE request_id IN"
                f" ({marks}) AND escalation_id IS NOT NULL",
                list(request_ids),
            ).fetchall()
        return {str(row[0]): int(row[1]) for row in rows}

    def ack_overdue(self, now: datetime, limit: int = 500) -> list[Escalation]:
        return self._select(shared.ACK_OVERDUE, [to_iso(now), limit])

    def resolve_overdue_unflagged(self, now: datetime, limit: int = 500) -> list[Escalation]:
        return self._select(shared.RESOLVE_OVERDUE_UNFLAGGED, [to_iso(now), limit])
