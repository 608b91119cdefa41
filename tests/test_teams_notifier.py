"""TeamsNotifier over real HTTP: cards updated in place, reassignments, level bumps, failures, threads."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from teams_fake_connector import Harness, run_teams

from bot.storage.sqlite.outbox import STATES, SqliteOutbox
from handlers.teams.server import NOTIFIER

CS = "19:customer-service@thread.tacv2"
WAREHOUSE = "19:warehouse@thread.tacv2"


async def _open_escalation(h: Harness) -> None:
    """Install in Customer Service, then Bo escalates from the answer card."""
    await h.post(h.activity("conversation_update_team_install"))
    await h.post(h.activity("message_personal"))
    await h.post(h.activity("card_submit_escalate"))
    await h.settle()


def test_reassign_updates_the_old_card_and_posts_in_the_new_channel(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await _open_escalation(h)
        [posted] = [c for c in h.fake.to(CS) if c.kind == "send" and c.card]
        start = len(h.fake.calls)
        reassign = h.activity(
            "card_submit_ack_channel",
            id="reassign-1",
            value={"rolebot": "reassign", "ref": "ESC-1", "team": "warehouse"},
        )
        await h.post(reassign)
        await h.settle()
        calls = h.fake.calls[start:]
        [old] = [c for c in calls if c.kind == "update"]
        assert (old.conversation_id, old.activity_id) == (CS, posted.response_id)
        # The warehouse channel was never seen: it is addressed on the known service, in Korean.
        [new] = [c for c in calls if c.conversation_id == WAREHOUSE]
        assert new.kind == "send" and new.card["actions"][0]["title"] == "확인"
        [dm] = [c for c in calls if c.conversation_id == "a:personal-bo"]
        assert "moved your escalation ESC-1" in dm.body["text"] and "Warehouse" in dm.body["text"]
        assert h.core.service.get("ESC-1").team == "warehouse"

    run_teams(tmp_path / "r.db", test)


def test_bump_notifies_the_next_level_in_a_new_chat(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await _open_escalation(h)
        start = len(h.fake.calls)
        admin = h.core.assistant.actor_for("teams", "29:ada")
        outcome = h.core.service.bump("ESC-1", admin)
        assert outcome.notify_level == 1
        await h.settle()
        calls = h.fake.calls[start:]
        # Level 1 of the chain is role:lead -> Daan, whom the bot never chatted with: a 1:1 chat is created.
        [create] = [c for c in calls if c.kind == "create"]
        assert create.body["members"] == [{"id": "29:daan"}] and create.body["isGroup"] is False
        assert create.body["channelData"] == {"tenant": {"id": "72f988bf-0000-4000-8000-00000000aaaa"}}
        [lead_message] = h.fake.to(create.response_id)
        assert "ESC-1" in lead_message.body["summary"] and lead_message.card is not None
        assert any(c.kind == "update" and c.conversation_id == CS for c in calls)
        [dm] = [c for c in calls if c.conversation_id == "a:personal-bo"]
        assert "level 2" in dm.body["text"]
        # The new chat is remembered: the next message to Daan reuses it.
        await h.app[NOTIFIER].direct_message("29:daan", {"type": "message", "text": "again"})
        assert h.fake.calls[-1].conversation_id == create.response_id

    run_teams(tmp_path / "r.db", test)


def test_a_failing_connector_does_not_stop_later_deliveries(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        h.fake.fail_next = 100  # every retry botbuilder and the outbox make fails too
        actor = h.core.assistant.actor_for("teams", "29:bo")
        h.core.service.create(actor, "parcel lost", team="customer-service")
        await h.settle()
        rows = SqliteOutbox(h.core.stores.health.db).listing(STATES)
        [card] = [r for r in rows if r.platform == "teams" and r.kind == "card"]
        assert (card.state, card.attempts) == ("failed", 3)  # the first try and two retries
        [told] = [r for r in rows if r.platform == "teams" and r.kind == "requester"]
        assert told.state == "skipped"  # never "sent to the team" when it was not
        assert h.core.service.get("ESC-1").state.value == "open"  # the escalation itself is kept
        h.fake.fail_next = 0
        h.core.service.create(actor, "parcel damaged", team="customer-service")
        await h.settle()
        assert [c.card["body"][0]["text"] for c in h.fake.to(CS) if c.card] == ["ESC-2: parcel damaged"]

    run_teams(tmp_path / "r.db", test)


def test_notifications_from_another_thread_are_delivered(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        actor = h.core.assistant.actor_for("teams", "29:bo")
        worker = threading.Thread(
            target=h.core.service.create,
            args=(actor, "returns label printer down"),
            kwargs={"team": "customer-service"},
        )
        worker.start()
        await asyncio.to_thread(worker.join)
        await asyncio.sleep(0)  # let call_soon_threadsafe run
        await h.settle()
        assert [c.card["body"][0]["text"] for c in h.fake.to(CS) if c.card] == [
            "ESC-1: returns label printer down"
        ]

    run_teams(tmp_path / "r.db", test)


def test_requesters_on_other_platforms_get_no_teams_dm(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        slack_user = h.core.assistant.actor_for("slack", "U0BO")
        daan = h.core.assistant.actor_for("teams", "29:daan")
        h.core.service.create(slack_user, "refund stuck", team="customer-service")
        h.core.service.acknowledge("ESC-1", daan)
        await h.settle()
        assert {c.conversation_id for c in h.fake.calls} == {CS}
        assert [c.kind for c in h.fake.calls] == ["send", "send", "update"]  # welcome, card, card update

    run_teams(tmp_path / "r.db", test)
