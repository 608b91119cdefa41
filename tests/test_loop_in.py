"""Who else to loop in, end to end: answers name the coordinating team in every language (Slack and
Teams), and the escalation card's "Loop in" button makes that team a watcher that gets the same updates."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from slack_fake_api import channel_id
from slack_harness import SlackHarness, button, texts
from teams_fake_connector import teams_harness

from bot.escalations.models import ListFilter

QUESTIONS = {
    "en": ("who puts returned goods back in stock?", "Loop in Warehouse as well"),
    "sv": ("Vem hanterar lagret för returnerade varor?", "Ta med Lager också"),
    "nl": ("Wie zorgt dat geretourneerde goederen terug in de voorraad komen?", "Betrek ook Magazijn erbij"),
    "ko": ("반품된 상품 재입고는 누가 챙기나요?", "물류창고팀도 함께 참여시키세요"),
    "zh-TW": ("退貨重新入庫由誰處理？", "也請一併通知倉儲團隊"),
}
CS, WAREHOUSE = channel_id("#customer-service"), channel_id("#warehouse")
CS_TEAMS = "19:customer-service@thread.tacv2"


@pytest.mark.parametrize("language", sorted(QUESTIONS))
def test_slack_answer_says_whom_to_loop_in_and_why(slack: SlackHarness, language: str) -> None:
    question, loop_in = QUESTIONS[language]
    assert slack.dm(question)[0] == 200
    answer = slack.fake.wait_for("chat.postMessage")[0]
    assert loop_in in texts(answer)  # in the blocks; the notification text is the headline


def test_slack_answer_without_a_coordinating_responsibility_names_nobody(slack: SlackHarness) -> None:
    assert slack.dm("Who writes the copy for the product pages?")[0] == 200
    answer = slack.fake.wait_for("chat.postMessage")[0]
    assert "Loop in" not in texts(answer)


def test_slack_card_offers_the_team_and_the_watcher_gets_the_same_updates(slack: SlackHarness) -> None:
    assert slack.command("/escalate", "customer-service returned items are not back in stock")[0] == 200
    slack.settle()
    [card] = slack.posts_to("#customer-service")
    loop_in = button(card["blocks"], "escalation_loop_in")
    assert "Magazijn" in loop_in["text"]["text"]  # the card speaks the team's language (nl)
    assert json.loads(loop_in["value"])["team"] == "warehouse"
    slack.click(loop_in["action_id"], loop_in["value"], user="U0DAAN", channel=CS)
    slack.settle()
    [watcher_card] = slack.posts_to("#warehouse")
    assert "ESC-1" in texts(watcher_card) and "escalation_loop_in" not in texts(watcher_card)
    [confirm] = slack.fake.calls("chat.postEphemeral")
    assert "Magazijn volgt nu ESC-1" in confirm["text"]  # Daan reads Dutch
    slack.click(loop_in["action_id"], loop_in["value"], user="U0ADA", channel=CS)  # again: nothing new
    slack.settle()
    assert len(slack.posts_to("#warehouse")) == 1
    assert "already watching" in slack.fake.calls("chat.postEphemeral")[-1]["text"]
    before = len(slack.fake.calls("chat.update"))
    slack.click("escalation_ack", "1", user="U0DAAN", channel=CS)
    slack.settle()
    updated = {c["channel"] for c in slack.fake.calls("chat.update")[before:]}
    assert updated == {CS, WAREHOUSE}  # the watcher's card follows the escalation like the team's


async def _teams_loop_in(db: Path) -> None:
    async with teams_harness(db) as h:
        await h.post(h.activity("conversation_update_team_install"))
        await h.post(h.activity("message_personal", text=QUESTIONS["ko"][0], id="1700000000077"))
        answer = h.fake.calls[-1].card
        assert any(QUESTIONS["ko"][1] in block.get("text", "") for block in answer["body"])  # the answer
        await h.post(
            h.activity(
                "message_personal", text="escalate customer-service returned items are not back in stock"
            )
        )
        await h.settle()
        cards = [
            c for c in h.fake.calls if c.card and c.conversation_id == "19:customer-service@thread.tacv2"
        ]
        loop_in = [a for a in cards[-1].card["actions"] if a.get("data", {}).get("rolebot") == "loop_in"]
        assert [a["data"]["team"] for a in loop_in] == ["warehouse"]
        submit = h.activity("card_submit_ack_channel", value=loop_in[0]["data"])
        await h.post(submit)
        await h.settle()
        [confirm] = [c for c in h.fake.calls if c.kind == "reply" and c.activity_id == submit["id"]]
        assert "Magazijn volgt nu ESC-1" in confirm.body["text"]  # Daan, in Dutch
        watcher = [c for c in h.fake.calls if c.card and c.conversation_id == "19:warehouse@thread.tacv2"]
        assert len(watcher) == 1 and watcher[0].kind == "send"
        await h.post(h.activity("card_submit_ack_channel", id="1700000000901"))
        await h.settle()
        updates = {c.conversation_id for c in h.fake.calls if c.kind == "update"}
        assert {"19:customer-service@thread.tacv2", "19:warehouse@thread.tacv2"} <= updates
        assert [e.ref for e in h.core.service.list(ListFilter(scope="all"))] == ["ESC-1"]


def test_teams_card_loop_in_makes_the_team_a_watcher(tmp_path: Path) -> None:
    asyncio.run(_teams_loop_in(tmp_path / "rolebot.db"))
