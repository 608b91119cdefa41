"""Request channels on Slack, end to end: signed message.channels events, answers in the thread, silence."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from slack_harness import SlackHarness, button, texts

HELP = "C0HELPDESK"  # listen.channels.help-desk: requests on, owner ada (U0ADA)
IT_HELP = "C0ITHELP"  # listen.channels.it-help: the it team's (owner felix, U0FELIX)
STREAM = Path(__file__).parent / "data" / "request_channel_stream.jsonl"
_ts = itertools.count(1)


def say(slack: SlackHarness, text: str, *, channel: str = HELP, user: str = "U0HUGO", **event: object) -> str:
    """A new top-level message in `channel`; returns its ts."""
    ts = str(event.pop("ts", f"1700001{next(_ts):03d}.000100"))
    body = {"text": text, "user": user, "channel": channel, "ts": ts, "event_ts": ts, **event}
    assert slack.event(body, name="event_message_channel")[0] == 200
    return ts


def answers_in(slack: SlackHarness, channel: str = HELP) -> list[dict]:
    slack.settle()
    return [c for c in slack.posts_to(channel) if c.get("thread_ts")]


def routed_team(call: dict) -> str:
    return str(json.loads(button(call["blocks"], "answer_escalate")["value"])["team"])


def test_a_question_gets_one_answer_in_its_thread(slack: SlackHarness) -> None:
    ts = say(slack, "Who handles refunds for a customer whose parcel came back?")
    [answer] = answers_in(slack)
    assert answer["thread_ts"] == ts and routed_team(answer) == "customer-service"
    assert "Customer Service" in texts(answer)  # the same answer card as a mention


def test_chatter_thanks_links_and_unsure_questions_get_no_answer(slack: SlackHarness) -> None:
    for text in (
        "good morning everyone",  # the router alone would send this to the warehouse
        "Great job on the campaign launch yesterday!",
        "Thanks for the help with the refund!",
        "https://example.com/blog/new-spring-collection",
        ":tada: :tada:",
        "Reminder: please submit your expense reports by Friday",
        "Does anyone know where the spare office keys are?",  # a question no team owns
    ):
        say(slack, text)
    assert answers_in(slack) == []
    assert slack.fake.calls("chat.postEphemeral") == []


def test_replies_edits_bots_mentions_and_other_channels_get_no_answer(slack: SlackHarness) -> None:
    question = "Who handles refunds for a customer whose parcel came back?"
    root = say(slack, question)
    assert len(answers_in(slack)) == 1
    say(slack, "Who packs the orders from the web shop?", thread_ts=root)  # a reply in the thread
    edited = {"text": question + " (edited)", "ts": root}
    say(slack, question, subtype="message_changed", message=edited, ts="1700001900.000900")
    say(slack, question, subtype="bot_message", bot_id="B0OTHER")
    say(slack, f"<@UBOT> {question}")  # app_mention answers mentions, once
    say(slack, question, channel="C0GENERAL")  # not a request channel
    assert len(answers_in(slack)) == 1 and answers_in(slack, "C0GENERAL") == []


def test_the_same_thread_is_answered_once_even_when_redelivered(slack: SlackHarness) -> None:
    ts = say(slack, "Who handles refunds for a customer whose parcel came back?")
    say(slack, "Who handles refunds for a customer whose parcel came back?", ts=ts)  # a new event id
    assert len(answers_in(slack)) == 1


def test_owners_switch_the_channel_off_and_on(slack: SlackHarness) -> None:
    mention = {"channel": IT_HELP, "ts": "1700002000.000100"}
    question = "Who connects the web shop to the ERP system?"
    slack.event({**mention, "text": "<@UBOT> channel off", "user": "U0HUGO"}, name="event_app_mention")
    refused = answers_in(slack, IT_HELP)
    assert "Only this channel's owners" in refused[-1]["text"]
    slack.event({**mention, "text": "<@UBOT> channel off", "user": "U0FELIX"}, name="event_app_mention")
    assert "no longer answer" in answers_in(slack, IT_HELP)[-1]["text"]
    before = len(answers_in(slack, IT_HELP))
    say(slack, question, channel=IT_HELP)
    assert len(answers_in(slack, IT_HELP)) == before  # switched off: silent
    slack.event({**mention, "text": "<@UBOT> channel status", "user": "U0HUGO"}, name="event_app_mention")
    assert "switched off" in answers_in(slack, IT_HELP)[-1]["text"]
    slack.event({**mention, "text": "<@UBOT> channel on", "user": "U0ADA"}, name="event_app_mention")  # admin
    assert "again" in answers_in(slack, IT_HELP)[-1]["text"]  # settled: switched on before the next message
    ts = say(slack, question, channel=IT_HELP)
    [answer] = [c for c in answers_in(slack, IT_HELP) if c["thread_ts"] == ts]
    assert routed_team(answer) == "it"


def test_mixed_stream_of_200_messages(slack: SlackHarness) -> None:
    """Questions, requests, chatter, thanks and links in five languages, written for this test."""
    rows = [json.loads(line) for line in STREAM.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) == 200 and {r["lang"] for r in rows} == {"en", "sv", "nl", "ko", "zh-TW"}
    sent = {say(slack, row["text"], user="U0LARS"): row for row in rows}
    answered = {call["thread_ts"]: call for call in answers_in(slack)}
    asks = [ts for ts, row in sent.items() if row["kind"] in ("question", "request")]
    chatter = [ts for ts, row in sent.items() if row["kind"] not in ("question", "request")]
    right = [ts for ts in asks if ts in answered and routed_team(answered[ts]) == sent[ts]["team"]]
    answered_asks = [ts for ts in asks if ts in answered]
    answered_chatter = [ts for ts in chatter if ts in answered]
    assert len(asks) >= 100 and len(chatter) >= 80
    assert len(right) / len(answered_asks) >= 0.95, [
        sent[ts]["text"] for ts in answered_asks if ts not in right
    ]
    assert len(answered_chatter) / len(chatter) <= 0.02, [sent[ts]["text"] for ts in answered_chatter]
    assert len(answered_asks) / len(asks) >= 0.5  # silence is not the way to be right
