"""Two `rolebot serve slack` replicas on one PostgreSQL: one SIGKILLed with requests acknowledged but not
done, the live one finishes them once their lease runs out (no restart), and a replica starting while
the other is busy leaves the other's requests alone: each request acts and answers exactly once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from slack_fake_api import FakeSlackApi
from test_inbox_crash import Server, user

LEASE_SECONDS = "3"  # short, so the take-over comes within seconds; renewed every second while working
BURST = 8


class Replica(Server):
    """`rolebot serve slack` on the shared PostgreSQL database."""

    def __init__(self, url: str, fake: FakeSlackApi) -> None:
        self.database_url = url
        super().__init__(Path("unused.db"), fake)

    def _env(self) -> dict[str, str]:
        return {
            **super()._env(),
            "ROLEBOT_DATABASE_URL": self.database_url,
            "ROLEBOT_INBOX_LEASE_SECONDS": LEASE_SECONDS,
            "ROLEBOT_OUTBOX_LEASE_SECONDS": LEASE_SECONDS,
        }


def counts(url: str) -> tuple[int, int]:
    """(requests unfinished in the inbox, Slack notices pending in the outbox)."""
    with psycopg.connect(url) as conn:
        inbox = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()
        outbox = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE platform = 'slack' AND state = 'pending'"
        ).fetchone()
    assert inbox is not None and outbox is not None
    return int(inbox[0]), int(outbox[0])


def wait_until_done(url: str) -> None:
    deadline = time.monotonic() + 120
    while counts(url) != (0, 0):
        assert time.monotonic() < deadline, f"still unfinished (inbox, outbox): {counts(url)}"
        time.sleep(0.2)


def burst(server: Server, fake: FakeSlackApi, indexes: range) -> list[int]:
    """The requests of `indexes`, all at once; the ones answered 200."""
    with ThreadPoolExecutor(len(indexes)) as pool:
        statuses = list(pool.map(lambda i: server.escalate(i, fake), indexes))
    return [i for i, status in zip(indexes, statuses, strict=True) if status == 200]


def test_a_live_replica_takes_over_a_killed_ones_requests_and_none_runs_twice(
    pg_url: str, fake: FakeSlackApi
) -> None:
    # The work after each ack is slow, so the requests stay in flight while B starts (its work process
    # too), yet under the Web API client's 10 s time-out (a timed-out lookup fails the work).
    fake.delays["users.info"] = 7.0
    a = Replica(pg_url, fake)
    b: Replica | None = None
    try:
        first = burst(a, fake, range(BURST))
        b = Replica(pg_url, fake)  # starts while A works on the first burst: must leave it to A
        assert counts(pg_url)[0] > 0, "the first burst was done before B started: nothing was shown"
        wait_until_done(pg_url)
        second = burst(a, fake, range(BURST, 2 * BURST))
        assert counts(pg_url)[0] == len(second)  # acknowledged, not done: only the inbox knows them
        a.kill()
        fake.delays.clear()
        wait_until_done(pg_url)  # B, never restarted, takes them over once A's leases run out
    finally:
        a.stop()
        if b is not None:
            b.stop()
    assert len(first) == len(second) == BURST
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT id, summary, requester_user FROM escalations").fetchall()
    summaries = [str(summary) for _, summary, _ in rows]
    assert len(summaries) == len(set(summaries)) == 2 * BURST, "lost or duplicate escalations"
    refs = {str(requester): f"ESC-{esc_id}" for esc_id, _, requester in rows}
    dms = [c for c in fake.answered("chat.postMessage") if str(c.get("channel", "")).startswith("D")]
    for index in first + second:
        ref = refs[user(index)]
        told = [c for c in dms if c["channel"] == "D" + user(index)[1:] and ref in str(c.get("text"))]
        assert len(told) == 1, f"{user(index)} was told {len(told)} times about {ref}"
    for index in first:  # B did not run A's requests again: one reply each to the command
        replies = fake.answered(f"response/burst{index}")
        assert len(replies) == 1, f"request {index} was answered {len(replies)} times"
    assert all(fake.answered(f"response/burst{index}") for index in second)
