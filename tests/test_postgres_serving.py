"""Two Slack app replicas on one PostgreSQL: whichever replica takes a request, the work is shared."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from serve_support import due_directory, slack_config
from slack_fake_api import FakeSlackApi, channel_id
from slack_harness import SlackHarness, texts

from bot.escalations.models import State
from bot.scheduler import SchedulerSettings
from handlers.slack.serve import start_serving


@pytest.fixture()
def two_replicas(pg_url: str) -> Iterator[tuple[SlackHarness, SlackHarness]]:
    fake = FakeSlackApi().start()
    a, b = SlackHarness(pg_url, fake), SlackHarness(pg_url, fake)
    yield a, b
    a.close()
    b.close()
    fake.stop()


def test_a_card_posted_by_one_replica_is_updated_by_the_other(
    two_replicas: tuple[SlackHarness, SlackHarness],
) -> None:
    a, b = two_replicas
    a.command("/escalate", "customer-service P1 returns portal rejects every RMA", response="esc")
    assert "ESC-1" in a.fake.wait_for("response/esc")[0]["text"]
    a.settle()
    b.settle()
    assert len(a.posts_to("#customer-service")) == 1  # one card, whichever replica's worker posted it
    channel = channel_id("#customer-service")
    [(where, ts)] = b.runtime.notifier.refs.cards(1)  # replica B knows the card from the database
    assert where == channel and a.runtime.notifier.refs.cards(1) == [(where, ts)]
    b.click("escalation_ack", "1", user="U0DAAN", channel=channel, message_ts=ts)
    b.settle()
    a.settle()
    [update] = a.fake.wait_for("chat.update")
    assert (update["channel"], update["ts"]) == (channel, ts)
    assert "U0DAAN" in texts(update)
    assert a.runtime.core.service.get("ESC-1").state is State.ACKNOWLEDGED
    assert [e.action for e in a.runtime.core.service.history("ESC-1")] == ["created", "acknowledged"]


def test_each_team_digest_is_posted_once_when_both_replicas_schedulers_fire(
    pg_url: str, tmp_path: Path, fake: FakeSlackApi
) -> None:
    config = replace(slack_config(tmp_path / "unused.db", fake, due_directory(tmp_path)), database_url=pg_url)
    settings = SchedulerSettings(sweep_seconds=0, catchup_seconds=0)  # the jobs are fired below
    replicas = [start_serving(config, port=0, host="127.0.0.1", settings=settings) for _ in range(2)]
    try:
        jobs = [
            job.func
            for serving in replicas
            for job in serving.scheduler.get_jobs()
            if job.id.startswith("digest:team:")
        ]
        assert len(jobs) == 2 * len(replicas[0].runtime.core.directory.teams)
        barrier = threading.Barrier(len(jobs))

        def fire(job: Callable[[], object]) -> None:
            barrier.wait()  # every team's digest time, on both replicas at the same moment
            job()

        with ThreadPoolExecutor(len(jobs)) as pool:
            list(pool.map(fire, jobs))
    finally:
        for serving in replicas:
            serving.close()
    digests = [c for c in fake.calls("chat.postMessage") if c.get("blocks")]
    channels = [str(c["channel"]) for c in digests]
    expected = {c.slack_channel for c in replicas[0].runtime.core.directory.teams.values() if c.slack_channel}
    assert expected and sorted(channels) == sorted(expected), "a digest missing or posted twice"
