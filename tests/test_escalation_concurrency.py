"""Many threads and several processes acting at once: every escalation stored exactly once, unique ids,
a complete audit log, and concurrent sweeps that bump each escalation once."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from conftest import write_escalation_world

from bot.directory import load_directory
from bot.escalations.models import Actor, ListFilter
from bot.escalations.service import EscalationService
from bot.knowledge import load_knowledge
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore

ZED = Actor("slack", "U0ZED")
HUGO = Actor("slack", "U0HUGO")
DAAN = Actor("slack", "U0DAAN")


def _service(db_path: str, base: str, clock: Callable[[], datetime] | None = None) -> EscalationService:
    kb = load_knowledge(Path(base) / "knowledge")
    directory = load_directory(Path(base) / "directory.yaml")
    store = SqliteEscalationStore(open_database(db_path))
    return (
        EscalationService(store, kb, directory, clock=clock)
        if clock
        else EscalationService(store, kb, directory)
    )


def _work(service: EscalationService, worker: str, count: int) -> list[int]:
    """Create, retry, acknowledge, comment and resolve `count` escalations; also race on shared ids."""
    ids = []
    for i in range(count):
        request = f"{worker}-{i}"
        first = service.create(ZED, f"{worker} item {i}", team="customer-service", request_id=request)
        retry = service.create(ZED, f"{worker} item {i}", team="customer-service", request_id=request)
        assert retry.replayed and retry.escalation.id == first.escalation.id
        ref = first.escalation.ref
        service.acknowledge(ref, HUGO, request_id=f"{request}-ack")
        service.comment(ref, DAAN, f"note from {worker}")
        service.resolve(ref, DAAN, "done", request_id=f"{request}-resolve")
        ids.append(first.escalation.id)
    for i in range(5):  # every worker sends the same five requests: only one of each may count
        ids.append(-service.create(ZED, f"shared {i}", team="it", request_id=f"shared-{i}").escalation.id)
    return ids


def _process_worker(args: tuple[str, str, str, int]) -> list[int]:
    db_path, base, worker, count = args
    return _work(_service(db_path, base), worker, count)


def _check_database(db_path: str, expected_own: int) -> None:
    db = open_database(db_path)
    rows = db.execute("SELECT id, summary, state FROM escalations").fetchall()
    summaries = Counter(summary for _, summary, _ in rows)
    assert len(rows) == expected_own + 5
    assert all(count == 1 for count in summaries.values())  # each stored exactly once
    own = [r for r in rows if not r[1].startswith("shared")]
    assert {state for _, _, state in own} == {"resolved"}
    audit = Counter(tuple(row) for row in db.execute("SELECT escalation_id, action FROM audit_log"))
    for eid, _, _ in own:
        for action in ("created", "acknowledged", "commented", "resolved"):
            assert audit[(eid, action)] == 1, (eid, action)
    assert db.execute("SELECT count(*) FROM processed_requests").fetchone()[0] == expected_own * 3 + 5
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_threads_sharing_one_service(tmp_path: Path) -> None:
    write_escalation_world(tmp_path)
    db_path = str(tmp_path / "rolebot.db")
    service = _service(db_path, str(tmp_path))
    results: dict[str, list[int]] = {}

    def run(name: str) -> None:
        results[name] = _work(service, name, 12)

    threads = [threading.Thread(target=run, args=(f"t{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    own = [i for ids in results.values() for i in ids if i > 0]
    assert len(results) == 6 and len(set(own)) == len(own) == 72
    assert len({-i for ids in results.values() for i in ids if i < 0}) == 5
    _check_database(db_path, 72)


def test_threads_with_their_own_connections_and_processes_at_once(tmp_path: Path) -> None:
    write_escalation_world(tmp_path)
    db_path = str(tmp_path / "rolebot.db")
    open_database(db_path).close()
    results: dict[str, list[int]] = {}

    def run(name: str) -> None:
        results[name] = _work(_service(db_path, str(tmp_path)), name, 10)

    threads = [threading.Thread(target=run, args=(f"t{n}",)) for n in range(3)]
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        pending = pool.map_async(_process_worker, [(db_path, str(tmp_path), f"p{n}", 10) for n in range(3)])
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        process_ids = pending.get(timeout=120)
    all_ids = [*process_ids, *results.values()]
    own = [i for ids in all_ids for i in ids if i > 0]
    assert len(set(own)) == len(own) == 60
    shared = {tuple(sorted(-i for i in ids if i < 0)) for ids in all_ids}
    assert len(shared) == 1  # every worker got the same five escalations back
    _check_database(db_path, 60)


def _sweep_in_process(args: tuple[str, str, str]) -> list[tuple[int, str, int]]:
    db_path, base, when = args
    now = datetime.fromisoformat(when)
    service = _service(db_path, base, clock=lambda: now)
    return [(o.escalation.id, o.action, o.escalation.level) for o in service.sweep(now)]


def test_concurrent_sweeps_bump_each_escalation_exactly_once(tmp_path: Path) -> None:
    write_escalation_world(tmp_path)
    db_path = str(tmp_path / "rolebot.db")
    monday = datetime(2024, 6, 3, 10, tzinfo=UTC)
    service = _service(db_path, str(tmp_path), clock=lambda: monday)
    for i in range(40):
        service.create(ZED, f"stuck {i}", team="ecommerce" if i % 2 else "marketing")
    later = datetime(2024, 6, 3, 14, 30, tzinfo=UTC)  # past every 4h acknowledgement window
    sweepers = [_service(db_path, str(tmp_path), clock=lambda: later) for _ in range(2)]
    outcomes: list[list[tuple[int, str, int]]] = [[], []]

    def run(n: int) -> None:
        outcomes[n] = [(o.escalation.id, o.action, o.escalation.level) for o in sweepers[n].sweep(later)]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pending = pool.map_async(_sweep_in_process, [(db_path, str(tmp_path), later.isoformat())] * 2)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes += pending.get(timeout=120)
    bumped = [
        eid for result in outcomes for eid, action, level in result if action == "bumped" and level == 1
    ]
    assert sorted(bumped) == list(range(1, 41))  # each bumped once, by exactly one sweeper
    history = Counter(e.action for i in range(1, 41) for e in service.history(str(i)))
    assert history == {"created": 40, "bumped": 40}
    assert {e.level for e in service.list(ListFilter(scope="open", limit=100))} == {1}
