"""Idempotency keys are scoped: Teams (conversation, activity id), Slack event id / (user, trigger id) kept
across restarts, CLI (actor, request id). A key someone else used never returns their escalation."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from slack_fake_api import FakeSlackApi
from slack_harness import SlackHarness, texts
from teams_fake_connector import Harness, run_teams

from bot.escalations.models import ListFilter
from handlers.cli.main import cli


def test_teams_activity_ids_are_scoped_by_conversation(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        replies = {}
        for person, summary in (("bo", "label printer jammed"), ("cecilia", "newsletter bounced")):
            activity = h.activity(
                "message_personal",
                id="42",  # unique only within each conversation
                text=f"escalate customer-service {summary}",
            )
            activity["from"] = {"id": f"29:{person}", "name": person.title()}
            activity["conversation"]["id"] = f"a:personal-{person}"
            assert (await h.post(activity)).status == 200
            replies[person] = [c for c in h.fake.to(f"a:personal-{person}") if c.kind == "reply"][-1]
        await h.settle()
        made = sorted((e.ref, e.summary) for e in h.core.service.list(ListFilter(scope="all")))
        assert made == [("ESC-1", "label printer jammed"), ("ESC-2", "newsletter bounced")]
        assert "ESC-1" in replies["bo"].body["text"] and "ESC-2" in replies["cecilia"].body["text"]

    run_teams(tmp_path / "r.db", test)


def test_cli_request_ids_belong_to_who_used_them(tmp_path: Path) -> None:
    env = {"ROLEBOT_DB": str(tmp_path / "r.db")}

    def escalate(person: str, summary: str) -> dict[str, object]:
        args = ["escalate", "customer-service", summary, "--request-id", "X", "--as", person, "--json"]
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.stdout))

    bo = escalate("bo", "label printer jammed")
    lars = escalate("lars", "pallet wrapper broken")
    assert (bo["id"], lars["id"]) == ("ESC-1", "ESC-2")
    assert lars["summary"] == "pallet wrapper broken" and not lars["replayed"]
    again = escalate("bo", "label printer jammed")  # bo's own retry: his first result
    assert (again["id"], again["replayed"]) == ("ESC-1", True)


def test_a_slack_retry_after_a_restart_acts_once(tmp_path: Path) -> None:
    db = tmp_path / "rolebot.db"
    fake = FakeSlackApi().start()
    try:
        first = SlackHarness(db, fake)
        assert first.dm("escalate customer-service parcel arrived crushed", event_id="EvKEEP")[0] == 200
        assert first.dm("who handles returns?", event_id="EvASK")[0] == 200
        first.settle()
        first.close()
        answered = [c for c in fake.calls("chat.postMessage") if "ESC-1" in texts(c)]
        questions = len(fake.calls("chat.postMessage"))
        second = SlackHarness(db, fake)  # a new process: nothing in memory
        text = "escalate customer-service parcel arrived crushed"
        assert second.dm(text, event_id="EvKEEP", retry=1)[0] == 200
        assert second.dm("who handles returns?", event_id="EvASK", retry=1)[0] == 200
        second.settle()
        assert second.escalation_count() == 1
        assert [c for c in fake.calls("chat.postMessage") if "ESC-1" in texts(c)] == answered
        assert len(fake.calls("chat.postMessage")) == questions  # the question is not answered twice
        second.close()
    finally:
        fake.stop()


def test_overload_is_refused_at_the_door_and_taken_in_on_retry(tmp_path: Path) -> None:
    fake = FakeSlackApi().start()
    fake.delays["users.info"] = 1.0  # each request's work is slow: acknowledged work piles up
    slack = SlackHarness(tmp_path / "rolebot.db", fake, backlog=2)
    try:
        first = [slack.dm(f"who handles returns {n}?", user=f"U0Q{n}")[0] for n in range(2)]
        refused = slack.dm("escalate customer-service parcel crushed", event_id="EvLATE")
        assert first == [200, 200] and refused[0] == 503
        slack.settle()
        fake.delays.clear()
        # Slack retries the refused event: now there is room, it is taken in and acted on once
        assert slack.dm("escalate customer-service parcel crushed", event_id="EvLATE", retry=1)[0] == 200
        slack.settle()
        assert slack.escalation_count() == 1
    finally:
        slack.close()
        fake.stop()
