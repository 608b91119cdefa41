"""The issue's kill trial: two `rolebot serve all` replicas on one PostgreSQL, one SIGKILLed mid-burst.

Run: python3 benchmarks/bench_replicas.py [--trials 5] [--requests 300] [--ways 20] [--lease 5] [--clicks 20]
Each trial: a fresh database on a throwaway cluster (fsync on), two replicas (`serve all`, Slack bot
tokens xoxb-a and xoxb-b so the fake Slack API knows who called), signed `/escalate` commands spread over
both, replica A SIGKILLed once a third of the burst is answered. A request A does not answer (refused,
or cut by the kill) is sent again to B as Slack's retry (X-Slack-Retry-Num), as a load balancer would.
B is not restarted: it takes A's accepted requests over when their lease (--lease s) runs out. Then A is
restarted, and escalation cards posted by one replica are acknowledged through the other: the card must
be updated in place (chat.update on its channel and ts) and the escalation acknowledged.
Target: every request answered 200 has exactly one escalation and its requester one confirmation.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test fakes
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code


import psycopg
from bench_crash import burst as kill_after_a_third
from postgres_server import PostgresServer, find_bindir
from slack_fake_api import FakeSlackApi, channel_id
from slack_harness import payload, sign
from test_graceful_stop import AllServer
from test_inbox_crash import user
from test_replica_takeover import counts


class Replica(AllServer):
    """`rolebot serve all` on the shared database, with a Slack bot token of its own."""

    def __init__(self, url: str, fake: FakeSlackApi, name: str, lease: float) -> None:
        self.database_url, self.name, self.lease = url, name, lease
        super().__init__(Path("unused.db"), fake)

    def _env(self) -> dict[str, str]:
        return {
            **super()._env(),
            "SLACK_BOT_TOKEN": f"xoxb-{self.name}",
            "ROLEBOT_DATABASE_URL": self.database_url,
            "ROLEBOT_INBOX_LEASE_SECONDS": str(self.lease),
            "ROLEBOT_OUTBOX_LEASE_SECONDS": str(self.lease),
        }

    def post(self, body: dict[str, Any], retry: int = 0, interactive: bool = False) -> int:
        data = urlencode({"payload": json.dumps(body)} if interactive else body).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(data, stamp),
        }
        if retry:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        request = urllib.request.Request(
            self.url + "/slack/events", data=data, method="POST", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except (urllib.error.URLError, ConnectionError, OSError):
            return 0  # refused, or cut by the kill


def escalate_body(index: int, fake: FakeSlackApi) -> dict[str, Any]:
    body = payload("command_escalate")
    body.update(
        text=f"customer-service burst item {index}",
        user_id=user(index),
        user_name=user(index).lower(),
        trigger_id=f"trigger.burst.{index}",
        response_url=fake.response_url(f"burst{index}"),
    )
    return body


def burst(a: Replica, b: Replica, fake: FakeSlackApi, requests: int, ways: int) -> dict[int, int]:
    """Requests alternate between A and B; A is killed once a third got 200. An unanswered request is
    retried (Slack's retry header) on the other replica, up to three times."""

    def send_one(index: int) -> int:
        body, replicas, status = escalate_body(index, fake), (a, b) if index % 2 else (b, a), 0
        for attempt in range(4):
            status = replicas[attempt % 2].post(body, retry=attempt)
            if status == 200:
                break
            time.sleep(0.2)
        return status

    return kill_after_a_third(requests, ways, send_one, a, wait=600)


def wait_done(url: str, seconds: float = 600) -> float:
    started = time.monotonic()
    while counts(url) != (0, 0):
        if time.monotonic() - started > seconds:
            raise TimeoutError(f"still unfinished (inbox, outbox): {counts(url)}")
        time.sleep(0.2)
    return time.monotonic() - started


def count(url: str, fake: FakeSlackApi, statuses: dict[int, int]) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT id, summary, requester_user FROM escalations").fetchall()
    summaries = [str(summary) for _, summary, _ in rows]
    refs = {str(requester): f"ESC-{esc_id}" for esc_id, _, requester in rows}
    dms = [c for c in fake.answered("chat.postMessage") if str(c.get("channel", "")).startswith("D")]
    accepted = [i for i, s in statuses.items() if s == 200]
    told = []
    for i in accepted:
        ref = refs.get(user(i), "?")
        told.append(sum(1 for c in dms if c["channel"] == "D" + user(i)[1:] and ref in str(c.get("text"))))
    channel = channel_id("#customer-service")
    cards = [
        json.dumps(c)
        for c in fake.answered("chat.postMessage")
        if channel_id(str(c.get("channel"))) == channel
    ]
    posted = [sum(1 for c in cards if re.search(rf"ESC-{esc_id}\b", c)) for esc_id, _, _ in rows]
    return {
        "acked": len(accepted),
        "cards_posted_twice": sum(1 for n in posted if n > 1),
        "lost": sum(1 for i in accepted if f"burst item {i}" not in summaries),
        "duplicates": len(summaries) - len(set(summaries)),
        "not_told_once": sum(1 for n in told if n != 1),
        "told_twice": sum(1 for n in told if n > 1),
    }


def cross_clicks(url: str, fake: FakeSlackApi, replicas: dict[str, Replica], clicks: int) -> dict[str, int]:
    """Acknowledge cards through the replica that did not post them; count the cards updated in place
    (chat.update on the card's channel and ts) whose escalation is acknowledged."""
    channel = channel_id("#customer-service")
    with psycopg.connect(url) as conn:
        cards = conn.execute(
            "SELECT escalation_id, message_id FROM message_refs WHERE platform = 'slack' AND channel = %s"
            " ORDER BY escalation_id LIMIT %s",
            [channel, clicks],
        ).fetchall()
    posts = [c for c in fake.answered("chat.postMessage") if channel_id(str(c.get("channel"))) == channel]
    sent = updated = 0
    for esc_id, ts in cards:
        ref = re.compile(rf"ESC-{esc_id}\b")
        posters = {c["_token"] for c in posts if ref.search(json.dumps(c))}
        if len(posters) != 1:
            continue
        clicker = next(r for name, r in replicas.items() if f"xoxb-{name}" not in posters)
        body = payload("block_actions")
        body["user"].update(id="U0DAAN", username="u0daan", name="u0daan")
        body["channel"]["id"] = channel
        body["container"].update(channel_id=channel, message_ts=str(ts))
        body["actions"][0].update(action_id="escalation_ack", value=str(esc_id))
        body["trigger_id"] = f"trigger.click.{esc_id}"
        body["response_url"] = fake.response_url(f"click{esc_id}")
        sent += clicker.post(body, interactive=True) == 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            # the update is an outbox notice: whichever replica's worker claims it sends it
            done = [
                u
                for u in fake.answered("chat.update")
                if (u.get("channel"), u.get("ts")) == (channel, str(ts))
            ]
            if done and acknowledged(url, esc_id):
                updated += 1
                break
            time.sleep(0.1)
    return {"clicks_cross_replica": sent, "cards_updated": updated}


def acknowledged(url: str, esc_id: int) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT state FROM escalations WHERE id = %s", [esc_id]).fetchone()
    return row is not None and row[0] == "acknowledged"


def trial(server: PostgresServer, n: int, args: argparse.Namespace) -> dict[str, int]:
    name = f"trial{n}_{os.getpid()}"
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    url = server.url_for(name)
    fake = FakeSlackApi().start()
    replicas: dict[str, Replica] = {}
    try:
        replicas["a"] = Replica(url, fake, "a", args.lease)  # migrates the new database
        replicas["b"] = Replica(url, fake, "b", args.lease)
        statuses = burst(replicas["a"], replicas["b"], fake, args.requests, args.ways)
        unfinished = counts(url)[0]
        took = wait_done(url)
        result = {"unfinished_at_kill": unfinished, "take_over_s": round(took), **count(url, fake, statuses)}
        replicas["a"] = Replica(url, fake, "a", args.lease)  # compose restarts the killed one
        result.update(cross_clicks(url, fake, replicas, args.clicks))
        return result
    finally:
        for replica in replicas.values():
            replica.stop()
        fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--ways", type=int, default=20)
    parser.add_argument("--lease", type=float, default=5.0, help="inbox and outbox lease, seconds")
    parser.add_argument("--clicks", type=int, default=20, help="cards acknowledged through the other replica")
    args = parser.parse_args()
    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL server binaries not found (apt-get install postgresql)")
    server = PostgresServer.start(bindir, durable=True)
    totals: dict[str, int] = {}
    try:
        for n in range(args.trials):
            result = trial(server, n, args)
            print(f"trial {n + 1}: " + ", ".join(f"{k} {v}" for k, v in result.items()), flush=True)
            for key, value in result.items():
                totals[key] = totals.get(key, 0) + value
    finally:
        server.stop()
    print("total:   " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
