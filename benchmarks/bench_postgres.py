"""PostgreSQL figures: list latency with 1,000,000 escalations (beside SQLite's), and the escalation
throughput of two replica processes on one database against one.

Run: python3 benchmarks/bench_postgres.py [--rows N] [--cycles N] [--threads N]
A throwaway cluster (durable settings: fsync on) is started in a temporary folder and removed after.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_escalations import MEMBER, NOW, REQUESTER, bulk_load, latency, rows
from conftest import write_escalation_world
from postgres_server import PostgresServer, find_bindir

from bot.directory import load_directory
from bot.escalations.models import ListFilter
from bot.escalations.service import EscalationService
from bot.knowledge import load_knowledge
from bot.storage.postgres.escalations import PostgresEscalationStore
from bot.storage.postgres.migrate import apply_migrations
from bot.storage.postgres.pool import connect, open_pool

FILTERS = {
    "list overdue": ListFilter(scope="overdue"),
    "list overdue (team)": ListFilter(scope="overdue", team="warehouse"),
    "list team": ListFilter(scope="team", team="customer-service"),
    "list open": ListFilter(scope="open"),
    "list mine": ListFilter(scope="mine", actor=MEMBER),
}


def pg_service(base: Path, url: str, max_size: int = 10) -> EscalationService:
    knowledge, directory = write_escalation_world(base)
    store = PostgresEscalationStore(open_pool(url, max_size=max_size))
    return EscalationService(store, load_knowledge(knowledge), load_directory(directory), clock=lambda: NOW)


def pg_bulk_load(url: str, count: int) -> None:
    started = time.perf_counter()
    columns = "summary, requester_platform, requester_user, team, priority, state, created_at, ack_due,"
    columns += " resolve_due, updated_at"
    with connect(url) as conn:
        with conn.cursor() as cursor, cursor.copy(f"COPY escalations ({columns}) FROM STDIN") as copy:
            for row in rows(count):
                copy.write_row(row)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE escalations")
    print(f"bulk load (COPY + VACUUM ANALYZE): {count:,} escalations in {time.perf_counter() - started:.1f}s")


def list_latency(base: Path, url: str, count: int, repeat: int, sqlite: bool = True) -> None:
    print(f"-- PostgreSQL, {count:,} escalations")
    pg_bulk_load(url, count)
    service = pg_service(base / "pg", url)
    store = service.store
    assert isinstance(store, PostgresEscalationStore)

    def ping() -> list[object]:
        with store.pool.connection() as conn:
            return list(conn.execute("SELECT 1").fetchall())

    # The floor under every figure below: one round trip to the server, on this machine, now.
    latency("round trip (SELECT 1)", ping, repeat)
    for name, list_filter in FILTERS.items():
        latency(name, partial(service.list, list_filter), repeat)
    if not sqlite:
        return
    print(f"-- SQLite, {count:,} escalations (same rows)")
    (base / "sqlite").mkdir()
    sqlite = bulk_load(base / "sqlite", count)
    for name, list_filter in FILTERS.items():
        latency(name, partial(sqlite.list, list_filter), repeat)


def server_cpu(data: Path) -> float:
    """CPU seconds used so far by the PostgreSQL server: the postmaster, its live children (backends,
    WAL writer...) and the children it has reaped (backends of closed connections)."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        pid, ppid = int(entry.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(f) for f in fields[11:15]) / tick  # utime, stime, cutime, cstime
        elif ppid == postmaster:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _replica(
    url: str,
    base: str,
    name: str,
    cycles: int,
    threads: int,
    start: object,
    cpu: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """One replica: its own process and pool, `threads` workers doing create+ack+resolve cycles."""
    from concurrent.futures import ThreadPoolExecutor

    service = pg_service(Path(base) / name, url, max_size=threads)
    service.clock = lambda: datetime.now(UTC)

    def cycle(i: int) -> None:
        ref = service.create(REQUESTER, f"parcel {i}", team="customer-service", request_id=f"{name}-{i}")
        done = ref.escalation.ref
        service.acknowledge(done, MEMBER, request_id=f"{name}-{i}-ack")
        service.resolve(done, MEMBER, "refunded", request_id=f"{name}-{i}-resolve")

    start.wait()  # type: ignore[attr-defined]
    before = time.process_time()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(cycle, range(cycles)))
    cpu.put(time.process_time() - before)


def throughput(base: Path, url: str, data: Path, replicas: int, cycles: int, threads: int) -> float:
    """Cycles per second of `replicas` processes at once, and where the CPU went: per cycle in the
    replicas (Python, the driver) and in the server; the load average says what else ran."""
    start, cpu = multiprocessing.Event(), multiprocessing.Queue()
    procs = [
        multiprocessing.Process(
            target=_replica, args=(url, str(base), f"r{replicas}-{n}", cycles, threads, start, cpu)
        )
        for n in range(replicas)
    ]
    for proc in procs:
        proc.start()
    time.sleep(2)  # every replica has loaded its knowledge and opened its pool
    server_before = server_cpu(data)
    started = time.perf_counter()
    start.set()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    server = server_cpu(data) - server_before
    replica_cpu = [cpu.get() for _ in procs]
    total = replicas * cycles
    rate = total / elapsed
    print(
        f"{replicas} replica(s) x {threads} threads: {total} cycles in {elapsed:.2f}s = {rate:.0f}/s;"
        f" CPU per cycle: replicas {1000 * sum(replica_cpu) / total:.2f} ms"
        f" (each busy {', '.join(f'{c / elapsed:.0%}' for c in replica_cpu)}),"
        f" server {1000 * server / total:.2f} ms (busy {server / elapsed:.0%} of a core);"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="escalations to bulk-load")
    parser.add_argument("--cycles", type=int, default=300, help="create+ack+resolve cycles per replica")
    parser.add_argument("--threads", type=int, default=8, help="concurrent requests per replica")
    parser.add_argument("--runs", type=int, default=3, help="1-vs-2 replica throughput runs")
    parser.add_argument("--repeat", type=int, default=200, help="samples per latency figure")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite side of the list figures")
    parser.add_argument("--no-throughput", action="store_true", help="skip the replica throughput figures")
    args = parser.parse_args()
    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL server binaries not found (apt-get install postgresql)")
    server = PostgresServer.start(bindir, durable=True)
    try:
        for name in ("lists", *(f"{kind}{run}" for run in range(args.runs) for kind in ("one", "two"))):
            with connect(server.url) as conn:
                conn.autocommit = True
                conn.execute(f"CREATE DATABASE {name}")
            with connect(server.url_for(name)) as conn:
                apply_migrations(conn)
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            if not args.no_throughput:
                data = server.base / "data"
                for run in range(args.runs):
                    one = throughput(base, server.url_for(f"one{run}"), data, 1, args.cycles, args.threads)
                    two = throughput(base, server.url_for(f"two{run}"), data, 2, args.cycles, args.threads)
                    print(f"two replicas / one: {two / one:.2f}x")
            if args.rows:
                list_latency(base, server.url_for("lists"), args.rows, args.repeat, not args.no_sqlite)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
