"""The escalation reaction on Slack, end to end: signed reaction_added events, the fake Web API, SQLite."""

from __future__ import annotations

from pathlib import Path

from slack_fake_api import FakeSlackApi
from slack_harness import SlackHarness, texts

from bot.escalations.models import ListFilter

HELP = "C0HELPDESK"  # listen.channels.help-desk in the bundled directory: reactions on, emoji ticket
IT_HELP = "C0ITHELP"  # listen.channels.it-help: reactions on, emoji sos
ROOT_TS = "1700000300.000300"
RETURNS = "The returns portal rejects every refund request since this morning, can someone look?"


def react(
    slack: SlackHarness,
    *,
    user: str = "U0BO",
    channel: str = HELP,
    ts: str = ROOT_TS,
    reaction: str = "ticket",
    item_user: str = "U0HUGO",
    **kwargs: object,
) -> None:
    event = {
        "user": user,
        "reaction": reaction,
        "item_user": item_user,
        "item": {"type": "message", "channel": channel, "ts": ts},
    }
    status, _ = slack.event(event, name="event_reaction_added", **kwargs)  # type: ignore[arg-type]
    assert status == 200
    slack.settle()


def thread_posts(slack: SlackHarness, channel: str = HELP) -> list[dict]:
    return [c for c in slack.posts_to(channel) if c.get("thread_ts")]


def test_reaction_opens_one_escalation_with_link_and_thread_and_confirms_in_thread(
    slack: SlackHarness,
) -> None:
    slack.fake.post_message(HELP, ts=ROOT_TS, user="U0HUGO", text=RETURNS)
    slack.fake.post_message(
        HELP, ts="1700000301.000301", thread_ts=ROOT_TS, user="U0ADA", text="Same here for order 4411"
    )
    react(slack)
    [esc] = slack.runtime.core.service.list(ListFilter(scope="all"))
    assert esc.team == "customer-service"
    assert (esc.requester.platform, esc.requester.user_id) == ("slack", "U0BO")  # the person reacting
    assert esc.summary == RETURNS
    link = f"https://example.slack.com/archives/{HELP}/p1700000300000300"
    assert esc.message_link == link
    assert link in esc.details and "Ada Lind: Same here for order 4411" in esc.details
    assert f"Hugo Sand: {RETURNS}" in esc.details  # directory names, readable on Teams too
    [confirm] = thread_posts(slack)
    assert confirm["thread_ts"] == ROOT_TS
    assert "ESC-1" in confirm["text"] and "<@U0BO>" in confirm["text"]
    assert "Customer Service" in confirm["text"]
    card = slack.posts_to("#customer-service")
    assert card and "ESC-1" in texts(card[0])  # the team's card, as for any escalation


def test_second_reaction_second_person_retry_and_restart_do_nothing(
    slack: SlackHarness, tmp_path: Path
) -> None:
    slack.fake.post_message(HELP, ts=ROOT_TS, user="U0HUGO", text=RETURNS)
    react(slack, event_id="EvFIRST")
    react(slack, event_id="EvFIRST", retry=1)  # Slack retrying the same delivery
    react(slack, user="U0ADA")  # a second person
    react(slack)  # the same person again (after removing and adding it)
    assert slack.escalation_count() == 1
    assert len(thread_posts(slack)) == 1
    # A restarted process (new app, same database) still knows the message was escalated.
    fake = FakeSlackApi().start()
    try:
        fake.post_message(HELP, ts=ROOT_TS, user="U0HUGO", text=RETURNS)
        restarted = SlackHarness(tmp_path / "rolebot.db", fake)
        try:
            react(restarted, user="U0DAAN")
            assert restarted.escalation_count() == 1
            assert fake.calls("chat.postMessage") == []
        finally:
            restarted.close()
    finally:
        fake.stop()


def test_reactions_by_the_bot_or_on_bot_messages_do_nothing(slack: SlackHarness) -> None:
    slack.fake.post_message(HELP, ts=ROOT_TS, user="U0HUGO", text=RETURNS)
    slack.fake.post_message(HELP, ts="1700000500.000500", bot_id="BBOT", user="UBOT", text=RETURNS)
    react(slack, user="UBOT")  # the bot's own reaction
    react(slack, ts="1700000500.000500", item_user="UBOT")  # on the bot's message
    react(slack, ts="1700000500.000500", item_user="")  # on a bot post whose author Slack left out
    assert slack.escalation_count() == 0
    assert slack.fake.calls("chat.postMessage") == [] and slack.fake.calls("chat.postEphemeral") == []


def test_only_opted_in_channels_and_their_own_emoji(slack: SlackHarness) -> None:
    for channel, ts in ((HELP, ROOT_TS), ("C0GENERAL", "1700000600.000600"), (IT_HELP, "1700000700.000700")):
        slack.fake.post_message(channel, ts=ts, user="U0HUGO", text=RETURNS)
    react(slack, channel="C0GENERAL", ts="1700000600.000600")  # not in the directory's listen:
    react(slack, reaction="thumbsup")  # not the escalation emoji
    react(slack, channel=IT_HELP, ts="1700000700.000700")  # it-help escalates with sos, not ticket
    assert slack.escalation_count() == 0
    react(slack, channel=IT_HELP, ts="1700000700.000700", reaction="sos::skin-tone-2")
    assert slack.escalation_count() == 1
    assert [c["thread_ts"] for c in thread_posts(slack, IT_HELP)] == ["1700000700.000700"]


def test_reaction_on_a_reply_escalates_it_and_confirms_in_its_thread(slack: SlackHarness) -> None:
    slack.fake.post_message(HELP, ts=ROOT_TS, user="U0ADA", text="Morning all, quick one about stock")
    slack.fake.post_message(
        HELP,
        ts="1700000302.000302",
        thread_ts=ROOT_TS,
        user="U0HUGO",
        text="The stock count for SKU 1234 in the warehouse is wrong, who can recount it?",
    )
    react(slack, ts="1700000302.000302")
    [esc] = slack.runtime.core.service.list(ListFilter(scope="all"))
    assert esc.team == "warehouse" and "Morning all" in esc.details  # the whole thread as details
    assert [c["thread_ts"] for c in thread_posts(slack)] == [ROOT_TS]


def test_a_message_no_team_matches_gets_a_private_hint_and_no_escalation(slack: SlackHarness) -> None:
    slack.fake.post_message(HELP, ts=ROOT_TS, user="U0HUGO", text="Anyone up for fika at three?")
    react(slack)
    assert slack.escalation_count() == 0
    [hint] = slack.fake.calls("chat.postEphemeral")
    assert hint["user"] == "U0BO" and "Escalate this message" in hint["text"]
    assert thread_posts(slack) == []  # nothing said in the thread
