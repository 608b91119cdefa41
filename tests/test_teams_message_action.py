"""Teams "Escalate this message", end to end: the invoke activities Teams sends, POSTed to /api/messages."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from teams_fake_connector import Harness, teams_harness

from bot.escalations.models import ListFilter
from handlers.teams.message_action import COMMAND_ID
from handlers.teams.package import manifest

WAREHOUSE = "19:warehouse@thread.tacv2"
LINK = "https://teams.microsoft.com/l/message/19:general@thread.tacv2/1700000000650"
APP_ID = "00000000-0000-4000-8000-0000000000aa"


async def invoke(h: Harness, name: str, activity_id: str, **changes: Any) -> tuple[int, Any]:
    activity = h.activity(name, id=activity_id)
    activity["value"].update(changes.pop("value", {}))
    activity.update(changes)
    response = await h.bot.post("/api/messages", json=activity)
    text = await response.text()
    return response.status, json.loads(text) if text else None


def card_inputs(body: dict[str, Any]) -> dict[str, Any]:
    assert body["task"]["type"] == "continue"
    card = body["task"]["value"]["card"]["content"]
    return {item["id"]: item for item in card["body"] if item.get("id")}


async def _fetch_and_submit(db: Path) -> None:
    async with teams_harness(db) as h:
        await h.post(h.activity("conversation_update_team_install"))  # the bot knows the service
        status, body = await invoke(h, "invoke_message_action_fetch", "f:1")
        assert status == 200
        inputs = card_inputs(body)
        assert inputs["summary"]["value"].startswith("The pallet delivery from our supplier")
        assert inputs["team"]["value"] == "warehouse"  # routed like a question, preselected
        assert body["task"]["value"]["title"] == "Escalate this message"

        status, body = await invoke(h, "invoke_message_action_submit", "f:2")
        assert status == 200 and body["task"]["type"] == "message"
        assert "ESC-1" in body["task"]["value"] and "Warehouse" in body["task"]["value"]
        await h.settle()
        [esc] = h.core.service.list(ListFilter(scope="all"))
        assert (esc.team, esc.priority, esc.summary) == (
            "warehouse",
            "P1",
            "Supplier pallets waiting at the dock since 8",
        )
        assert esc.requester.person_id == "bo" and esc.message_link == LINK
        assert "Hugo Sand: The pallet delivery" in esc.details and LINK in esc.details
        cards = [c for c in h.fake.calls if c.card and (c.conversation_id or "").startswith(WAREHOUSE)]
        assert len(cards) == 1 and cards[0].card["body"][0]["text"].startswith("ESC-1")

        # Submitting again, or someone else escalating the same message, opens nothing new.
        status, again = await invoke(h, "invoke_message_action_submit", "f:3")
        assert status == 200 and "already escalated as ESC-1" in again["task"]["value"]
        other = {"from": {"id": "29:ada", "name": "Ada Lind"}}
        status, again = await invoke(h, "invoke_message_action_submit", "f:4", **other)
        assert "already escalated as ESC-1" in again["task"]["value"]
        await h.settle()
        assert (
            len([c for c in h.fake.calls if c.card and (c.conversation_id or "").startswith(WAREHOUSE)]) == 1
        )
    async with teams_harness(db) as h:  # after a restart, on the same database
        status, again = await invoke(h, "invoke_message_action_submit", "f:5")
        assert "already escalated as ESC-1" in again["task"]["value"]
        assert len(h.core.service.list(ListFilter(scope="all"))) == 1


def test_escalate_this_message_prefills_opens_once_and_posts_the_card(tmp_path: Path) -> None:
    asyncio.run(_fetch_and_submit(tmp_path / "rolebot.db"))


async def _not_ours(db: Path) -> None:
    async with teams_harness(db) as h:
        status, body = await invoke(h, "invoke_message_action_fetch", "f:9", value={"commandId": "other"})
        assert status == 501  # not our command: unknown invokes get 501, as botbuilder's own handler does
        empty = {"messagePayload": {"id": "1700000000651", "body": {"contentType": "html", "content": ""}}}
        status, body = await invoke(h, "invoke_message_action_fetch", "f:10", value=empty)
        assert body["task"] == {"type": "message", "value": "That message has no text I can escalate."}
        assert h.core.service.list(ListFilter(scope="all")) == []


def test_other_commands_and_empty_messages_open_nothing(tmp_path: Path) -> None:
    asyncio.run(_not_ours(tmp_path / "rolebot.db"))


def test_app_manifest_packages_the_message_action_and_channel_messages_consent() -> None:
    data = manifest(APP_ID)
    [command] = data["composeExtensions"][0]["commands"]
    assert data["composeExtensions"][0]["botId"] == APP_ID
    assert (command["id"], command["type"], command["context"], command["fetchTask"]) == (
        COMMAND_ID,
        "action",
        ["message"],
        True,
    )
    assert data["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}
    ]
    assert data["webApplicationInfo"]["id"] == APP_ID
