"""Standups on Slack over signed HTTP and the fake Web API: asked by DM, answered in DMs, reported in
the team digest, blockers escalated by button, and a restart in the middle."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_fake_api import FakeSlackApi
from slack_harness import SlackHarness, payload, texts
from standup_fixtures import ASK, REMIND, REPORT, Clock

from bot.directory import Person
from bot.escalations.models import ListFilter
from bot.scheduler import build_runner
from bot.standup.render import ESCALATE_ACTION
from bot.standup.schedule import StandupScheduler
from handlers.slack.digest_poster import SlackDigestPoster
from handlers.slack.standup import NoSlackAccount, SlackStandupPrompter, escalated_blocks

FELIX, GRETA = "U0FELIX", "U0GRETA"  # the bundled directory's IT standup: felix and greta
REFUND_BLOCKER = "the customer refund for order 1234 is stuck waiting on a returns decision"


class Slack(SlackHarness):
    """The Slack app with its core on a settable clock, and standup helpers."""

    def __init__(self, db_path: Path, fake: FakeSlackApi, clock: Clock) -> None:
        super().__init__(db_path, fake)
        core = self.runtime.core
        assert core.standup is not None
        core.service.clock = clock
        core.standup.clock = clock
        self.standup = core.standup
        self.clock = clock

    def tick(self) -> None:
        StandupScheduler(self.standup).run_due(self.clock())

    def say(self, user: str, text: str) -> str:
        """DM the bot and return its reply in that DM."""
        before = len(self.posts_to("D" + user[1:]))
        assert self.dm(text, user=user)[0] == 200
        self.settle()
        replies = self.posts_to("D" + user[1:])
        assert len(replies) == before + 1, replies[before:]
        return texts(replies[-1])

    def answers(self, person: str) -> dict[str, str]:
        run = self.standup.store.run("it", self.clock().date())
        assert run is not None
        return {a.question: a.text for a in self.standup.store.answers(run.id, person)}

    def click_blocker(self, key: str, message: dict[str, Any], user: str) -> None:
        body = payload("block_actions")
        body["user"].update(id=user, username=user.lower(), name=user.lower())
        body["channel"]["id"] = message["channel"]
        body["container"].update(channel_id=message["channel"], message_ts=message["ts"])
        body["message"].update(ts=message["ts"], blocks=message["blocks"], text=message["text"])
        body["actions"][0].update(action_id=ESCALATE_ACTION, value=key)
        body["trigger_id"] = f"trigger.blocker.{len(self.fake.calls('chat.postEphemeral'))}"
        assert self.post_interactive(body)[0] == 200
        self.settle()


def dm_opens(fake: FakeSlackApi) -> list[str]:
    return [c["users"] for c in fake.calls("conversations.open")]


def test_standup_on_slack_from_question_to_escalated_blocker(tmp_path: Path, fake: FakeSlackApi) -> None:
    clock = Clock(ASK)
    slack = Slack(tmp_path / "rolebot.db", fake, clock)
    # The tick asks each participant once, by DM, with the first question.
    slack.tick()
    assert sorted(dm_opens(fake)) == [FELIX, GRETA]
    for user in (FELIX, GRETA):
        [question] = slack.posts_to("D" + user[1:])
        assert "Standup for IT" in question["text"] and "What did you get done yesterday?" in question["text"]
    clock.advance(minutes=1)
    slack.tick()  # a second tick asks nobody again
    assert len(fake.calls("chat.postMessage")) == 2

    # Answers come in several plain DMs; each reply asks the next question.
    assert "Next: What are you working on today?" in slack.say(FELIX, "fixed the cart bug")
    # A question in a channel mention during the standup is still a question, not an answer.
    mention = {"text": "<@UBOT> who handles returns?", "user": FELIX}
    assert slack.event(mention, name="event_app_mention")[0] == 200
    slack.settle()
    [mention_reply] = slack.posts_to("C0GENERAL")
    assert "Customer Service" in mention_reply["text"] and mention_reply["thread_ts"]
    assert slack.answers("felix") == {"yesterday": "fixed the cart bug"}
    assert "Next: Is anything blocking you?" in slack.say(FELIX, "release prep")

    # Greta is away: `standup skip` by DM; her plain DMs are questions again.
    assert "away" in slack.say(GRETA, "standup skip")
    assert "Customer Service" in slack.say(GRETA, "who handles returns?")
    assert slack.answers("greta") == {}

    # A restart in the middle: a new app and core on the same SQLite file lose nothing, ask nobody again.
    slack.close()
    fake.reset()
    slack = Slack(tmp_path / "rolebot.db", fake, clock)
    clock.advance(minutes=5)
    slack.tick()
    assert fake.calls("chat.postMessage") == [] and dm_opens(fake) == []
    assert slack.answers("felix") == {"yesterday": "fixed the cart bug", "today": "release prep"}

    # The one reminder goes to Felix (still a question to go), not to Greta (away).
    clock.now = REMIND
    slack.tick()
    [reminder] = [c for c in fake.calls("chat.postMessage")]
    assert reminder["channel"] == "D0FELIX" and "Reminder" in reminder["text"]
    assert "Is anything blocking you?" in reminder["text"]

    # The last answer, then an edit that replaces one answer.
    assert "that is everything" in slack.say(FELIX, REFUND_BLOCKER)
    assert "who handles" not in slack.say(FELIX, "today: release prep and the deploy checklist")
    assert slack.answers("felix") == {
        "yesterday": "fixed the cart bug",
        "today": "release prep and the deploy checklist",
        "blockers": REFUND_BLOCKER,
    }
    # Everything answered: a plain DM is a question again.
    assert "Customer Service" in slack.say(FELIX, "who handles returns?")

    # At the report time the run closes and the IT digest carries the report with the routed blocker.
    clock.now = REPORT
    slack.tick()
    core = slack.runtime.core
    result = build_runner(core, SlackDigestPoster(slack.runtime.app.client, core.directory)).run(
        "it", REPORT.date()
    )
    assert result.result == "sent"
    [digest] = slack.posts_to("#it-dev")
    shown = texts(digest)
    assert "fixed the cart bug" in shown and "release prep and the deploy checklist" in shown
    assert "Away today: Greta Holm" in shown
    blocks = json.loads(digest["blocks"]) if isinstance(digest["blocks"], str) else digest["blocks"]
    [button] = [
        b["accessory"] for b in blocks if (b.get("accessory") or {}).get("action_id") == ESCALATE_ACTION
    ]
    assert button["text"]["text"] == "Escalate to Customer Service"
    message = {"channel": "CITDEV", "ts": "1700000000.000099", "blocks": blocks, "text": digest["text"]}

    # Someone outside both teams may not escalate it (told in her language, Swedish).
    slack.click_blocker(button["value"], message, "U0CECIL")
    [refusal] = fake.calls("chat.postEphemeral")
    assert refusal["user"] == "U0CECIL" and refusal["text"].startswith("Bara medlemmar i IT")
    assert slack.escalation_count() == 0

    # A double click creates one escalation, for Customer Service.
    slack.click_blocker(button["value"], message, FELIX)
    slack.click_blocker(button["value"], message, FELIX)
    escalations = core.service.list(ListFilter(scope="all"))
    assert [(e.ref, e.team, e.summary) for e in escalations] == [
        ("ESC-1", "customer-service", REFUND_BLOCKER)
    ]
    confirmations = [c["text"] for c in fake.calls("chat.postEphemeral")[1:]]
    assert confirmations == [
        "Blocker escalated to Customer Service as ESC-1.",
        "This blocker was already escalated as ESC-1.",
    ]
    assert [c for c in slack.posts_to("#customer-service") if "ESC-1" in texts(c)]  # carded in its channel
    update = fake.calls("chat.update")[0]
    assert (update["channel"], update["ts"]) == ("CITDEV", "1700000000.000099")
    assert ESCALATE_ACTION not in texts(update) and "escalated as ESC-1" in texts(update)
    slack.close()


def test_answers_after_the_report_are_refused_and_nobody_is_asked_after_it(
    tmp_path: Path, fake: FakeSlackApi
) -> None:
    clock = Clock(ASK)
    slack = Slack(tmp_path / "rolebot.db", fake, clock)
    slack.tick()
    clock.now = REPORT + timedelta(minutes=1)
    slack.tick()
    # The report is out: a plain DM is a question again, and the standup says it is closed.
    assert "Customer Service" in slack.say(FELIX, "who handles returns?")
    assert "has been posted" in slack.say(FELIX, "standup today: too late")
    slack.close()


def test_a_refused_dm_is_sent_again_on_the_next_tick(tmp_path: Path, fake: FakeSlackApi) -> None:
    clock = Clock(ASK)
    slack = Slack(tmp_path / "rolebot.db", fake, clock)
    fake.fail("chat.postMessage", "ratelimited", times=1)
    slack.tick()
    assert len(fake.calls("chat.postMessage")) == 2  # one refused, one delivered
    clock.advance(minutes=1)
    slack.tick()
    delivered = fake.calls("chat.postMessage")
    assert len(delivered) == 3 and sorted(c["channel"] for c in delivered[1:]) == ["D0FELIX", "D0GRETA"]
    slack.close()


def test_the_prompter_raises_for_people_without_a_slack_id(fake: FakeSlackApi) -> None:
    from slack_sdk import WebClient

    prompter = SlackStandupPrompter(WebClient(token="xoxb-test", base_url=fake.api_url))
    with pytest.raises(NoSlackAccount):
        prompter.ask(Person("zoe", "Zoe"), "it", "What did you get done yesterday?", "en")
    assert fake.calls("chat.postMessage") == []
    prompter.remind(Person("felix", "Felix Ek", slack=FELIX), "it", "Reminder", "en")
    assert [c["channel"] for c in fake.calls("chat.postMessage")] == ["D0FELIX"]


def test_escalated_blocks_swap_only_the_clicked_button() -> None:
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "a"},
            "accessory": {"action_id": ESCALATE_ACTION, "value": "SB1-aaaaaaaaaa"},
        },
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "b"},
            "accessory": {"action_id": ESCALATE_ACTION, "value": "SB1-bbbbbbbbbb"},
        },
    ]
    updated = escalated_blocks(blocks, "SB1-bbbbbbbbbb", "escalated as ESC-2")
    assert updated is not None and "accessory" in updated[0] and "accessory" not in updated[1]
    assert updated[1]["text"]["text"] == "b\nescalated as ESC-2"
    assert "accessory" in blocks[1]  # the input is left alone
    assert escalated_blocks(blocks, "SB9-cccccccccc", "x") is None
