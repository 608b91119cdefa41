"""Whole-path Teams scenario over real HTTP: question -> card -> Escalate -> channel card -> Acknowledge."""

from __future__ import annotations

import asyncio
from pathlib import Path

from teams_fake_connector import teams_harness

from bot.escalations.models import ListFilter, State

CS_CHANNEL = "19:customer-service@thread.tacv2"


async def _scenario(db: Path) -> None:
    async with teams_harness(db) as h:
        # The bot is installed in the Customer Service team: its channel reference is stored.
        assert (await h.post(h.activity("conversation_update_team_install"))).status == 200
        welcome = h.fake.calls[-1]
        assert welcome.conversation_id == CS_CHANNEL and "Noem mij" in welcome.body["text"]

        # 1. A question in personal chat gets an answer card with Escalate / Wrong team?
        # (the stock side of returns, which the warehouse is involved in)
        asked = h.activity("message_personal", text="who puts returned goods back in stock?")
        assert (await h.post(asked)).status == 200
        answer = h.fake.calls[-1]
        assert (answer.kind, answer.conversation_id, answer.activity_id) == (
            "reply",
            "a:personal-bo",
            "1700000000001",
        )
        facts = {f["title"]: f["value"] for f in answer.card["body"][1]["facts"]}
        assert facts["Team"] == "Customer Service"
        assert "Daan de Vries" in facts["Contact"]
        assert answer.action_names() == ["escalate", "wrong_team"]
        escalate_data = answer.card["actions"][0]["data"]

        # 2. Pressing Escalate (Action.Submit) opens ESC-1 for Customer Service.
        submit = h.activity("card_submit_escalate", value=escalate_data, replyToId="msg-1")
        assert (await h.post(submit)).status == 200
        await h.settle()
        created = h.core.service.list(ListFilter(scope="all"))
        assert [(e.ref, e.team, e.state) for e in created] == [("ESC-1", "customer-service", State.OPEN)]
        confirmation = [c for c in h.fake.to("a:personal-bo") if c.activity_id == "1700000000400"]
        assert confirmation and "ESC-1" in confirmation[0].body["text"]

        # 3. The escalation card is posted to the team's channel (in the team's language, Dutch).
        posted = [c for c in h.fake.to(CS_CHANNEL) if c.kind == "send" and c.card]
        assert len(posted) == 1
        card = posted[0].card
        assert card["body"][0]["text"].startswith("ESC-1")
        assert [a["title"] for a in card["actions"]] == [
            "Bevestigen",
            "Oplossen",
            "Overdragen",
            "Betrek Magazijn erbij",  # returns involve the warehouse: who else to loop in
        ]
        calls_before_ack = len(h.fake.calls)

        # 4. Daan presses Acknowledge on that card in the channel.
        assert (await h.post(h.activity("card_submit_ack_channel"))).status == 200
        await h.settle()
        new_calls = h.fake.calls[calls_before_ack:]
        update = [c for c in new_calls if c.kind == "update"]
        assert len(update) == 1 and update[0].conversation_id == CS_CHANNEL
        assert update[0].activity_id == posted[0].response_id  # the card is updated in place
        states = {f["title"]: f["value"] for f in update[0].card["body"][1]["facts"]}
        assert states["Status"] == "Bevestigd"
        assert "ack" not in update[0].action_names()

        # 5. The requester is told in their personal chat, and the acknowledger got a thread reply.
        dm = [c for c in new_calls if c.conversation_id == "a:personal-bo"]
        assert len(dm) == 1 and "Daan de Vries acknowledged your escalation ESC-1" in dm[0].body["text"]
        thread = [c for c in new_calls if c.kind == "reply"]
        assert thread and thread[0].conversation_id.startswith(CS_CHANNEL + ";messageid=")
        assert h.core.service.get("ESC-1").state is State.ACKNOWLEDGED


def test_question_escalate_acknowledge_notify(tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path / "rolebot.db"))
