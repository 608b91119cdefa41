"""SIGKILL mid-burst: `rolebot serve slack`, `serve all` or `serve teams` killed mid-escalations, restarted.

Run: python benchmarks/bench_crash.py [--platform slack|slack-all|teams] [--trials 5] [--requests 300]
     [--ways 20]
Target: every request answered 200 has exactly one escalation and its requester exactly one
confirmation after the restart; 0 duplicates. Each trial kills the server once a third of the burst
has been answered.
Slack: signed `/escalate` commands; Slack's chat API is down until the restart, so every confirmation
counted comes from what the restarted process found in the database (see tests/test_inbox_crash.py).
slack-all: the same against `rolebot serve all`'s one port (acks on the AsyncApp, the work in its work
process, which the kernel kills with the server).
Teams: "escalate customer-service ..." messages in personal chats of `rolebot serve teams` (no app id,
as the Bot Framework Emulator talks to it) with a fake connector; with --connector-down the connector
refuses every post until the restart, as Slack's API does above.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test fakes
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code, not an installed one

from slack_fake_api import FakeSlackApi
from teams_fake_connector import FakeConnector
from test_graceful_stop import AllServer
from test_inbox_crash import Server, finish_after_restart, user


def trial(requests: int, ways: int, server_class: type[Server] = Server) -> dict[str, int]:
    fake = FakeSlackApi().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "rolebot.db"
            fake.fail("chat.postMessage", "internal_error", times=10**9)
            server = server_class(db, fake)
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
            finish_after_restart(server_class, db, fake)
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


class TeamsServer(Server):
    """`rolebot serve teams` in a process of its own, without an app id (unauthenticated, loopback)."""

    def _command(self) -> list[str]:
        code = "from handlers.cli.main import main; main()"
        return [sys.executable, "-c", code, "serve", "teams", "--port", str(self.port), "--host", "127.0.0.1"]

    def _env(self) -> dict[str, str]:
        import os

        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MicrosoftApp"))}
        root = str(Path(__file__).resolve().parent.parent)
        return {
            **env,
            "PYTHONPATH": root,
            "ROLEBOT_DB": str(self.db),
            "ROLEBOT_DIGESTS": "off",
            "ROLEBOT_SWEEP_SECONDS": "0",
            "ROLEBOT_LOG_LEVEL": "WARNING",
        }

    def post(self, index: int, service_url: str) -> int:
        activity = {
            "type": "message",
            "id": f"burst-{index}",
            "serviceUrl": service_url,
            "channelId": "msteams",
            "from": {"id": teams_user(index), "name": f"Burst {index}"},
            "conversation": {"conversationType": "personal", "id": conversation(index)},
            "recipient": {"id": "28:rolebot", "name": "rolebot"},
            "locale": "en-US",
            "text": f"escalate customer-service burst item {index}",
        }
        request = urllib.request.Request(
            self.url + "/api/messages",
            data=json.dumps(activity).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError, OSError):
            return 0  # killed: no answer


def teams_user(index: int) -> str:
    return f"29:burst{index}"


def conversation(index: int) -> str:
    return f"a:personal-burst{index}"


class Connector:
    """The fake Bot Framework connector on a loop of its own, in this process."""

    def __init__(self) -> None:
        from aiohttp import web

        self.fake = FakeConnector()
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(self.fake.app())
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        port = self.runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/"
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


def teams_trial(requests: int, ways: int, connector_down: bool) -> dict[str, int]:
    connector = Connector()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "rolebot.db"
            connector.fake.fail_next = 10**9 if connector_down else 0
            server = TeamsServer(db, None)  # type: ignore[arg-type]  # no Slack API here
            statuses = burst(requests, ways, lambda i: server.post(i, connector.url), server)
            with sqlite3.connect(db) as conn:
                unfinished = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0]
            connector.fake.fail_next = 0
            restarted = TeamsServer(db, None)  # type: ignore[arg-type]
            try:
                wait_until_teams_done(db)
            finally:
                restarted.stop()
            return count_teams(db, connector.fake, statuses, unfinished)
    finally:
        connector.stop()


def burst(requests: int, ways: int, send_one: Any, server: Any, wait: float = 300) -> dict[int, int]:
    """Send the burst `ways` at a time; SIGKILL `server` (anything with kill()) once a third got 200."""
    statuses: dict[int, int] = {}
    enough = threading.Event()
    lock = threading.Lock()

    def send(index: int) -> None:
        status = send_one(index)
        with lock:
            statuses[index] = status
            if sum(1 for s in statuses.values() if s == 200) >= requests // 3:
                enough.set()

    with ThreadPoolExecutor(max_workers=ways) as pool:
        for index in range(requests):
            pool.submit(send, index)
        enough.wait(wait)
        server.kill()
    return statuses


def wait_until_teams_done(db: Path) -> None:
    import time

    deadline = time.monotonic() + 120
    while True:
        with sqlite3.connect(db) as conn:
            inbox = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0]
            outbox = conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE platform = 'teams' AND state = 'pending'"
            ).fetchone()[0]
        if inbox == 0 and outbox == 0:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"still {inbox} requests and {outbox} notices unfinished")
        time.sleep(0.2)


def count_teams(db: Path, fake: FakeConnector, statuses: dict[int, int], unfinished: int) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, summary, requester_user FROM escalations").fetchall()
    summaries = [summary for _, summary, _ in rows]
    refs = {requester: f"ESC-{esc_id}" for esc_id, _, requester in rows}
    accepted = [i for i, s in statuses.items() if s == 200]
    lost = sum(1 for i in accepted if f"burst item {i}" not in summaries)
    told: list[int] = []
    for i in accepted:
        ref = refs.get(teams_user(i), "?")
        # the confirmation is the requester's notice from the outbox (a new message once the card is
        # posted), as Slack's DM; the turn's own reply ("saved as ESC-n") is the acknowledgement
        sent = [c for c in fake.to(conversation(i)) if c.kind == "send"]
        told.append(sum(1 for c in sent if ref in json.dumps(c.body, ensure_ascii=False)))
    return {
        "acked": len(accepted),
        "unfinished_at_kill": unfinished,
        "lost": lost,
        "duplicates": len(summaries) - len(set(summaries)),
        "not_told_once": sum(1 for n in told if n != 1),
        "never_told": told.count(0),
        "told_twice": sum(1 for n in told if n > 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--ways", type=int, default=20)
    parser.add_argument("--platform", choices=("slack", "slack-all", "teams"), default="slack")
    parser.add_argument("--connector-down", action="store_true", help="teams: the connector refuses posts")
    args = parser.parse_args()
    totals: dict[str, int] = {}
    for n in range(args.trials):
        if args.platform == "teams":
            result = teams_trial(args.requests, args.ways, args.connector_down)
        else:
            result = trial(args.requests, args.ways, AllServer if args.platform == "slack-all" else Server)
        print(f"trial {n + 1}: " + ", ".join(f"{k} {v}" for k, v in result.items()))
        for key, value in result.items():
            totals[key] = totals.get(key, 0) + value
    print("total:   " + ", ".join(f"{k} {v}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
