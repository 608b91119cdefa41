"""Two Slack app replicas on one PostgreSQL: whichever replica takes a request, the work is shared."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_fake_api import FakeSlackApi, channel_id
from slack_harness import SlackHarness, texts

from bot.escalations.models import State


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
