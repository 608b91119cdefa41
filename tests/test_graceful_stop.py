"""`rolebot serve all` sent SIGTERM mid-burst of signed /escalate commands on its one port: it exits within
10 s, and after a restart every request that got HTTP 200 has its escalation (nothing accepted is lost)."""

from __future__ import annotations

import signal
import sqlite3
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from slack_fake_api import FakeSlackApi
from test_inbox_crash import BURST, WAYS, Server, finish_after_restart

REPO = Path(__file__).resolve().parent.parent
TEAMS = {
    "MicrosoftAppId": "00000000-0000-4000-8000-000000000001",
    "MicrosoftAppPassword": "p",
}
STOP_AFTER = 24  # answered requests before SIGTERM: more than bolt's 16 workers can start at once
# Requests sent: group-committed acks are quick, so the burst must outlast the stop to be cut by it.
STOP_BURST = 4 * BURST
EXIT_SECONDS = 10  # the bound: an orchestrator kills what is still there after its grace period


class AllServer(Server):
    """`rolebot serve all` on one port (Slack's /slack/events beside Teams' /api/messages)."""

    def _command(self) -> list[str]:
        code = "from handlers.cli.main import main; main()"
        return [sys.executable, "-c", code, "serve", "all", "--port", str(self.port)]

    def _env(self) -> dict[str, str]:
        return {**super()._env(), **TEAMS}

    def _ready_path(self) -> str:
        return "/readyz"


@pytest.fixture()
def fake() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi().start()
    yield api
    api.stop()


def test_sigterm_mid_burst_exits_in_time_and_loses_nothing(tmp_path: Path, fake: FakeSlackApi) -> None:
    db = tmp_path / "rolebot.db"
    # Slow work after each ack: bolt's 16 workers are still busy when the stop's drain time is up, so
    # what is queued behind them is handed back to the inbox, and the restart finishes it.
    fake.delays["users.info"] = 5.0
    server = AllServer(db, fake)
    assert header_status(server.url, "x" * 10_000) == 400  # limits are the server's, not only ours
    assert header_status(server.url, "x" * 100) == 200
    statuses: dict[int, int] = {}
    answered = threading.Event()
    lock = threading.Lock()

    def send(index: int) -> None:
        status = server.escalate(index, fake)
        with lock:
            statuses[index] = status
            if sum(1 for s in statuses.values() if s == 200) >= STOP_AFTER:
                answered.set()

    try:
        with ThreadPoolExecutor(max_workers=WAYS) as pool:
            for index in range(STOP_BURST):
                pool.submit(send, index)
            assert answered.wait(60), f"fewer than {STOP_AFTER} requests answered: {statuses}"
            server.process.send_signal(signal.SIGTERM)
            code = server.exit_code(EXIT_SECONDS, "SIGTERM")
    finally:
        server.stop()
    assert code == 0 or code == -signal.SIGTERM, f"exit status {code}"
    accepted = sorted(i for i, status in statuses.items() if status == 200)
    assert STOP_AFTER <= len(accepted) < STOP_BURST  # stopped mid-burst
    with sqlite3.connect(db) as conn:
        handed_back = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0]
    assert handed_back > 0  # acknowledged, not started before the stop: left for the next start
    fake.delays.clear()
    finish_after_restart(AllServer, db, fake)
    with sqlite3.connect(db) as conn:
        summaries = [row[0] for row in conn.execute("SELECT summary FROM escalations")]
    assert len(summaries) == len(set(summaries)), "duplicate escalations"
    for index in accepted:
        assert f"burst item {index}" in summaries, f"request {index} got 200 and was lost"


def header_status(base: str, value: str) -> int:
    request = urllib.request.Request(base + "/readyz", headers={"X-Long": value})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
