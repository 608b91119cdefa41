"""POST /api/messages over real HTTP: replies at the fake connector, replays, malformed input, auth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from teams_fake_connector import Harness, run_teams

from bot.escalations.models import ListFilter
from bot.storage.refs import LATEST, channel_key, user_key
from bot.storage.sqlite.teams_refs import SqliteTeamsRefs


def test_personal_question_is_answered_with_a_card(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        response = await h.post(h.activity("message_personal"))
        assert response.status == 200
        [reply] = h.fake.calls
        assert reply.kind == "reply" and reply.activity_id == "1700000000001"
        assert reply.body["recipient"]["id"] == "29:bo"
        assert reply.card["body"][0]["text"] == "Customer Service is accountable for this."
        assert "Customer Service" in reply.body["summary"]
        # the lead and the team's channel as Teams names it: no Slack user-group id on this surface
        assert "S0CS" not in json.dumps(reply.body)
        [facts] = [block["facts"] for block in reply.card["body"] if block["type"] == "FactSet"]
        shown = {fact["title"]: fact["value"] for fact in facts}["Contact"]
        assert "Daan de Vries" in shown and shown.endswith("the Customer Service channel in Teams")

    run_teams(tmp_path / "r.db", test)


def test_channel_mention_is_stripped_and_answered_in_the_askers_language(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        assert (await h.post(h.activity("message_channel_mention"))).status == 200
        [reply] = h.fake.calls
        assert reply.conversation_id == "19:general@thread.tacv2;messageid=1700000000100"
        assert reply.card["body"][0]["text"] == "Kundtjänst ansvarar för det här."
        assert reply.card["actions"][0]["data"]["question"] == "vem hanterar returer?"

    run_teams(tmp_path / "r.db", test)


def test_text_commands_go_to_the_command_runner(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await h.post(h.activity("message_personal", text="escalate warehouse P1 parcel scanner is broken"))
        await h.settle()
        [escalation] = h.core.service.list(ListFilter(scope="all"))
        assert (escalation.team, escalation.priority, escalation.requester.user_id) == (
            "warehouse",
            "P1",
            "29:bo",
        )
        await h.post(h.activity("message_personal", id="1700000000002", text="list mine"))
        listing = h.fake.calls[-1]
        assert listing.kind == "reply" and "ESC-1" in listing.body["text"]

    run_teams(tmp_path / "r.db", test)


def test_repeated_activity_id_acts_once(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        for _ in range(3):
            assert (await h.post(h.activity("message_personal"))).status == 200
        assert len(h.fake.of_kind("reply")) == 1
        submit = h.activity("card_submit_escalate")
        for _ in range(2):
            assert (await h.post(submit)).status == 200
        await h.settle()
        assert len(h.core.service.list(ListFilter(scope="all"))) == 1
        assert len([c for c in h.fake.calls if c.activity_id == "1700000000400"]) == 1

    run_teams(tmp_path / "r.db", test)


def test_replay_after_restart_does_not_duplicate_the_escalation(tmp_path: Path) -> None:
    db = tmp_path / "r.db"

    async def first(h: Harness) -> None:
        await h.post(h.activity("card_submit_escalate"))
        await h.settle()  # everything the escalation causes is delivered by this process
        assert any("ESC-1" in str(call.body.get("text") or call.body) for call in h.fake.calls)

    async def second(h: Harness) -> None:  # a new process: the in-memory replay cache is empty
        assert (await h.post(h.activity("card_submit_escalate"))).status == 200
        await h.settle()
        assert [e.ref for e in h.core.service.list(ListFilter(scope="all"))] == ["ESC-1"]
        assert h.fake.calls == []  # taken in before the restart: not acted on, not answered again

    run_teams(db, first)
    run_teams(db, second)


def test_malformed_requests_get_4xx_and_the_server_keeps_serving(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        as_json = {"Content-Type": "application/json"}
        bad_bodies: list[tuple[Any, dict[str, str]]] = [
            ("{not json", as_json),
            ("[1, 2]", as_json),
            (json.dumps({"type": "message", "text": "hi"}), as_json),
            (json.dumps(h.activity("message_personal", serviceUrl="ftp://x")), as_json),
            (json.dumps(h.activity("message_personal", conversation="a:1")), as_json),
            (json.dumps(h.activity("message_personal", type="")), as_json),
            ("who handles returns?", {"Content-Type": "text/plain"}),
            ("x" * 300_000, as_json),
        ]
        statuses = []
        for data, headers in bad_bodies:
            response = await h.bot.post("/api/messages", data=data, headers=headers)
            statuses.append(response.status)
        assert all(400 <= status < 500 for status in statuses), statuses
        assert statuses[-2:] == [415, 413]
        assert h.fake.calls == []
        assert (await h.post(h.activity("message_personal"))).status == 200
        assert len(h.fake.calls) == 1

    run_teams(tmp_path / "r.db", test)


def test_empty_and_huge_messages_get_a_clear_answer(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        mention = {"type": "mention", "text": "<at>rolebot</at>", "mentioned": {"id": "28:rolebot"}}
        await h.post(h.activity("message_personal", text="<at>rolebot</at>&nbsp;", entities=[mention]))
        await h.post(h.activity("message_personal", id="2", text="returns " * 800))
        empty, huge = h.fake.calls
        assert "type a question" in empty.body["text"]
        assert "too long" in huge.body["text"]

    run_teams(tmp_path / "r.db", test)


def test_other_activity_types_are_accepted_silently_and_unknown_invokes_get_501(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        for kind in ("typing", "messageReaction", "event"):
            assert (await h.post(h.activity("message_personal", type=kind, id=kind))).status == 200
        invoke = h.activity("message_personal", type="invoke", name="composeExtension/query", value={})
        response = await h.post(invoke)
        assert response.status == 501  # an invoke we do not implement, as botbuilder answers it
        assert h.fake.calls == []

    run_teams(tmp_path / "r.db", test)


def test_install_stores_references_and_welcomes(tmp_path: Path) -> None:
    db = tmp_path / "r.db"

    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        await h.post(h.activity("conversation_update_personal_install"))
        channel_welcome, personal_welcome = h.fake.calls
        assert channel_welcome.conversation_id == "19:customer-service@thread.tacv2"
        assert personal_welcome.conversation_id == "a:personal-bo"
        assert "help" in personal_welcome.body["text"] and "退貨" in personal_welcome.body["text"]

    run_teams(db, test)
    from bot.storage.sqlite.database import open_database

    refs = SqliteTeamsRefs(open_database(db))
    assert refs.reference(channel_key("19:customer-service@thread.tacv2"))["conversation"]["id"] == (
        "19:customer-service@thread.tacv2"
    )
    for key in (user_key("29:bo"), user_key("6b1a2f7e-0000-4000-8000-0000000000b0"), LATEST):
        assert refs.reference(key)["conversation"]["id"] == "a:personal-bo"


def test_invoke_card_action_gets_an_invoke_response(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        h.core.service.create(
            h.core.assistant.actor_for("teams", "29:bo"), "printer label jam", team="customer-service"
        )
        response = await h.post(h.activity("invoke_card_action"))
        assert response.status == 200
        await h.settle()
        assert h.core.service.get("ESC-1").state.value == "resolved"
        assert any("ESC-1" in (c.body.get("text") or "") for c in h.fake.of_kind("reply"))

    run_teams(tmp_path / "r.db", test)


def test_an_unsure_question_offers_choices_and_the_askers_pick_is_learned(tmp_path: Path) -> None:
    question = "vem hanterar returer av zorblax?"  # one known topic, one word nobody knows: unsure

    async def test(h: Harness) -> None:
        await h.post(h.activity("message_personal", text=question))
        offer = h.fake.calls[-1].card
        picks = [a["data"] for a in offer["actions"] if a["data"].get("rolebot") == "correct"]
        assert picks[0]["team"] == "customer-service" and len(picks) <= 3
        assert "Digitala kontoret" in json.dumps(offer["body"])  # "none of these": the fallback, in Swedish
        submit = h.activity("message_personal", id="1700000000002", text="", value=picks[0])
        assert (await h.post(submit)).status == 200
        await h.settle()
        rows = h.core.stores.health.db.execute("SELECT corrected_team, user FROM routing_feedback").fetchall()
        assert [tuple(r) for r in rows] == [("customer-service", "29:bo")]
        await h.post(h.activity("message_personal", id="1700000000003", text=question))
        assert h.fake.calls[-1].card["body"][0]["text"] == "Kundtjänst ansvarar för det här."

    run_teams(tmp_path / "r.db", test)


def test_answers_in_teams_carry_no_slack_ids_and_no_other_mentions(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        mention = {"type": "mention", "text": "<at>rolebot</at>", "mentioned": {"id": "28:rolebot"}}
        other = {"type": "mention", "text": "<at>Ada Lind</at>", "mentioned": {"id": "29:ada"}}
        text = "<at>rolebot</at> <at>Ada Lind</at> who handles returns?"
        await h.post(h.activity("message_personal", text=text, entities=[mention, other]))
        [reply] = h.fake.calls
        assert reply.card["actions"][0]["data"]["question"] == "who handles returns?"
        shown = json.dumps({k: reply.body[k] for k in ("summary", "attachments")}, ensure_ascii=False)
        assert "#customer-service" not in shown and "S0CS" not in shown  # Slack's channel and user group
        assert "Daan de Vries" in shown  # the owner, as a Teams chat link

    run_teams(tmp_path / "r.db", test)
