"""Pure Teams pieces: Adaptive Card builders, activity translation, catalogs, package, settings."""

from __future__ import annotations

import json
import struct
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from teams_fake_connector import payload

from bot.config import Config, ConfigError
from bot.escalations.models import Actor, Escalation, State
from bot.i18n import message_ids
from bot.languages import LANGUAGES
from handlers.teams.activities import (
    MalformedActivity,
    clean_text,
    conversation_reference,
    require_activity,
    to_installed,
    to_message,
    to_submission,
)
from handlers.teams.cli import package_command, register_serve
from handlers.teams.package import PackageError, build_package
from handlers.teams.render import cards
from handlers.teams.server import settings_from

URL = "https://smba.example/"
TEAMS = [("customer-service", "Customer Service"), ("it", "IT"), ("warehouse", "Warehouse")]
APP_ID = "00000000-1111-4222-8333-444444444444"


def escalation(state: State) -> Escalation:
    now = datetime(2024, 11, 14, 9, 0, tzinfo=UTC)
    return Escalation(
        id=7,
        summary="scanner broken",
        team="it",
        priority="P1",
        state=state,
        level=1,
        requester=Actor("teams", "29:bo", "Bo Chen"),
        created_at=now,
        ack_due=now,
        resolve_due=now,
        details="since 8am",
    )


@pytest.mark.parametrize(
    ("state", "actions"),
    [
        (State.OPEN, ["ack", "resolve", "Reassign"]),
        (State.ACKNOWLEDGED, ["resolve", "Reassign"]),
        (State.RESOLVED, ["reopen"]),
        (State.CANCELLED, ["reopen"]),
    ],
)
def test_escalation_card_offers_the_actions_its_state_allows(state: State, actions: list[str]) -> None:
    card = cards.escalation_card(escalation(state), "en", "IT", TEAMS)
    names = [a.get("data", {}).get("rolebot") or a["title"] for a in card["actions"]]
    assert names == actions
    facts = {f["title"]: f["value"] for f in card["body"][1]["facts"]}
    assert facts["Status"] == cards.state_label(state, "en") and facts["Level"] == "2"
    if state is State.OPEN:
        reassign = card["actions"][-1]["card"]
        assert [c["value"] for c in reassign["body"][0]["choices"]] == ["customer-service", "warehouse"]
        assert "{{DATE(2024-11-14T09:00:00Z, SHORT)}}" in card["body"][3]["text"]


def test_escalation_card_is_localised() -> None:
    card = cards.escalation_card(escalation(State.OPEN), "sv", "IT", TEAMS)
    assert [a["title"] for a in card["actions"]] == ["Bekräfta", "Markera som löst", "Flytta"]


def test_team_picker_leaves_out_the_routed_team_and_carries_the_question() -> None:
    card = cards.team_picker_card("who handles returns?", "it", TEAMS, "en")
    assert [c["value"] for c in card["body"][2]["choices"]] == ["customer-service", "warehouse"]
    assert card["actions"][0]["data"] == {
        "rolebot": "correct",
        "question": "who handles returns?",
        "routed_team": "it",
        "language": "en",
    }


def test_message_with_card_uses_summary_not_text() -> None:
    message = cards.message("fallback", {"type": "AdaptiveCard"})
    assert "text" not in message and message["summary"] == "fallback"
    assert message["attachments"][0]["contentType"] == cards.CARD_CONTENT_TYPE
    assert cards.message("plain") == {"type": "message", "text": "plain"}


def test_every_teams_message_exists_in_every_language() -> None:
    english = {key for key in message_ids("en") if key.startswith("teams-")}
    assert len(english) > 30
    for language in LANGUAGES:
        assert english <= message_ids(language), (language, english - message_ids(language))


def test_mentions_html_and_whitespace_are_cleaned() -> None:
    activity = payload("message_channel_mention", URL)
    assert clean_text(activity["text"], activity) == "vem hanterar returer?"
    other = "<at>Ada Lind</at>&nbsp;and <b>me</b>:<br>who handles returns?"
    # other people's mentions are not part of the question either (they would skew the routing)
    assert clean_text(other, activity) == "and me:\nwho handles returns?"


def test_message_translation() -> None:
    message = to_message(payload("message_channel_mention", URL))
    assert (message.platform, message.user_id, message.text, message.language) == (
        "teams",
        "29:cecilia",
        "vem hanterar returer?",
        "sv-SE",
    )
    # activity ids are unique only within their conversation: the key names both
    assert message.request_id == "19:general@thread.tacv2;messageid=1700000000100|1700000000100"
    assert message.message_link == (
        "https://teams.microsoft.com/l/message/19:general@thread.tacv2/1700000000100"
    )
    assert to_message(payload("message_personal", URL)).message_link is None


