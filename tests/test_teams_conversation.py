"""Teams conversation logic through botbuilder's TestAdapter: answers, pickers, corrections, commands."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount
from teams_fake_connector import build_teams_core, payload

from bot.i18n import t
from bot.storage.refs import LATEST
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.teams_refs import SqliteTeamsRefs
from handlers.teams.activities import clean_text
from handlers.teams.bot_adapter import ActivityBot, activity_json
from handlers.teams.turns import TeamsTurns


class Conversation:
    """A TestAdapter conversation with the real TeamsTurns over a real SQLite file."""

    def __init__(self, db: Path) -> None:
        self.core = build_teams_core(db)
        self.refs = SqliteTeamsRefs(open_database(db))
        self.bot = ActivityBot(TeamsTurns(self.core.assistant, self.refs))
        self.adapter = TestAdapter(self.bot.on_turn)
        self.replies: list[Activity] = []
        self._ids = 0

    async def send(
        self, text: str | None = None, value: dict[str, Any] | None = None, locale: str = "en-US"
    ) -> Activity:
        self._ids += 1
        activity = Activity(
            type=ActivityTypes.message,
            text=text,
            value=value,
            locale=locale,
            id=f"turn-{self._ids}",
            from_property=ChannelAccount(id="29:bo", name="Bo Chen"),
        )
        before = len(self.adapter.activity_buffer)
        await self.adapter.receive_activity(activity)
        new = self.adapter.activity_buffer[before:]
        assert len(new) == 1, [a.text for a in new]
        self.adapter.activity_buffer.clear()
        return new[0]


def card(activity: Activity) -> dict[str, Any]:
    return activity.attachments[0].content


def facts(activity: Activity) -> dict[str, str]:
    body = card(activity)["body"]
    fact_set = next(block for block in body if block["type"] == "FactSet")
    return {fact["title"]: fact["value"] for fact in fact_set["facts"]}


def test_question_gets_answer_card_and_reference_is_stored(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat = Conversation(tmp_path / "r.db")
        reply = await chat.send("who handles returns?")
        assert facts(reply)["Team"] == "Customer Service"
        actions = card(reply)["actions"]
        assert actions[0]["data"] == {
            "rolebot": "escalate",
            "question": "who handles returns?",
            "team": "customer-service",
            "language": "en",
        }
        assert chat.refs.reference(LATEST)["serviceUrl"] == "https://test.com"

    asyncio.run(scenario())


def test_out_of_scope_question_gets_honest_dont_know(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat = Conversation(tmp_path / "r.db")
        reply = await chat.send("what is the meaning of life?")
        assert card(reply)["body"][0]["text"].startswith("Sorry, I don't know")
        assert [a["data"]["rolebot"] for a in card(reply)["actions"]] == ["wrong_team"]

    asyncio.run(scenario())


def test_wrong_team_correction_is_stored_and_used_for_later_answers(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat = Conversation(tmp_path / "r.db")
        answer = await chat.send("who handles returns?")
        wrong_team = card(answer)["actions"][1]["data"]
        picker = await chat.send(value=wrong_team)
        choices = card(picker)["body"][2]["choices"]
        assert "customer-service" not in {c["value"] for c in choices}  # the routed team is not offered
        submit = {**card(picker)["actions"][0]["data"], "team": "warehouse"}
        thanks = await chat.send(value=submit)
        assert card(thanks)["body"][0]["text"].startswith("Thanks! Next time")
        assert facts(thanks)["Team"] == "Warehouse"
        again = await chat.send("who handles returns?")
        assert facts(again)["Team"] == "Warehouse"
        rows = chat.core.stores.health.db.execute(
            "SELECT corrected_team, platform FROM routing_feedback"
        ).fetchall()
        assert rows == [("warehouse", "teams")]

    asyncio.run(scenario())


def test_correction_to_unknown_team_is_refused_politely(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat = Conversation(tmp_path / "r.db")
        reply = await chat.send(
            value={"rolebot": "correct", "question": "who handles returns?", "team": "no-such-team"}
        )
        assert reply.text == "Please choose a team first."
        assert chat.core.stores.health.db.execute("SELECT count(*) FROM routing_feedback").fetchone() == (0,)

    asyncio.run(scenario())


def test_commands_and_escalation_card_buttons(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat = Conversation(tmp_path / "r.db")
        assert "escalate" in (await chat.send("help")).text
        created = await chat.send("escalate it laptop will not boot")
        assert "ESC-1" in created.text
        shown = await chat.send("show ESC-1")
        assert [a["title"] for a in card(shown)["actions"]] == ["Acknowledge", "Resolve", "Reassign"]
        refused = await chat.send(value={"rolebot": "ack", "ref": "ESC-1"})  # Bo is not in IT
        assert "ESC-1" in refused.text
        assert chat.core.service.get("ESC-1").state.value == "open"
        missing = await chat.send(value={"rolebot": "reassign", "ref": "ESC-1"})
        assert missing.text == "Please choose a team first."
        foreign = await chat.send("who handles returns?", value={"something": "else"})
        assert foreign.attachments  # a value that is not ours is treated as a normal message

    asyncio.run(scenario())


def test_localised_replies_follow_the_question_language(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat = Conversation(tmp_path / "r.db")
        korean = await chat.send("반품은 누가 처리하나요?", locale="en-US")
        wrong_team = card(korean)["actions"][1]["title"]
        assert wrong_team == t("ko", "button-wrong-team") != t("en", "button-wrong-team")
        assert card(korean)["actions"][0]["data"]["language"] == "ko"
        dutch = await chat.send("Wie behandelt retouren?", locale="nl-NL")
        assert card(dutch)["actions"][0]["data"]["language"] == "nl"

    asyncio.run(scenario())


def test_our_mention_stripping_agrees_with_turn_context() -> None:
    raw = payload("message_channel_mention", "https://example.invalid/")
    activity = Activity().deserialize(raw)
    ours = clean_text(raw["text"], activity_json(activity))
    TurnContext.remove_recipient_mention(activity)
    assert ours == activity.text.strip() == "vem hanterar returer?"
