"""SIGKILL mid-burst: `rolebot serve slack` killed during signed /escalate commands, then restarted.

Run: python benchmarks/bench_crash.py [--trials 5] [--requests 300] [--ways 20]
Target: every request answered 200 has exactly one escalation and its requester exactly one
confirmation after the restart; 0 duplicates. Each trial kills the server once a third of the burst
has been answered. Slack's chat API is down until the restart, so every confirmation counted comes
from what the restarted process found in the database (see tests/test_inbox_crash.py).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test fakes
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code, not an installed one

from slack_fake_api import FakeSlackApi
from test_inbox_crash import Server, user, wait_until_done


def trial(requests: int, ways: int) -> dict[str, int]:
    fake = FakeSlackApi().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "rolebot.db"
            fake.fail("chat.postMessage", "internal_error", times=10**9)
            server = Server(db, fake)
            statuses: dict[int, int] = {}
            enough = threading.Event()
            lock = threading.Lock()

            def send(index: int) -> None:
                status = server.escalate(index, fake)
                with lock:
                    statuses[index] = status
                    if sum(1 for s in statuses.values() if s == 200) >= requests // 3:
                        enough.set()

            with ThreadPoolExecutor(max_workers=ways) as pool:
                for index in range(requests):
                    pool.submit(send, index)
                enough.wait(300)
                server.kill()
            with sqlite3.connect(db) as conn:
                unfinished = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0]
            fake.clear_failures()
            restarted = Server(db, fake)
            try:
                wait_until_done(db)
            finally:
                restarted.stop()
            return count(db, fake, statuses, unfinished)
    finally:
        fake.stop()


def count(db: Path, fake: FakeSlackApi, statuses: dict[int, int], unfinished: int) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, summary, requester_user FROM escalations").fetchall()
    summaries = [summary for _, summary, _ in rows]
    refs = {requester: f"ESC-{esc_id}" for esc_id, _, requester in rows}
    dms = [c for c in fake.answered("chat.postMessage") if str(c.get("channel", "")).startswith("D")]
    accepted = [i for i, s in statuses.items() if s == 200]
    lost = sum(1 for i in accepted if f"burst item {i}" not in summaries)
    told_wrong = 0
    for i in accepted:
        ref = refs.get(user(i), "?")
        told = [c for c in dms if c["channel"] == "D" + user(i)[1:] and ref in str(c.get("text"))]
        told_wrong += len(told) != 1
    return {
        "acked": len(accepted),
        "unfinished_at_kill": unfinished,
        "lost": lost,
        "duplicates": len(summaries) - len(set(summaries)),
        "not_told_once": told_wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--ways", type=int, default=20)
    args = parser.parse_args()
    totals: dict[str, int] = {}
    for n in range(args.trials):
        result = trial(args.requests, args.ways)
        print(f"trial {n + 1}: " + ", ".join(f"{k} {v}" for k, v in result.items()))
        for key, value in result.items():
            totals[key] = totals.get(key, 0) + value
    print("total:   " + ", ".join(f"{k} {v}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
