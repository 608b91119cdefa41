"""Block Kit builders (pure): Slack's limits, buttons per state, modals, App Home, and the catalogs."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.escalations.models import Actor, Escalation, State
from bot.i18n import LOCALES_DIR, t
from bot.languages import LANGUAGES
from bot.routing import Routing
from handlers.slack.render import blocks, views

KEY = re.compile(r"^(slack-[A-Za-z0-9-]+)\s*=", re.MULTILINE)


def escalation(
    state: State = State.OPEN, summary: str = "Returns portal is down", **extra: object
) -> Escalation:
    return Escalation(
        id=7,
        summary=summary,
        team="customer-service",
        priority="P1",
        state=state,
        level=0,
        requester=Actor("slack", "U0ADA", "Ada"),
        created_at=datetime(2024, 5, 6, tzinfo=UTC),
        **extra,  # type: ignore[arg-type]
    )


def action_ids(built: list[dict]) -> list[str]:
    return [e["action_id"] for b in built if b["type"] == "actions" for e in b["elements"]]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.OPEN, [blocks.ACK, blocks.RESOLVE, blocks.REASSIGN]),
        (State.ACKNOWLEDGED, [blocks.RESOLVE, blocks.REASSIGN]),
        (State.RESOLVED, []),
        (State.CANCELLED, []),
    ],
)
def test_card_offers_only_the_buttons_valid_in_its_state(state: State, expected: list[str]) -> None:
    card = blocks.escalation_card(escalation(state), "en", "Customer Service")
    assert action_ids(card) == expected
    assert "ESC-7" in card[0]["text"]["text"]


def test_card_links_the_source_message_and_mentions_the_requester() -> None:
    card = json.dumps(
        blocks.escalation_card(
            escalation(message_link="https://x.slack.com/archives/C1/p1"), "sv", "Kundtjänst"
        ),
        ensure_ascii=False,
    )
    assert "https://x.slack.com/archives/C1/p1" in card and "<@U0ADA>" in card and "Öppen" in card


def test_long_texts_stay_within_slack_limits() -> None:
    card = blocks.escalation_card(escalation(summary="x" * 5000, details="y" * 40_000), "en", "CS")
    for block in card:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= 3000
        if block["type"] == "header":
            assert len(text) <= 150
    value = blocks.button_value(team="it", q="é" * 5000)
    assert len(value) <= blocks.MAX_VALUE and json.loads(value)["team"] == "it"


def test_read_value_survives_foreign_or_broken_values() -> None:
    assert blocks.read_value("not json") == {}
    assert blocks.read_value("[1, 2]") == {}
    assert blocks.read_value(None) == {}
    assert blocks.read_value('{"q": "returns", "routed": null}') == {"q": "returns"}


def test_escalate_modal_prefills_team_and_defaults_priority() -> None:
    teams = [("it", "IT"), ("warehouse", "Warehouse")]
    view = views.escalate_modal("en", teams, team="warehouse", summary="pallets stuck")
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    assert by_id["team"]["element"]["initial_option"]["value"] == "warehouse"
    assert by_id["priority"]["element"]["initial_option"]["value"] == "P2"
    assert by_id["summary"]["element"]["initial_value"] == "pallets stuck"
    assert len(view["title"]["text"]) <= 24
    unknown = views.escalate_modal("en", teams, team="nope")
    assert "initial_option" not in {b.get("block_id"): b for b in unknown["blocks"]}["team"]["element"]


def test_view_values_reads_inputs_and_selects() -> None:
    view = {
        "state": {
            "values": {
                "summary": {"value": {"type": "plain_text_input", "value": "broken"}},
                "team": {"value": {"type": "static_select", "selected_option": {"value": "it"}}},
                "priority": {"value": {"type": "static_select", "selected_option": None}},
            }
        }
    }
    assert views.view_values(view) == {"summary": "broken", "team": "it"}


def test_abstaining_answer_offers_a_team_picker_not_an_escalation() -> None:
    from bot.conversation.answers import build_answer
    from bot.directory import load_directory
    from bot.knowledge import load_knowledge

    routing = Routing("what is the weather on mars?", "en", None, None, 0.0)
    answer = build_answer(routing, load_knowledge(), load_directory())
    built = blocks.answer_blocks(answer, routing.question)
    assert action_ids(built) == [blocks.WRONG_TEAM]
    assert "Pick the right team" in json.dumps(built)


def test_home_view_lists_escalations_and_stays_under_100_blocks() -> None:
    many = [escalation() for _ in range(120)]
    view = views.home_view("ko", many, many, lambda team: team.upper(), ["customer-service"])
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "ESC-7" in json.dumps(view, ensure_ascii=False)
    alone = views.home_view("en", [], [], str, [])
    assert t("en", "slack-home-no-team") in json.dumps(alone)


def test_slack_catalog_is_complete_in_every_language() -> None:
    english = set(KEY.findall((LOCALES_DIR / "en" / "slack.ftl").read_text(encoding="utf-8")))
    assert len(english) > 40
    for language in LANGUAGES:
        keys = set(KEY.findall((LOCALES_DIR / language / "slack.ftl").read_text(encoding="utf-8")))
        assert keys == english, language
        if language != "en":
            assert t(language, "slack-button-ack") != t("en", "slack-button-ack")


WEB_API_CALL = re.compile(r"\bclient\.((?:chat|conversations|users|usergroups|views)_[A-Za-z_]+)\b")
CALL_SCOPES: dict[str, tuple[str, ...]] = {  # Web API method -> the bot scopes it needs
    "chat_postMessage": ("chat:write",),
    "chat_postEphemeral": ("chat:write",),
    "chat_update": ("chat:write",),
    "chat_getPermalink": (),
    "conversations_open": ("im:write",),
    "conversations_list": ("channels:read", "groups:read"),  # public and private channels
    "conversations_replies": ("channels:history", "groups:history"),  # a reacted message's thread
    "users_info": ("users:read", "users:read.email"),  # the email matches people to the directory
    "users_list": ("users:read", "users:read.email"),
    "users_lookupByEmail": ("users:read.email",),
    "usergroups_users_list": ("usergroups:read",),
    "views_open": (),
    "views_publish": (),
}


def test_manifest_declares_what_the_app_listens_to(repo_root: Path) -> None:
    manifest = yaml.safe_load(
        (repo_root / "handlers" / "slack" / "manifest.yaml").read_text(encoding="utf-8")
    )
    features = manifest["features"]
    assert {c["command"] for c in features["slash_commands"]} == {"/whohandles", "/escalate"}
    assert [s["callback_id"] for s in features["shortcuts"]] == [blocks.SHORTCUT]
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "message.im",
        "app_mention",
        "app_home_opened",
        "message.channels",  # request channels
        "message.groups",
        "reaction_added",  # the escalation reaction
    }
    assert settings["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # exactly what the Web API calls the code makes and the events it subscribes to need, nothing more
    calls = {
        m.group(1)
        for path in (repo_root / "handlers").rglob("*.py")
        for m in WEB_API_CALL.finditer(path.read_text(encoding="utf-8"))
    }
    assert calls == set(CALL_SCOPES), calls
    needed = {scope for scopes in CALL_SCOPES.values() for scope in scopes} | {
        "app_mentions:read",
        "im:history",
        "channels:history",  # message.channels (request channels)
        "groups:history",  # message.groups
        "reactions:read",  # reaction_added
    }
    assert scopes == needed | {"commands", "chat:write.public"}
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
