"""Inbox rows are group-committed: concurrent requests share one transaction, each ack after its own row;
a row that cannot be written keeps only itself out, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from slack_harness import SlackHarness, payload

from bot.storage.backends import open_stores
from bot.storage.clock import utc_now
from bot.storage.delivery import InboxRequest, InboxStore
from bot.storage.group_commit import GroupCommitInbox
from bot.storage.stores import Stores

LONE_SURROGATE = "\ud800"  # valid in a JSON string, not storable as UTF-8 text: this row cannot be written
WAYS, REQUESTS = 12, 36
T0 = utc_now()


@pytest.fixture(params=["sqlite", "postgres"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    location = request.getfixturevalue("pg_url") if request.param == "postgres" else tmp_path / "r.db"
    opened = open_stores(location)
    yield opened
    opened.close()


def test_a_batch_commits_every_row_but_the_one_that_fails(stores: Stores) -> None:
    inbox = stores.inbox("slack")
    assert inbox.accept("U1|t0", "command:/escalate", {"text": "taken in before"}) is True
    results = inbox.accept_many(
        [
            InboxRequest("U1|t1", "command:/escalate", {"text": "printer jammed"}),
            InboxRequest("U1|t0", "command:/escalate", {"text": "a retry"}),
            InboxRequest("U2|t2", "command:/escalate", {"text": f"broken {LONE_SURROGATE}"}),
            InboxRequest("U3|t3", None, None),  # a question: only its key is kept
            InboxRequest("U1|t1", "command:/escalate", {"text": "the same key twice in a batch"}),
            InboxRequest("U4|t4", "command:/escalate", {"text": "label printer"}),
        ]
    )
    assert results[:2] == [True, False]
    assert isinstance(results[2], Exception)
    assert results[3:] == [True, False, True]
    pending = inbox.unfinished()
    assert [(row.key, row.payload["text"]) for row in pending] == [
        ("U1|t0", "taken in before"),
        ("U1|t1", "printer jammed"),
        ("U4|t4", "label printer"),
    ]
    assert inbox.known("U3|t3") and not inbox.known("U2|t2")


def test_concurrent_callers_each_get_their_own_answer(stores: Stores) -> None:
    """Threads accepting at once through the group commit: each key is taken in exactly once, each
    caller hears whether its own request was new, and the one row that cannot be stored raises for
    its caller only."""
    inbox = GroupCommitInbox(stores.inbox("teams"))
    start = threading.Barrier(WAYS)

    def take(index: int) -> bool | str:
        if index < WAYS:
            start.wait()
        text = LONE_SURROGATE if index == 5 else f"request {index}"
        try:
            return inbox.accept(f"key-{index % 24}", "event:message", {"text": text})
        except Exception as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(WAYS) as pool:
        answers = list(pool.map(take, range(REQUESTS)))
    failed = [i for i, answer in enumerate(answers) if isinstance(answer, str)]
    assert failed == [5]
    taken = [i for i, answer in enumerate(answers) if answer is True]
    # every key but key-5 is taken in once; key-5 by its second request (29), the first failed
    assert sorted(i % 24 for i in taken) == list(range(24))
    assert [row.payload["text"] for row in inbox.unfinished() if row.key == "key-5"] == ["request 29"]
    assert inbox.pending() == 24


def test_concurrent_signed_escalations_are_acked_and_each_done_once(slack: SlackHarness) -> None:
    """A burst of signed /escalate commands: every 200 has exactly one escalation, the retried ones
    (same trigger) none more, and the inbox has nothing left unfinished."""

    def escalate(index: int) -> int:
        index %= REQUESTS  # the last WAYS requests are retries of the first ones
        status, _ = slack.command(
            "/escalate",
            f"customer-service parcel {index} stuck at the depot",
            user=f"U0G{index % 7:04d}",
            trigger_id=f"trigger.group.{index}",
        )
        return status

    with ThreadPoolExecutor(WAYS) as pool:
        statuses = list(pool.map(escalate, range(REQUESTS + WAYS)))
    assert statuses == [200] * (REQUESTS + WAYS)
    slack.settle()
    db = slack.runtime.core.stores.health.db
    summaries = [r[0] for r in db.execute("SELECT summary FROM escalations ORDER BY id").fetchall()]
    assert sorted(summaries) == sorted(f"parcel {i} stuck at the depot" for i in range(REQUESTS))
    assert slack.runtime.intake.inbox.pending() == 0


def test_a_request_that_cannot_be_stored_is_refused_and_the_others_are_done(slack: SlackHarness) -> None:
    """Signed Events API messages asking to escalate, sent together; one carries text the inbox cannot
    store. That one is not acknowledged (500: nothing was committed, Slack retries it); every other one
    gets 200 and its escalation."""

    def message(index: int) -> int:
        body = payload("event_message_im")
        text = f"escalate customer-service refund {index} missing"
        body["event"].update(text=text + (LONE_SURROGATE if index == 3 else ""), user=f"U0M{index:04d}")
        body["event"].update(channel=f"D0M{index:04d}", ts=f"1700000{index:03d}.000100")
        body["event_id"] = f"EvGROUP{index:04d}"
        status, _ = slack.post(json.dumps(body).encode(), "application/json")
        return status

    with ThreadPoolExecutor(WAYS) as pool:
        statuses = list(pool.map(message, range(WAYS)))
    assert statuses[3] == 500
    assert statuses[:3] + statuses[4:] == [200] * (WAYS - 1)
    slack.settle()
    db = slack.runtime.core.stores.health.db
    summaries = sorted(r[0] for r in db.execute("SELECT summary FROM escalations").fetchall())
    assert summaries == sorted(f"refund {i} missing" for i in range(WAYS) if i != 3)


def test_the_group_commit_passes_every_other_call_to_its_store(stores: Stores) -> None:
    inbox: InboxStore = GroupCommitInbox(stores.inbox("slack"))
    assert inbox.accept_many([InboxRequest("a", "event:message", {"text": "x"})]) == [True]
    inbox.remember(["b"])
    assert inbox.known("b") and inbox.pending() == 1
    assert inbox.shared is (stores.inbox("slack").shared)
    [row] = inbox.claim("me", T0, timedelta(minutes=1), everything=True)
    assert row.key == "a" and row.attempts == 0
    inbox.renew("me", [row.key], T0 + timedelta(minutes=5))
    inbox.finish(row.key)
    assert inbox.pending() == 0 and inbox.unfinished() == []
