"""The bot's life in a Teams tenant over real HTTP: installed (one welcome), channels created or renamed
(references untouched), removed (references forgotten), and card invokes answered as Teams expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teams_fake_connector import Harness, run_teams

from bot.escalations.models import ListFilter
from bot.storage.refs import LATEST, channel_key, user_key
from handlers.teams.server import REFS

CS = "19:customer-service@thread.tacv2"
GENERAL = "19:general-cs@thread.tacv2"


def _team_event(h: Harness, event: str, channel: str, **changes: Any) -> dict[str, Any]:
    """A conversationUpdate as Teams sends it for a team: in the General channel, naming another one."""
    activity = h.activity("conversation_update_team_install", id=f"f:{event}", **changes)
    activity.pop("membersAdded", None)
    activity["conversation"]["id"] = GENERAL
    activity["channelData"] = {
        "eventType": event,
        "channel": {"id": channel, "name": "renamed"},
        "team": {"id": GENERAL},
        "tenant": {"id": "72f988bf-0000-4000-8000-00000000aaaa"},
    }
    return activity


def test_channel_created_or_renamed_never_moves_a_channels_address(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))  # installed in the CS channel
        for event in ("channelRenamed", "channelCreated"):
            assert (await h.post(_team_event(h, event, CS))).status == 200
        refs = h.app[REFS]
        assert refs.reference(channel_key(CS))["conversation"]["id"] == CS
        h.core.service.create(
            h.core.assistant.actor_for("teams", "29:bo"), "label printer jam", team="customer-service"
        )
        await h.settle()
        [card] = [c for c in h.fake.calls if c.card and c.kind == "send"]
        assert card.conversation_id == CS  # not the General channel

    run_teams(tmp_path / "r.db", test)


def test_one_welcome_per_installation_naming_the_person_or_nobody(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        install = h.activity("conversation_update_personal_install")  # "from" has no name
        update = h.activity("conversation_update_personal_install", type="installationUpdate", action="add")
        update.pop("membersAdded")
        upgrade = {**update, "id": "f:upgrade", "action": "add-upgrade"}
        for activity in (install, update, upgrade):
            assert (await h.post(activity)).status == 200
        [welcome] = h.fake.calls
        assert welcome.body["text"].startswith("您好！")  # no " 您好" with an empty name before it
        named = h.activity("conversation_update_personal_install", id="f:named", locale="en-US")
        named["from"] = {"id": "29:ada", "name": "Ada Lind"}
        named["conversation"] = {"conversationType": "personal", "id": "a:personal-ada"}
        await h.post(named)
        assert h.fake.calls[-1].body["text"].startswith("Hi Ada!")

    run_teams(tmp_path / "r.db", test)


def test_removal_forgets_the_conversations_references(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        await h.post(h.activity("conversation_update_personal_install"))
        refs = h.app[REFS]
        removed = h.activity(
            "conversation_update_team_install", id="f:removed", membersRemoved=[{"id": "28:rolebot"}]
        )
        removed.pop("membersAdded")
        assert (await h.post(removed)).status == 200
        assert refs.reference(channel_key(CS)) is None
        uninstall = h.activity("conversation_update_personal_install", id="f:gone", type="installationUpdate")
        uninstall.update(action="remove")
        uninstall.pop("membersAdded")
        assert (await h.post(uninstall)).status == 200
        assert refs.reference(user_key("29:bo")) is None
        assert refs.reference(LATEST) is not None  # still the service to open chats on
        # an escalation for that team is no longer posted into the channel the bot was removed from
        h.core.service.create(
            h.core.assistant.actor_for("teams", "29:bo"), "label jam", team="customer-service"
        )
        await h.settle()
        assert [c for c in h.fake.calls if c.conversation_id == CS and c.kind == "send" and c.card] == []
        # reinstalled: stored again, welcomed again
        await h.post(h.activity("conversation_update_team_install", id="f:again"))
        assert refs.reference(channel_key(CS))["conversation"]["id"] == CS
        assert h.fake.calls[-1].conversation_id == CS
        assert not refs.removed(CS)

    run_teams(tmp_path / "r.db", test)


def test_card_invokes_get_an_invoke_response_and_unknown_invokes_501(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        h.core.service.create(
            h.core.assistant.actor_for("teams", "29:bo"), "printer label jam", team="customer-service"
        )
        response = await h.post(h.activity("invoke_card_action"))
        body = await response.json()
        assert response.status == 200
        assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.activity.message"
        assert "ESC-1" in body["value"] and "\\\\" not in body["value"]
        await h.settle()
        assert [e.state.value for e in h.core.service.list(ListFilter(scope="all"))] == ["resolved"]
        unknown = h.activity("message_personal", type="invoke", name="composeExtension/query", value={})
        assert (await h.post(unknown)).status == 501

    run_teams(tmp_path / "r.db", test)
