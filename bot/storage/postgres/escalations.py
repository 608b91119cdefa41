"""EscalationStore on PostgreSQL: row locks where SQLite had one writer, ids unique across replicas."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.escalations.models import Actor, AuditEvent, Escalation, State
from bot.escalations.wire import _TIME_COLUMNS, escalation_to_row, row_to_escalation
from bot.storage import sql as shared
from bot.storage.escalations import StoreTransaction
from bot.storage.postgres.migrate import SWEEP_LOCK
from bot.storage.postgres.pool import connection
from bot.storage.sql import for_postgres

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from bot.escalations.notices import Notice


def escalations_from(cursor: psycopg.Cursor[Any]) -> list[Escalation]:
    # Names from the result itself: `description` builds a Column object per column (27 here), about
    # a quarter of the driver's calls in a create + acknowledge + resolve cycle.
    result = cursor.pgresult
    cols = [(result.fname(i) or b"").decode() for i in range(result.nfields)] if result else []
    return [row_to_escalation(dict(zip(cols, values, strict=True))) for values in cursor.fetchall()]


def _value(value: Any) -> Any:
    return value.value if isinstance(value, State) else value


class _PostgresTransaction:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def get(self, escalation_id: int) -> Escalation | None:
        # FOR UPDATE: the row is ours until commit, as under SQLite's single writer; a second replica
        # acting on it waits here and then reads what we committed.
        found = escalations_from(
            self.conn.execute("SELECT * FROM escalations WHERE id = %s FOR UPDATE", [escalation_id])
        )
        return found[0] if found else None

    def insert(self, escalation: Escalation) -> Escalation:
        row = escalation_to_row(escalation)
        for name in _TIME_COLUMNS:
            row[name] = getattr(escalation, name)
        row["updated_at"] = row["created_at"]
        names = ", ".join(row)
        marks = ", ".join("%s" for _ in row)
        cursor = self.conn.execute(
            f"INSERT INTO escalations ({names}) VALUES ({marks}) RETURNING *",
            list(row.values()),
        )
        return escalations_from(cursor)[0]

    def update(self, escalation_id: int, changes: Mapping[str, Any], expect: Mapping[str, Any]) -> bool:
        sets = dict(changes)
        sets.setdefault("updated_at", datetime.now(UTC))
        assignments = ", ".join(f"{name} = %s" for name in sets)
        conditions = "".join(
            f" AND {name} IS NULL" if value is None else f" AND {name} = %s" for name, value in expect.items()
        )
        params = [_value(v) for v in sets.values()] + [escalation_id]
        params += [_value(v) for v in expect.values() if v is not None]
        cursor = self.conn.execute(
            f"UPDATE escalations SET {assignments} WHERE id = %s{conditions}",
            params,
        )
        return cursor.rowcount == 1

    def audit(self, event: AuditEvent) -> None:
        self.conn.execute(
            for_postgres(shared.INSERT_AUDIT),
            [
                event.escalation_id,
                event.at,
                event.actor,
                event.action,
                event.from_state,
                event.to_state,
                event.comment,
            ],
        )

    def processed(self, request_id: str) -> tuple[str, dict[str, Any]] | None:
        # The same request on two replicas at once: the second waits for the first to commit, then
        # finds its result (READ COMMITTED reads afresh per statement) instead of acting twice.
        self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [request_id])
        row = self.conn.execute(for_postgres(shared.PROCESSED), [request_id]).fetchone()
        return (str(row[0]), json.loads(row[1])) if row else None

    def remember(
        self, request_id: str, action: str, escalation_id: int | None, result: Mapping[str, Any], at: datetime
    ) -> None:
        self.conn.execute(
            for_postgres(shared.REMEMBER),
            [request_id, action, escalation_id, json.dumps(result, ensure_ascii=False), at],
        )

    def enqueue(self, notices: Sequence[Notice]) -> None:
        from bot.escalations.notices import encode_notice
        from bot.storage.postgres.outbox import insert_rows

        insert_rows(self.conn, [(n.escalation_id, n.platform, n.kind, encode_notice(n)) for n in notices])


class PostgresEscalationStore:
    """EscalationStore on a psycopg pool: each transaction on a connection of its own, READ COMMITTED
    with row locks (see _PostgresTransaction.get), ids from an identity sequence (unique, gaps allowed)."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        with connection(self.pool) as conn, conn.transaction():
            yield _PostgresTransaction(conn)

    @contextmanager
    def sweep_lock(self) -> Iterator[bool]:
        """True while this process holds the one sweep lock of the database; False: another replica
        sweeps now (skip this round). A session lock: a replica that dies releases it with its socket."""
        with connection(self.pool) as conn:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK]).fetchone()
            held = bool(row and row[0])
            try:
                yield held
            finally:
                if held:
                    conn.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])

    def _select(self, sql: str, params: Sequence[Any]) -> list[Escalation]:
        with connection(self.pool) as conn:
            return escalations_from(conn.execute(for_postgres(sql), list(params)))

    def get(self, escalation_id: int) -> Escalation | None:
        found = self._select(shared.GET_ESCALATION, [escalation_id])
        return found[0] if found else None

    def history(self, escalation_id: int) -> list[AuditEvent]:
        with connection(self.pool) as conn:
            rows = conn.execute(for_postgres(shared.HISTORY), [escalation_id]).fetchall()
        return [AuditEvent(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]

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
            # As in SQLite: one branch per (who, state), each read newest-first from an (…, id) index.
            branches, params = [], []
            for clause, values in who:
                for state in states or tuple(State):
                    branches.append(
                        f"(SELECT * FROM escalations WHERE {clause} AND state = ? ORDER BY id DESC LIMIT ?)"
                    )
                    params += [*values, state.value, limit]
            if not branches:
                return []
            union = " UNION ".join(branches)
            return self._select(f"SELECT * FROM ({union}) AS b ORDER BY id DESC LIMIT ?", [*params, limit])
        # Most overdue first: one index range per (state, deadline, who), all in one statement (one
        # round trip); an escalation is as late as the first deadline it missed.
        branches, params = [], []
        for state, due in ((State.OPEN, "ack_due"), (State.ACKNOWLEDGED, "resolve_due")):
            if states and state not in states:
                continue
            for clause, values in who:
                for column in (due, "breached_at"):
                    branches.append(f"({shared.overdue_branch(state.value, column, clause)})")
                    params += [overdue_at, *values, limit]
        if not branches:
            return []
        found: dict[int, tuple[datetime, Escalation]] = {}
        for e in self._select(" UNION ALL ".join(branches), params):
            due_at = e.ack_due if e.state is State.OPEN else e.resolve_due
            found[e.id] = (min(d for d in (due_at, e.breached_at) if d is not None), e)
        return [e for _, e in sorted(found.values(), key=lambda pair: (pair[0], pair[1].id))[:limit]]

    def escalated_by_requests(self, request_ids: Sequence[str]) -> dict[str, int]:
        """request id -> the escalation it made, for those that made one."""
        with connection(self.pool) as conn:
            rows = conn.execute(
                "SELECT request_id, escalation_id FROM processed_requests WHERE request_id = ANY(%s)"
                " AND escalation_id IS NOT NULL",
                [list(request_ids)],
            ).fetchall()
        return {str(row[0]): int(row[1]) for row in rows}

    def ack_overdue(self, now: datetime, limit: int = 500) -> list[Escalation]:
        return self._select(shared.ACK_OVERDUE, [now, limit])

    def resolve_overdue_unflagged(self, now: datetime, limit: int = 500) -> list[Escalation]:
        return self._select(shared.RESOLVE_OVERDUE_UNFLAGGED, [now, limit])
