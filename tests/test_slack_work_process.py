"""`rolebot serve all`: Slack questions are answered in a process of their own, at a lower priority; it
lives and dies with the server, and what was accepted and not finished is done after a restart."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_fake_api import FakeSlackApi
from slack_harness import payload, sign
from test_graceful_stop import EXIT_SECONDS, AllServer
from test_inbox_crash import finish_after_restart, wait_until_done


@pytest.fixture()
def fake() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi().start()
    yield api
    api.stop()


def ask(server: AllServer, text: str, name: str, fake: FakeSlackApi) -> int:
    """A signed /whohandles, its answer to the response URL `name`."""
    body = payload("command_whohandles")
    body.update(text=text, trigger_id=f"trigger.{name}", response_url=fake.response_url(name))
    data = urlencode(body).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(data, stamp),
    }
    request = urllib.request.Request(server.url + "/slack/events", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def work_process(server: AllServer) -> int:
    """The server's one child that is not multiprocessing's resource tracker: the Slack work process."""
    found = [
        pid
        for pid in children(server.process.pid)
        if "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    ]
    assert len(found) == 1, f"children of the server: {found}"
    return found[0]


def niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def summaries(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT summary FROM escalations")]


def gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":  # exited, not yet reaped by its parent (which is gone)
            return True
        time.sleep(0.05)
    return False


def test_questions_are_answered_by_a_lower_priority_process_of_its_own(
    tmp_path: Path, fake: FakeSlackApi
) -> None:
    db = tmp_path / "rolebot.db"
    server = AllServer(db, fake)
    try:
        worker = work_process(server)
        assert niceness(worker) > niceness(server.process.pid)  # acks first, under contention
        assert ask(server, "who handles returns?", "q1", fake) == 200
        [answer] = fake.wait_for("response/q1")
        assert "Customer Service" in str(answer)
        assert server.escalate(1, fake) == 200  # a state change: beside the acks, in the server
        wait_until_done(db)
        assert summaries(db) == ["burst item 1"]
        assert fake.calls("response/burst1"), "the requester was not told"
    finally:
        server.stop()
    assert gone(worker, 10), "the work process outlived the server's stop"


def test_killing_the_server_takes_the_work_process_with_it(tmp_path: Path, fake: FakeSlackApi) -> None:
    server = AllServer(tmp_path / "rolebot.db", fake)
    try:
        worker = work_process(server)
        server.kill()  # SIGKILL: no hook of ours runs
        assert gone(worker, 10), "an orphaned work process would run the inbox beside the restarted one"
    finally:
        server.stop()


def test_a_dead_work_process_stops_the_server_and_the_restart_finishes(
    tmp_path: Path, fake: FakeSlackApi
) -> None:
    db = tmp_path / "rolebot.db"
    fake.delays["users.info"] = 5.0  # the work is slow: the requests are still unfinished at the kill
    server = AllServer(db, fake)
    try:
        worker = work_process(server)
        assert [server.escalate(i, fake) for i in range(3)] == [200, 200, 200]
        os.kill(worker, signal.SIGKILL)
        code = server.exit_code(EXIT_SECONDS, "its work process died")
    finally:
        server.stop()
    assert code in (0, -signal.SIGTERM)  # a graceful stop, for the supervisor to restart it
    fake.delays.clear()
    finish_after_restart(AllServer, db, fake)
    assert sorted(summaries(db)) == [f"burst item {i}" for i in range(3)]  # once each
