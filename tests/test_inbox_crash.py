"""`rolebot serve slack` killed with SIGKILL mid-burst of signed /escalate commands: after a restart every
request that got HTTP 200 has exactly one escalation and its requester exactly one confirmation."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_fake_api import FakeSlackApi
from slack_harness import SECRET, payload, sign

REPO = Path(__file__).resolve().parent.parent
BURST, WAYS, KILL_AFTER = 40, 10, 12


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`rolebot serve slack` in a process of its own (this worktree's code)."""

    def __init__(self, db: Path, fake: FakeSlackApi) -> None:
        self.port, self.fake, self.db = free_port(), fake, db
        self.process = subprocess.Popen(
            self._command(), env=self._env(), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while not self._healthy():
            assert self.process.poll() is None, "the server exited at start-up"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def _command(self) -> list[str]:
        code = "from handlers.cli.main import main; main()"
        return [sys.executable, "-c", code, "serve", "slack", "--port", str(self.port)]

    def _ready_path(self) -> str:
        return "/healthz"

    def _env(self) -> dict[str, str]:
        fake, db = self.fake, self.db
        return {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "ROLEBOT_DB": str(db),
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "ROLEBOT_DIGESTS": "off",
            "ROLEBOT_SWEEP_SECONDS": "0",
            "ROLEBOT_LOG_LEVEL": "WARNING",
        }

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + self._ready_path(), timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, OSError):
            return False

    def escalate(self, index: int, fake: FakeSlackApi) -> int:
        body = payload("command_escalate")
        body.update(
            text=f"customer-service burst item {index}",
            user_id=user(index),
            user_name=user(index).lower(),
            trigger_id=f"trigger.burst.{index}",
            response_url=fake.response_url(f"burst{index}"),
        )
        data = urlencode(body).encode()
        stamp = str(int(time.time()))
        request = urllib.request.Request(
            self.url + "/slack/events",
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": sign(data, stamp),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError, OSError):
            return 0  # killed: no answer

    def exit_code(self, seconds: float, after: str) -> int:
        """How the process exited, failing the test when it still runs `seconds` later."""
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {seconds} s after {after}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def user(index: int) -> str:
    return f"U0B{index:04d}"


@pytest.fixture()
def fake() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi().start()
    yield api
    api.stop()


def finish_after_restart(server_class: type[Server], db: Path, fake: FakeSlackApi) -> None:
    """Start a server on `db` again and wait until it has done what the last one left."""
    restarted = server_class(db, fake)
    try:
        wait_until_done(db)
    finally:
        restarted.stop()


def wait_until_done(db: Path) -> None:
    """Until the inbox has no unfinished request and the Slack outbox nothing pending."""
    deadline = time.monotonic() + 120
    while True:
        with sqlite3.connect(db) as conn:
            inbox = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0]
            outbox = conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE platform = 'slack' AND state = 'pending'"
            ).fetchone()[0]
        if inbox == 0 and outbox == 0:
            return
        assert time.monotonic() < deadline, f"still {inbox} requests and {outbox} notices unfinished"
        time.sleep(0.2)


def test_sigkill_mid_burst_loses_nothing_and_duplicates_nothing(tmp_path: Path, fake: FakeSlackApi) -> None:
    db = tmp_path / "rolebot.db"
    # Slack's chat API is down during the burst: nothing is told before the kill, so every
    # confirmation counted below comes from what the restarted process found in the database.
    fake.fail("chat.postMessage", "internal_error", times=10**6)
    fake.delays["users.info"] = 2.0  # slow work after each ack, so the kill finds work unfinished
    server = Server(db, fake)
    statuses: dict[int, int] = {}
    answered = threading.Event()
    lock = threading.Lock()

    def send(index: int) -> None:
        status = server.escalate(index, fake)
        with lock:
            statuses[index] = status
            if sum(1 for s in statuses.values() if s == 200) >= KILL_AFTER:
                answered.set()

    try:
        with ThreadPoolExecutor(max_workers=WAYS) as pool:
            for index in range(BURST):
                pool.submit(send, index)
            assert answered.wait(60), f"fewer than {KILL_AFTER} requests answered: {statuses}"
            server.kill()
    finally:
        server.stop()
    accepted = sorted(i for i, status in statuses.items() if status == 200)
    assert len(accepted) >= KILL_AFTER and len(accepted) < BURST  # killed mid-burst
    with sqlite3.connect(db) as conn:
        unfinished = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0]
    assert unfinished > 0  # acknowledged, not yet done: only the inbox knows about these
    fake.clear_failures()
    fake.delays.clear()
    finish_after_restart(Server, db, fake)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, summary, requester_user FROM escalations").fetchall()
    summaries = [summary for _, summary, _ in rows]
    assert len(summaries) == len(set(summaries)), "duplicate escalations"
    by_user = {requester: f"ESC-{esc_id}" for esc_id, _, requester in rows}
    confirmations = [
        c for c in fake.answered("chat.postMessage") if str(c.get("channel", "")).startswith("D")
    ]
    for index in accepted:
        assert f"burst item {index}" in summaries, f"request {index} got 200 and was lost"
        ref = by_user[user(index)]
        told = [
            c for c in confirmations if c["channel"] == "D" + user(index)[1:] and ref in str(c.get("text"))
        ]
        assert len(told) == 1, f"{user(index)} was told {len(told)} times about {ref}"
