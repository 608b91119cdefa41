"""Escalation figures: create+ack+resolve throughput, and list latency with 1,000,000 escalations stored.

Run: python3 benchmarks/bench_escalations.py [--rows N] [--cycles N] [--dir PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import write_escalation_world

from bot.directory import load_directory
from bot.escalations.models import Actor, ListFilter
from bot.escalations.service import EscalationService
from bot.knowledge import load_knowledge
from bot.storage.clock import to_iso
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore

TEAMS = ("customer-service", "warehouse", "it", "ecommerce", "marketing")
NOW = datetime(2025, 6, 2, 10, tzinfo=UTC)
REQUESTER = Actor("slack", "U0ZED")
MEMBER = Actor("slack", "U0HUGO")


def build_service(base: Path, db_name: str, clock: Callable[[], datetime] | None = None) -> EscalationService:
    knowledge, directory = write_escalation_world(base)
    store = SqliteEscalationStore(open_database(base / db_name))
    return EscalationService(
        store, load_knowledge(knowledge), load_directory(directory), clock=clock or (lambda: NOW)
    )


def throughput(base: Path, cycles: int) -> None:
    service = build_service(base, "throughput.db", clock=lambda: datetime.now(UTC))
    started = time.perf_counter()
    for i in range(cycles):
        ref = service.create(
            REQUESTER, f"parcel {i} lost", team="customer-service", request_id=f"bench-{i}"
        ).escalation.ref
        service.acknowledge(ref, MEMBER, request_id=f"bench-{i}-ack")
        service.resolve(ref, MEMBER, "refunded", request_id=f"bench-{i}-resolve")
    elapsed = time.perf_counter() - started
    print(
        f"create+ack+resolve: {cycles} cycles in {elapsed:.2f}s = {cycles / elapsed:.0f} cycles/s, "
        f"{3 * cycles / elapsed:.0f} ops/s (each op its own fsynced transaction, with request ids)"
    )


def rows(count: int, seed: int = 7) -> list[tuple[str, ...]]:
    """Realistic mix: ~96% closed, ~2% open (most of them overdue), ~2% acknowledged."""
    rng = random.Random(seed)
    span = timedelta(days=730).total_seconds()
    out: list[tuple[str, ...]] = []
    for i in range(count):
        created = NOW - timedelta(seconds=span * (1 - i / count))
        roll = rng.random()
        state = (
            "open"
            if roll < 0.02
            else "acknowledged"
            if roll < 0.04
            else "cancelled"
            if roll < 0.06
            else "resolved"
        )
        ack_due = created + timedelta(hours=rng.choice((0.5, 4, 16)))
        resolve_due = ack_due + timedelta(hours=24)
        if state in ("open", "acknowledged") and rng.random() < 0.5:  # half the open work is recent
            created = NOW - timedelta(hours=rng.uniform(0, 72))
            ack_due, resolve_due = created + timedelta(hours=4), created + timedelta(hours=16)
        stamp = to_iso(created)
        out.append(
            (
                f"bench escalation {i}",
                "slack",
                f"U{rng.randrange(5000):05d}",
                rng.choice(TEAMS),
                rng.choice(("P1", "P2", "P3")),
                state,
                stamp,
                to_iso(ack_due),
                to_iso(resolve_due),
                stamp,
            )
        )
    return out


def bulk_load(base: Path, count: int) -> EscalationService:
    service = build_service(base, "million.db")
    db = service.store.db  # type: ignore[attr-defined]
    started = time.perf_counter()
    data = rows(count)
    with db.conn:  # one transaction for the whole load
        db.conn.executemany(
            "INSERT INTO escalations (summary, requester_platform, requester_user, team, priority, state,"
            " created_at, ack_due, resolve_due, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            data,
        )
    print(f"bulk insert: {count:,} escalations in {time.perf_counter() - started:.1f}s")
    return service


def latency(name: str, call: Callable[[], Sequence[object]], repeat: int) -> None:
    call()  # warm the page cache once, as a running bot would be
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"{name:<28} p50 {statistics.median(samples):6.2f} ms   p99 {p99:6.2f} ms   ({len(found)} rows)")


def query_plans(service: EscalationService, filters: dict[str, ListFilter]) -> None:
    db = service.store.db  # type: ignore[attr-defined]
    for name, list_filter in filters.items():
        statements: list[str] = []
        db.conn.set_trace_callback(statements.append)  # the SQL the store really runs, values inlined
        service.list(list_filter)
        db.conn.set_trace_callback(None)
        for sql in statements:
            if sql.lstrip().upper().startswith("SELECT"):
                plan = [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()]
                print(f"  plan {name}: {'; '.join(plan)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="escalations to bulk-load")
    parser.add_argument("--cycles", type=int, default=300, help="create+ack+resolve cycles to time")
    parser.add_argument("--repeat", type=int, default=200, help="samples per latency figure")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the database files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        base = Path(tmp)
        throughput(base, args.cycles)
        service = bulk_load(base, args.rows)
        filters = {
            "list overdue": ListFilter(scope="overdue"),
            "list overdue (team)": ListFilter(scope="overdue", team="warehouse"),
            "list team": ListFilter(scope="team", team="customer-service"),
            "list open": ListFilter(scope="open"),
            "list mine": ListFilter(scope="mine", actor=MEMBER),
        }
        for name, list_filter in filters.items():
            latency(name, partial(service.list, list_filter), args.repeat)
        query_plans(service, filters)


if __name__ == "__main__":
    main()
