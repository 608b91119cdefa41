"""Standups on Teams over real HTTP: asked in a personal chat through the fake connector, answered there,
reported in the team digest card, blockers escalated by Action.Submit, and a restart in the middle."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from standup_fixtures import ASK, REMIND, REPORT, Clock
from teams_fake_connector import Harness, teams_harness

from bot.directory import Person
from bot.escalations.models import ListFilter
from bot.scheduler import build_runner
from bot.standup.render import ESCALATE_ACTION
from bot.standup.schedule import StandupScheduler
from handlers.teams.digest_poster import TeamsDigestPoster
from handlers.teams.server import BRIDGE, NOTIFIER, REFS
from handlers.teams.standup import NotDelivered, TeamsStandupPrompter

IT_CHANNEL = "19:it@thread.tacv2"
REFUND_BLOCKER = "the customer refund for order 1234 is stuck waiting on a returns decision"
_ids = itertools.count(1)


def use_clock(h: Harness, clock: Clock) -> None:
    h.core.service.clock = clock
    h.core.standup.clock = clock


async def tick(h: Harness, now: datetime) -> None:
    # The scheduler runs in its own thread; the prompter hands each send to the server's loop.
    await asyncio.to_thread(StandupScheduler(h.core.standup).run_due, now)


def personal(h: Harness, user: str, conversation: str, text: str) -> dict[str, Any]:
    return h.activity(
        "message_personal",
        id=f"17{next(_ids):011d}",
        text=text,
        **{
            "from": {"id": f"29:{user}", "name": user.title()},
            "conversation": {"conversationType": "personal", "id": conversation},
        },
    )


async def say(h: Harness, user: str, conversation: str, text: str) -> str:
    """A personal-chat message to the bot; returns the text (or card summary) of its reply."""
    before = len(h.fake.calls)
    assert (await h.post(personal(h, user, conversation, text))).status == 200
    [reply] = [c for c in h.fake.calls[before:] if c.kind == "reply"]
    assert reply.conversation_id == conversation
    return str(reply.body.get("text") or reply.body.get("summary") or "")


def answers(h: Harness, person: str) -> dict[str, str]:
    run = h.core.standup.store.run("it", ASK.date())
    return {a.question: a.text for a in h.core.standup.store.answers(run.id, person)}


def blocker_submit(h: Harness, user: str, key: str) -> dict[str, Any]:
    activity = h.activity(
        "card_submit_ack_channel",
        id=f"17{next(_ids):011d}",
        value={"action": ESCALATE_ACTION, "blocker": key},
        locale="en-US",
    )
    activity["from"] = {"id": f"29:{user}", "name": user.title()}
    activity["conversation"]["id"] = f"{IT_CHANNEL};messageid=msg-digest"
    activity["channelData"].update(channel={"id": IT_CHANNEL}, team={"id": IT_CHANNEL})
    return activity


async def first_half(db: Path, clock: Clock) -> dict[str, str]:
    """Install, ask, first answers, a channel question, a skip. Returns person -> personal chat id."""
    async with teams_harness(db) as h:
        use_clock(h, clock)
        assert (await h.post(h.activity("conversation_update_team_install"))).status == 200
        await tick(h, ASK)
        creates = h.fake.of_kind("create")
        assert sorted(c.body["members"][0]["id"] for c in creates) == ["29:felix", "29:greta"]
        chats = {c.body["members"][0]["id"].removeprefix("29:"): str(c.response_id) for c in creates}
        for chat in chats.values():
            [question] = [c for c in h.fake.to(chat) if c.kind == "send"]
            assert "Standup for IT" in question.body["text"]
            assert "What did you get done yesterday?" in question.body["text"]
        await tick(h, ASK.replace(minute=31))
        assert len(h.fake.of_kind("create")) == 2  # nobody is asked twice
        assert [len(h.fake.to(chat)) for chat in chats.values()] == [1, 1]

        reply_text = await say(h, "felix", chats["felix"], "fixed the cart bug")
        assert "Next: What are you working on today?" in reply_text
        # A channel mention during the standup is a question, never an answer.
        mention = h.activity(
            "message_channel_mention",
            text="<at>rolebot</at> who handles returns?",
            locale="en-US",
            **{"from": {"id": "29:felix", "name": "Felix Ek"}},
        )
        assert (await h.post(mention)).status == 200
        reply = h.fake.calls[-1]
        assert reply.kind == "reply" and reply.card is not None
        assert reply.card["body"][0]["text"] == "Customer Service is accountable for this."
        assert answers(h, "felix") == {"yesterday": "fixed the cart bug"}
        assert "away" in await say(h, "greta", chats["greta"], "standup skip")
        assert "Customer Service" in await say(h, "greta", chats["greta"], "who handles returns?")
        return chats


async def second_half(db: Path, clock: Clock, chats: dict[str, str]) -> None:
    """After a restart: nobody asked again, the reminder, more answers, the digest and its button."""
    async with teams_harness(db) as h:
        use_clock(h, clock)
        await tick(h, ASK.replace(minute=40))
        assert h.fake.calls == []  # a restarted process asks nobody again
        assert answers(h, "felix") == {"yesterday": "fixed the cart bug"}  # and lost nothing
        # (The fake connector moved with the restart: the team's channels are seen there again.)
        assert (await h.post(h.activity("conversation_update_team_install"))).status == 200

        assert "Next: Is anything blocking you?" in await say(h, "felix", chats["felix"], "release prep")
        clock.now = REMIND
        before = len(h.fake.calls)
        await tick(h, REMIND)
        [reminder] = h.fake.calls[before:]  # in Felix's stored personal chat; not Greta, who is away
        assert reminder.kind == "send" and reminder.conversation_id == chats["felix"]
        assert "Reminder" in reminder.body["text"] and "Is anything blocking you?" in reminder.body["text"]
        assert "that is everything" in await say(h, "felix", chats["felix"], REFUND_BLOCKER)
        await say(h, "felix", chats["felix"], "today: release prep and the deploy checklist")
        assert answers(h, "felix") == {
            "yesterday": "fixed the cart bug",
            "today": "release prep and the deploy checklist",
            "blockers": REFUND_BLOCKER,
        }

        clock.now = REPORT
        await tick(h, REPORT)
        loop = asyncio.get_running_loop()
        poster = TeamsDigestPoster(h.app[BRIDGE], h.app[REFS], h.core.directory, loop=loop)
        result = await asyncio.to_thread(build_runner(h.core, poster).run, "it", REPORT.date())
        assert result.result == "sent"
        [digest] = [c for c in h.fake.to(IT_CHANNEL) if c.kind == "send"]
        card = str(digest.card)
        assert "release prep and the deploy checklist" in card and "Greta Holm" in card
        [data] = list(submit_data(digest.card))
        key = data["blocker"]

        before = len(h.fake.calls)
        for user in ("cecilia", "felix", "felix"):
            assert (await h.post(blocker_submit(h, user, key))).status == 200
        await h.settle()
        replies = [c.body["text"] for c in h.fake.calls[before:] if c.kind == "reply"]
        assert replies == [
            "Only members of IT and admins can see its standup.",
            "Blocker escalated to Customer Service as ESC-1.",
            "This blocker was already escalated as ESC-1.",
        ]
        escalations = h.core.service.list(ListFilter(scope="all"))
        assert [(e.ref, e.team, e.summary) for e in escalations] == [
            ("ESC-1", "customer-service", REFUND_BLOCKER)
        ]
        carded = [c for c in h.fake.to("19:customer-service@thread.tacv2") if c.kind == "send" and c.card]
        assert len(carded) == 1


def submit_data(card: Any) -> Iterator[dict[str, Any]]:
    """Every Action.Submit's data in a card (nested containers and action sets included)."""
    if isinstance(card, dict):
        if card.get("type") == "Action.Submit" and card.get("data", {}).get("action") == ESCALATE_ACTION:
            yield card["data"]
        for value in card.values():
            yield from submit_data(value)
    elif isinstance(card, list):
        for item in card:
            yield from submit_data(item)


def test_standup_on_teams_from_question_to_escalated_blocker(tmp_path: Path) -> None:
    clock = Clock(ASK)
    db = tmp_path / "rolebot.db"
    chats = asyncio.run(first_half(db, clock))
    asyncio.run(second_half(db, clock, chats))


async def _prompter_refuses(db: Path) -> None:
    async with teams_harness(db) as h:
        prompter = TeamsStandupPrompter(h.app[NOTIFIER].chats)
        felix = Person("felix", "Felix Ek", ms_teams="29:felix")
        # No Teams service seen yet: nothing can be sent, so the service will ask again later.
        try:
            await asyncio.to_thread(prompter.ask, felix, "it", "What did you get done yesterday?", "en")
        except NotDelivered:
            pass
        else:
            raise AssertionError("asking without any known Teams service must raise")
        try:
            await asyncio.to_thread(prompter.ask, Person("zoe", "Zoe"), "it", "question", "en")
        except NotDelivered as exc:
            assert "zoe" in str(exc)
        else:
            raise AssertionError("a person without a Teams id must raise")
        assert h.fake.calls == []


def test_the_prompter_raises_when_it_cannot_send(tmp_path: Path) -> None:
    asyncio.run(_prompter_refuses(tmp_path / "rolebot.db"))
