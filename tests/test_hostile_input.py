"""Hostile text through every surface of Slack and Teams: nothing people type comes out as a live mention,
link, emphasis or tag in anything the bot sends (recorded by the platform fakes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hostile_corpus import HOSTILE, slack_live, teams_live
from slack_harness import SlackHarness
from teams_fake_connector import Harness, run_teams

from bot.escalations.models import ListFilter

SUMMARY_LIMIT = 3000  # what the Slack modal and most commands accept; the long text goes in whole elsewhere


def _slack_outbound(slack: SlackHarness) -> list[dict[str, Any]]:
    paths = [p for p in slack.fake.paths() if p not in ("users.info", "conversations.open", "auth.test")]
    assert {"chat.postMessage", "views.open", "views.publish"} <= set(paths), paths
    return [call for path in paths for call in slack.fake.calls(path)]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_slack_never_relays_live_mentions_or_links(slack: SlackHarness, name: str) -> None:
    text = HOSTILE[name]
    short = text[:SUMMARY_LIMIT]
    slack.dm(text)  # a question in a DM
    slack.event({"text": f"<@UBOT> {text}", "user": "U0BO"}, name="event_app_mention")
    slack.command("/whohandles", text)
    slack.command("/escalate", f"finance P1 {short}")  # the command language: a card in #finance
    slack.command("/escalate", "", trigger_id="trigger.modal")  # the modal
    view = slack.fake.wait_for("views.open")[-1]["view"]
    slack.submit(view, {"summary": short, "team": "finance", "priority": "P2"})
    slack.shortcut(text)  # the message shortcut re-posts the whole message
    slack.settle()
    slack.dm(f"escalate finance {short}")
    slack.dm(f"comment ESC-1 {short}")
    slack.dm("bump ESC-1")  # the bump DM and channel notice quote the summary
    slack.event({"text": "<@UBOT> list open", "user": "U0ADA"}, name="event_app_mention")
    slack.dm("show ESC-1")
    slack.settle()
    slack.click("escalation_ack", "1", user="U0LARS", channel="CFINANCE")  # card update + requester DM
    value = json.dumps({"routed": "finance", "q": text[:1500]})
    slack.click("answer_wrong_team", value)  # the Wrong team? modal quotes the question
    slack.click("answer_alternative_0", json.dumps({"team": "it", "routed": "finance", "q": text[:1500]}))
    slack.event({"type": "app_home_opened", "user": "U0ADA", "tab": "home"}, name="event_app_home_opened")
    slack.settle()
    assert slack.escalation_count() >= 2
    outbound = _slack_outbound(slack)
    live = {path: slack_live(call) for path in slack.fake.paths() for call in slack.fake.calls(path)}
    assert all(not found for found in live.values()), {k: v for k, v in live.items() if v}
    assert len(outbound) >= 15
    for call in outbound:  # Block Kit limits hold for the long text too
        for block in call.get("blocks") or []:
            shown = (block.get("text") or {}).get("text", "")
            assert len(shown) <= 3000


def _message(h: Harness, n: int, text: str, **changes: Any) -> dict[str, Any]:
    return h.activity("message_personal", id=f"17000000{n:05d}", text=text, **changes)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_teams_never_relays_live_links_emphasis_or_tags(tmp_path: Path, name: str) -> None:
    text = HOSTILE[name]
    short = text[:SUMMARY_LIMIT]

    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        aad = "6b1a2f7e-0000-4000-8000-0000000000b0"
        hostile_sender = {"id": "29:bo", "name": text[:200], "aadObjectId": aad}
        await h.post(_message(h, 1, text))  # a question
        await h.post(_message(h, 2, f"escalate customer-service P1 {short}", **{"from": hostile_sender}))
        submit = {"rolebot": "escalate", "question": short, "team": "customer-service", "language": "en"}
        await h.post(h.activity("card_submit_escalate", id="17000000100", value=submit))
        wrong = {"rolebot": "wrong_team", "question": text, "team": "customer-service", "language": "en"}
        await h.post(h.activity("card_submit_escalate", id="17000000101", value=wrong))
        await h.post(_message(h, 3, f"comment ESC-1 {short}"))
        await h.post(_message(h, 4, "list open"))
        await h.post(_message(h, 5, "show ESC-1"))
        await h.settle()
        ada = {"id": "29:ada", "name": "Ada Lind"}
        await h.post(_message(h, 6, "bump ESC-1", **{"from": ada}))  # the next level's DMs quote it
        await h.post(h.activity("card_submit_ack_channel"))  # the requester is told, quoting it
        await h.settle()
        assert len(h.core.service.list(ListFilter(scope="all"))) >= 2
        assert len(h.fake.calls) >= 10
        live = [(c.kind, c.conversation_id, teams_live(c.body)) for c in h.fake.calls]
        assert [entry for entry in live if entry[2]] == []
        for call in h.fake.calls:  # every card stays under Teams' ~28 KB
            assert len(json.dumps(call.body).encode()) < 28_000

    run_teams(tmp_path / "r.db", test)


@pytest.mark.parametrize("name", ["special-mentions", "markdown-links", "html", "rtl-and-zero-width"])
def test_standup_answers_reach_the_team_digest_escaped(slack: SlackHarness, name: str) -> None:
    from clocks import ManualClock
    from standup_fixtures import ASK, REPORT

    from bot.digest.model import TeamDigest
    from bot.scheduler import build_runner
    from bot.standup.schedule import StandupScheduler
    from handlers.slack.digest_poster import SlackDigestPoster
    from handlers.teams.render.digest import digest_activity

    core = slack.runtime.core
    assert core.standup is not None
    clock = ManualClock(ASK)
    core.service.clock = core.standup.clock = clock
    StandupScheduler(core.standup).run_due(ASK)  # the IT standup asks Felix by DM
    for answer in (HOSTILE[name], f"today {HOSTILE[name]}", f"blocked: refund {HOSTILE[name]}"):
        slack.dm(answer, user="U0FELIX")
        slack.settle()
    clock.now = REPORT
    StandupScheduler(core.standup).run_due(REPORT)
    posted: list[TeamDigest] = []

    class Both(SlackDigestPoster):  # the Slack post over HTTP, and the Teams card of the same digest
        def post_digest(self, team: str, digest: Any) -> None:
            posted.append(digest)
            super().post_digest(team, digest)

    poster = Both(slack.runtime.app.client, core.directory)
    assert build_runner(core, poster).run("it", REPORT.date()).result == "sent"
    [digest_call] = slack.posts_to("#it-dev")
    assert "refund" in json.dumps(digest_call["blocks"])  # the answers are in it ...
    assert slack_live(digest_call) == []  # ... and none of them is live
    assert teams_live(digest_activity(posted[0])) == []


def test_teams_cards_stay_under_28_kb_with_the_longest_texts(tmp_path: Path) -> None:
    """In `serve all` a Slack message shortcut may carry 40,000 characters of details to the Teams card."""

    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        bo = h.core.assistant.actor_for("teams", "29:bo")
        details = ("**[x](https://evil.example)** <b>" * 1300)[:40_000]
        h.core.service.create(bo, "refund " + "*_[" * 1330, team="customer-service", details=details)
        await h.settle()
        await h.post(_message(h, 1, "show ESC-1"))
        cards = [c for c in h.fake.calls if c.card]
        assert len(cards) == 2  # the channel card and the `show` reply
        for call in cards:
            assert len(json.dumps(call.body).encode()) < 28_000
            assert teams_live(call.body) == []
            assert "{???}" not in json.dumps(call.body)

    run_teams(tmp_path / "r.db", test)