def test_card_submissions_are_recognised_only_when_ours() -> None:
    submit = to_submission(payload("card_submit_ack_channel", URL))
    assert submit is not None and (submit.action, submit.data["ref"], submit.card_activity_id) == (
        "ack",
        "ESC-1",
        "msg-2",
    )
    invoke = to_submission(payload("invoke_card_action", URL))
    assert invoke is not None and (invoke.action, invoke.data["ref"]) == ("resolve", "ESC-1")
    assert to_submission(payload("message_personal", URL, value={"rolebot": "format-disk"})) is None
    assert to_submission(payload("message_personal", URL)) is None


def test_install_is_recognised_only_when_the_bot_is_added() -> None:
    installed = to_installed(payload("conversation_update_team_install", URL))
    assert installed is not None and installed.sender.conversation_type == "channel"
    others = payload("conversation_update_team_install", URL, membersAdded=[{"id": "29:x"}])
    assert to_installed(others) is None
    assert to_installed(payload("message_personal", URL)) is None


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"type": "message"},
        {"type": "message", "serviceUrl": "javascript:alert(1)", "conversation": {"id": "a"}},
        {"type": "message", "serviceUrl": URL},
        {"type": 3, "serviceUrl": URL, "conversation": {"id": "a"}},
        {"type": "message", "serviceUrl": URL, "conversation": {"id": "a"}, "from": "29:bo"},
    ],
)
def test_malformed_activities_are_rejected(body: object) -> None:
    with pytest.raises(MalformedActivity):
        require_activity(body)


def test_channel_reference_addresses_the_channel_not_the_thread() -> None:
    reference = conversation_reference(payload("message_channel_mention", URL))
    assert reference["conversation"]["id"] == "19:general@thread.tacv2"
    assert reference["serviceUrl"] == URL and reference["bot"]["id"] == "28:rolebot"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_package_contains_manifest_with_app_id_and_icons(tmp_path: Path) -> None:
    path = build_package(APP_ID, tmp_path / "app.zip")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert _png_size(archive.read("color.png")) == (192, 192)
        assert _png_size(archive.read("outline.png")) == (32, 32)
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    titles = [c["title"] for c in commands]
    assert len(titles) <= 10  # Teams' limit per command list
    assert set(titles) == {
        "escalate",
        "ack",
        "resolve",
        "reopen",
        "cancel",
        "reassign",
        "comment",
        "list",
        "show",
        "help",
    }
    assert all(len(c["description"]) <= 128 for c in commands)


def test_package_refuses_a_non_guid_app_id(tmp_path: Path) -> None:
    with pytest.raises(PackageError):
        build_package("my-bot", tmp_path / "app.zip")


def test_package_command(tmp_path: Path) -> None:
    out = tmp_path / "rolebot.zip"
    result = CliRunner().invoke(package_command, ["--app-id", APP_ID, "-o", str(out)])
    assert result.exit_code == 0 and out.is_file()
    missing = CliRunner().invoke(package_command, ["-o", str(out)], env={"MicrosoftAppId": ""})
    assert missing.exit_code != 0 and "MicrosoftAppId" in missing.output


def test_serve_teams_is_registered() -> None:
    import click

    group = click.Group("serve")
    register_serve(group)
    assert "teams" in group.commands


def test_settings_fail_at_start_when_incomplete() -> None:
    assert settings_from(Config()).app_id is None  # the Emulator: no auth
    with pytest.raises(ConfigError, match="MicrosoftAppPassword"):
        settings_from(Config(teams_app_id=APP_ID))
    with pytest.raises(ConfigError, match="MicrosoftAppTenantId"):
        settings_from(Config(teams_app_id=APP_ID, teams_app_password="x", teams_app_type="SingleTenant"))
    with pytest.raises(ConfigError, match="MicrosoftAppType"):
        settings_from(Config(teams_app_type="Sometimes"))
    msi = settings_from(Config(teams_app_id=APP_ID, teams_app_type="UserAssignedMSI", teams_tenant_id="t"))
    assert msi.app_type == "UserAssignedMSI"


def test_only_bot_adapter_imports_the_bot_framework_sdk(repo_root: Path) -> None:
    importers = sorted(
        path.name
        for path in (repo_root / "handlers" / "teams").glob("*.py")
        if any(
            line.lstrip().startswith(
                ("import botbuilder", "from botbuilder", "import botframework", "from botframework")
            )
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    )
    assert importers == ["bot_adapter.py"]
