"""Crash safety: a process creating escalations is SIGKILLed mid-burst; everything it reported is stored,
nothing is stored twice, and the database passes integrity_check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import write_escalation_world

from bot.storage.sqlite.database import open_database

TESTS = Path(__file__).resolve().parent
BURST = 400  # far more than a child can create before it is killed


def child_main(db_path: str, base: str, start: int) -> None:
    """Create escalations in a loop, printing each ref only once its transaction has committed.

    Request ids are the item numbers, as a client retrying after a crash would resend them."""
    from bot.directory import load_directory
    from bot.escalations.models import Actor
    from bot.escalations.service import EscalationService
    from bot.knowledge import load_knowledge
    from bot.storage.sqlite.escalations import SqliteEscalationStore

    service = EscalationService(
        SqliteEscalationStore(open_database(db_path)),
        load_knowledge(Path(base) / "knowledge"),
        load_directory(Path(base) / "directory.yaml"),
    )
    actor = Actor("slack", "U0ZED")
    for i in range(start, BURST):
        outcome = service.create(
            actor, f"crash item {i}", team="warehouse", details="x" * 2000, request_id=f"crash-{i}"
        )
        print(f"{i} {outcome.escalation.ref}", flush=True)


def _run_and_kill(db_path: str, base: str, start: int, kill_after: int) -> list[tuple[int, str]]:
    code = (
        f"import sys; sys.path.insert(0, {str(TESTS)!r}); import test_escalation_crash as t; "
        f"t.child_main({db_path!r}, {base!r}, {start})"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=TESTS.parent
    )
    assert child.stdout is not None
    reported = []
    for line in child.stdout:
        number, ref = line.split()
        reported.append((int(number), ref))
        if len(reported) >= kill_after:
            os.kill(child.pid, signal.SIGKILL)  # mid-burst: the next create is likely in flight
            break
    reported += [(int(n), r) for n, r in (ln.split() for ln in child.stdout.read().splitlines())]
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the child finished before it could be killed"
    return reported


@pytest.mark.slow
def test_sigkill_mid_burst_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    write_escalation_world(tmp_path)
    db_path = str(tmp_path / "rolebot.db")
    open_database(db_path).close()
    reported: list[tuple[int, str]] = []
    start = 0
    for kill_after in (25, 40, 15):
        batch = _run_and_kill(db_path, str(tmp_path), start, kill_after)
        assert batch, "the child reported nothing"
        reported += batch
        start = batch[-1][0]  # resend from the last reported item: it must replay, not duplicate

    db = open_database(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(db.execute("SELECT 'ESC-' || id, summary FROM escalations").fetchall())
    for number, ref in reported:
        assert stored.get(ref) == f"crash item {number}", f"{ref} was reported but is not stored"
    summaries = Counter(stored.values())
    assert max(summaries.values()) == 1  # no item stored twice, even after resending
    # Each item ever created is present once, with exactly one 'created' audit row and one request id.
    created = db.execute("SELECT count(*) FROM audit_log WHERE action = 'created'").fetchone()[0]
    requests = db.execute("SELECT count(*) FROM processed_requests").fetchone()[0]
    assert created == requests == len(stored)
    assert len(stored) >= len({n for n, _ in reported})
