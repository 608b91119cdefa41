"""PostgreSQL backend: two replicas (two pools) on one real database share escalations, outbox and sweep."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import EscClock
from psycopg_pool import ConnectionPool

from bot.directory import Directory
from bot.escalations.models import Actor, EscalationError, ListFilter, State
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase
from bot.storage.clock import utc_now
from bot.storage.postgres.escalations import PostgresEscalationStore
from bot.storage.postgres.inbox import PostgresInbox
from bot.storage.postgres.migrate import (
    SchemaTooNew,
    apply_migrations,
    check_schema,
    migration_names,
    pending,
)
from bot.storage.postgres.outbox import PostgresOutbox
from bot.storage.postgres.pool import connect, open_pool
from bot.storage.postgres.schema import STATEMENTS
from bot.storage.sqlite.database import open_database

ZED = Actor("slack", "U0ZED", "Zed")
HUGO = Actor("slack", "U0HUGO", "Hugo")
DAAN = Actor("slack", "U0DAAN", "Daan")


@pytest.fixture()
def replicas(
    pg_url: str, esc_world: tuple[KnowledgeBase, Directory], esc_clock: EscClock
) -> Iterator[tuple[EscalationService, EscalationService]]:
    """Two services, each on a pool of its own: what two `rolebot serve` processes have."""
    kb, directory = esc_world
    pools = [open_pool(pg_url, max_size=12) for _ in range(2)]
    yield tuple(  # type: ignore[misc]
        EscalationService(PostgresEscalationStore(pool), kb, directory, clock=esc_clock) for pool in pools
    )
    for pool in pools:
        pool.close()


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run `calls` at once (released together by a barrier); exceptions are returned, not raised."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait()
        try:
            return call()
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_replicas_acknowledging_at_once_acknowledge_once(
    replicas: tuple[EscalationService, EscalationService],
) -> None:
    a, b = replicas
    for _ in range(5):
        ref = a.create(ZED, "Parcel lost", team="customer-service").escalation.ref
        results = _race([lambda s=s, ref=ref: s.acknowledge(ref, HUGO) for s in (a, b, a, b)])
        done = [r for r in results if not isinstance(r, Exception)]
        refused = [r for r in results if isinstance(r, EscalationError)]
        assert len(done) == 1 and len(refused) == 3, results
        assert {r.code for r in refused} == {"wrong_state"}
        assert [e.action for e in b.history(ref)] == ["created", "acknowledged"]


def test_the_same_request_on_both_replicas_creates_one_escalation(
    replicas: tuple[EscalationService, EscalationService],
) -> None:
    a, b = replicas
    for n in range(5):
        results = _race(
            [lambda s=s, n=n: s.create(ZED, "Lost", team="it", request_id=f"Ev{n}") for s in (a, b) * 3]
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert len({r.escalation.id for r in results}) == 1
        assert sum(not r.replayed for r in results) == 1
    assert len(a.list(ListFilter(scope="all"))) == 5


def test_escalation_numbers_are_unique_across_replicas(
    replicas: tuple[EscalationService, EscalationService],
) -> None:
    a, b = replicas
    results = _race([lambda s=s: s.create(ZED, "Down", team="it") for s in (a, b) * 10])
    ids = [r.escalation.id for r in results]
    assert len(set(ids)) == 20
    assert sorted(e.id for e in b.list(ListFilter(scope="all", limit=100))) == sorted(ids)


def test_one_replica_sweeps_at_a_time(
    replicas: tuple[EscalationService, EscalationService], esc_clock: EscClock
) -> None:
    a, b = replicas
    ref = a.create(ZED, "Down", team="it", priority="P1").escalation.ref
    esc_clock.advance(hours=1)
    store_a = a.store
    assert isinstance(store_a, PostgresEscalationStore)
    with store_a.sweep_lock() as held:
        assert held
        assert b.sweep() == []  # replica A holds the lock: B skips this round
        assert b.get(ref).level == 0
    assert [o.action for o in b.sweep()] == ["bumped"]
    assert b.get(ref).level == 1


def test_sweeps_racing_on_both_replicas_bump_each_escalation_once(
    replicas: tuple[EscalationService, EscalationService], esc_clock: EscClock
) -> None:
    a, b = replicas
    refs = [a.create(ZED, f"Down {n}", team="it", priority="P1").escalation.ref for n in range(10)]
    esc_clock.advance(hours=1)
    results = _race([a.sweep, b.sweep, a.sweep, b.sweep])
    assert sum(len(r) for r in results) == 10
    for ref in refs:
        assert [e.action for e in a.history(ref)].count("bumped") == 1


def test_an_outbox_row_is_claimed_by_one_replica(pg_url: str) -> None:
    a, b = open_pool(pg_url), open_pool(pg_url)
    try:
        service_pool = PostgresEscalationStore(a)
        with service_pool.transaction() as tx:
            tx.conn.execute(  # type: ignore[attr-defined]
                "INSERT INTO escalations (id, summary, requester_platform, requester_user, team, priority,"
                " state, created_at, updated_at)"
                " VALUES (1, 's', 'slack', 'U', 'it', 'P1', 'open', now(), now())"
            )
            from bot.storage.postgres.outbox import insert_rows

            insert_rows(tx.conn, [(1, "slack", "created", "{}")])  # type: ignore[attr-defined]
        first, second = PostgresOutbox(a), PostgresOutbox(b)
        now = utc_now()
        [row] = first.due("slack", now)
        # Another replica mid-claim holds the row lock: SKIP LOCKED answers at once instead of waiting.
        with psycopg.connect(pg_url) as holder:
            holder.execute("SELECT 1 FROM outbox WHERE id = %s FOR UPDATE", [row.id])
            assert second.claim(row.id, now, timedelta(minutes=1)) is False
        assert first.claim(row.id, now, timedelta(minutes=1)) is True
        assert second.claim(row.id, now, timedelta(minutes=1)) is False  # leased to the first
        assert second.due("slack", now) == []
        later = now + timedelta(minutes=2)  # the first replica died: its lease ran out
        assert second.claim(row.id, later, timedelta(minutes=1)) is True
        second.settle(row.id, "sent", later)
        assert first.counts() == {("slack", "sent"): 1}
        assert first.retry(row.id, later, "x") == 2
    finally:
        a.close()
        b.close()


def test_a_request_key_is_taken_in_once_across_replicas(pg_url: str) -> None:
    a, b = open_pool(pg_url), open_pool(pg_url)
    try:
        first, second = PostgresInbox(a, "slack"), PostgresInbox(b, "slack")
        assert first.accept("Ev1", "escalate", {"text": "Down"}) is True
        assert second.accept("Ev1", "escalate", {"text": "Down"}) is False
        assert second.known("Ev1") and second.pending() == 1
        assert [r.key for r in second.unfinished()] == ["Ev1"]
        second.finish("Ev1")
        assert first.pending() == 0 and first.unfinished() == []
        first.remember(["Ev1", "Ev2"])
        assert second.known("Ev2")
    finally:
        a.close()
        b.close()


def _columns_sqlite(path: Path) -> dict[str, set[str]]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {
        t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")}
        for t in tables
        if not t.startswith(("sqlite_", "_sqlite"))
    }
    conn.close()
    return found


def test_both_backends_have_the_same_tables_and_columns(pg_url: str, tmp_path: Path) -> None:
    open_database(tmp_path / "a.db").close()
    from bot.storage.sqlite.migrations import migrations

    assert migration_names() == list(STATEMENTS) == [m.name for m in migrations._migrations]
    with connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name != 'rolebot_migrations'"
        ).fetchall()
    postgres: dict[str, set[str]] = {}
    for table, column, _ in rows:
        postgres.setdefault(table, set()).add(column)
    assert postgres == _columns_sqlite(tmp_path / "a.db")
    # every instant is a timestamptz; run_date is a team's calendar day and stays text
    times = {(t, c): d for t, c, d in rows if c.endswith(("_at", "_due", "_until")) or c == "at"}
    assert times and set(times.values()) == {"timestamp with time zone"}


def test_migrations_apply_once_and_a_newer_schema_is_refused(postgres_server: Any) -> None:
    with connect(postgres_server.url) as conn:
        conn.autocommit = True
        conn.execute("CREATE DATABASE from_the_future")
    with connect(postgres_server.url_for("from_the_future")) as conn:
        assert apply_migrations(conn) == migration_names()
        assert pending(conn) == [] and apply_migrations(conn) == []
        conn.execute("INSERT INTO rolebot_migrations VALUES ('m999_future', now())")
        conn.commit()
        with pytest.raises(SchemaTooNew, match="m999_future"):
            check_schema(conn)


def test_replicas_starting_together_migrate_an_empty_database_once(postgres_server: Any) -> None:
    with connect(postgres_server.url) as conn:
        conn.autocommit = True
        conn.execute("CREATE DATABASE fresh_race")
    url = postgres_server.url_for("fresh_race")

    def migrate() -> list[str]:
        with connect(url) as conn:
            return apply_migrations(conn)

    results = _race([migrate, migrate, migrate])
    assert sorted(len(r) for r in results) == [0, 0, len(migration_names())]


def test_the_audit_log_is_append_only_on_postgres(
    replicas: tuple[EscalationService, EscalationService], pg_url: str
) -> None:
    a, _ = replicas
    a.create(ZED, "Down", team="it")
    with connect(pg_url) as conn, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        conn.execute("UPDATE audit_log SET comment = 'rewritten'")
    with connect(pg_url) as conn, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        conn.execute("DELETE FROM audit_log")


def test_state_filters_and_overdue_listing_match_sqlite(
    replicas: tuple[EscalationService, EscalationService], esc_clock: EscClock
) -> None:
    a, _ = replicas
    one = a.create(ZED, "a", team="it", priority="P1").escalation.ref
    two = a.create(DAAN, "b", team="customer-service", priority="P1").escalation.ref
    a.acknowledge(two, DAAN)
    esc_clock.advance(days=3)
    overdue = a.list(ListFilter(scope="overdue"))
    assert [e.ref for e in overdue] == [one, two]
    assert [e.state for e in a.list(ListFilter(scope="all", states=(State.ACKNOWLEDGED,)))] == [
        State.ACKNOWLEDGED
    ]
    assert isinstance(a.store, PostgresEscalationStore) and isinstance(a.store.pool, ConnectionPool)
