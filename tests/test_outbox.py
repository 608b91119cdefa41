"""The outbox end to end: changes made by the CLI, cron sweeps and other processes reach the Slack and
Teams cards of a running server; undeliverable cards fall back and show in `rolebot outbox` and /metrics."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path

from slack_fake_api import FakeSlackApi, channel_id
from slack_harness import SlackHarness, texts
from teams_fake_connector import Harness, run_teams

from bot.config import Config
from bot.runtime import build_core
from bot.storage.clock import utc_now
from handlers.serving import serving_metrics

REPO = Path(__file__).resolve().parent.parent
CS_SLACK = channel_id("#customer-service")
CS_TEAMS = "19:customer-service@thread.tacv2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rolebot(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The `rolebot` CLI in a process of its own (this worktree's code), on the server's database."""
    env = {**os.environ, "ROLEBOT_DB": str(db), "PYTHONPATH": str(REPO)}
    code = "from handlers.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done


def escalate_on_slack(slack: SlackHarness, summary: str) -> None:
    slack.command("/escalate", f"customer-service {summary}", user="U0ADA")
    slack.settle()


def test_cli_and_cron_sweep_changes_reach_the_slack_card(slack: SlackHarness) -> None:
    escalate_on_slack(slack, "returns portal rejects every RMA")
    [card] = slack.posts_to("#customer-service")
    # resolved from a shell while the server runs: no request reached the server, the card still changes
    rolebot(slack.config.db_path, "escalations", "resolve", "ESC-1", "--as", "daan")
    update = slack.fake.wait_for("chat.update")[0]
    assert (update["channel"], update["ts"]) == (CS_SLACK, slack.runtime.notifier.refs.cards(1)[0][1])
    assert "ESC-1" in texts(update) and "ESC-1" in texts(card)
    assert "Opgelost" in texts(update)  # the Dutch team's card now says resolved
    # opened from the CLI: the new escalation gets its card and its requester (Bo, on Slack) is told
    rolebot(slack.config.db_path, "escalate", "customer-service", "label printer jammed", "--as", "bo")
    slack.settle()
    assert any("ESC-2" in texts(c) for c in slack.posts_to("#customer-service"))
    assert any("ESC-2" in texts(c) for c in slack.posts_to("D0BO"))
    # a sweep from cron (another process, its own core): the lead is told at level 1
    rolebot(slack.config.db_path, "escalate", "customer-service", "P1", "checkout down", "--as", "bo")
    cron = build_core(Config(db_path=slack.config.db_path))
    assert [o.action for o in cron.service.sweep(utc_now() + timedelta(hours=3))] == ["bumped"]
    cron.stores.close()
    slack.settle()
    assert any("ESC-3" in texts(c) for c in slack.posts_to("D0DAAN"))  # Daan leads customer service


def test_notices_committed_while_no_server_ran_go_out_when_one_starts(tmp_path: Path) -> None:
    db = tmp_path / "rolebot.db"
    rolebot(db, "escalate", "customer-service", "parcel lost", "--as", "bo")
    fake = FakeSlackApi().start()
    try:
        harness = SlackHarness(db, fake)
        harness.settle()
        [card] = harness.posts_to("#customer-service")
        assert "ESC-1" in texts(card)
        harness.close()
        # a restart does not deliver anything twice
        again = SlackHarness(db, fake)
        again.settle()
        assert len(again.posts_to("#customer-service")) == 1
        again.close()
    finally:
        fake.stop()


def test_an_unreachable_channel_falls_back_and_is_visible(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", "channel_not_found", times=1)
    escalate_on_slack(slack, "refund stuck for a week")
    # the team lead (Daan) gets the card by DM; the requester hears the truth, once
    assert any("ESC-1" in texts(c) for c in slack.posts_to("D0DAAN"))
    told = [c for c in slack.posts_to("D0ADA") if "ESC-1" in texts(c)]
    assert len(told) == 1 and "channel_not_found" in texts(told[0])
    listed = json.loads(rolebot(slack.config.db_path, "outbox", "--json").stdout)
    [failed] = [n for n in listed["notices"] if n["state"] == "failed"]
    assert (failed["escalation"], failed["platform"], failed["kind"]) == ("ESC-1", "slack", "card")
    assert failed["error"] == "channel_not_found"
    plain = rolebot(slack.config.db_path, "outbox").stdout
    assert "1 failed" in plain and "channel_not_found" in plain
    serving_metrics(slack.runtime.core)  # as `rolebot serve slack` does: gauges read from this database
    base = slack.server.url.removesuffix("/slack/events")
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        metrics = response.read().decode()
    assert 'rolebot_outbox{platform="slack",state="failed"} 1.0' in metrics
    assert 'rolebot_outbox_deliveries_total{platform="slack",result="fallback"}' in metrics


def test_cli_changes_reach_the_teams_card(tmp_path: Path) -> None:
    db = tmp_path / "rolebot.db"

    async def test(h: Harness) -> None:
        await h.post(h.activity("conversation_update_team_install"))
        await h.post(h.activity("message_personal"))
        await h.post(h.activity("card_submit_escalate"))
        await h.settle()
        [card] = [c for c in h.fake.to(CS_TEAMS) if c.kind == "send" and c.card]
        await asyncio.to_thread(rolebot, db, "escalations", "ack", "ESC-1", "--as", "daan")
        await h.settle()
        [update] = [c for c in h.fake.of_kind("update") if c.conversation_id == CS_TEAMS]
        assert update.activity_id == card.response_id
        [dm] = [c for c in h.fake.to("a:personal-bo") if "acknowledged" in str(c.body.get("text"))]
        assert "Daan" in dm.body["text"] and "ESC-1" in dm.body["text"]

    run_teams(db, test)


def test_teams_cards_for_changes_made_while_no_server_ran(tmp_path: Path) -> None:
    db = tmp_path / "rolebot.db"

    async def install(h: Harness) -> None:  # the bot learns the team's channel, then stops
        assert (await h.post(h.activity("conversation_update_team_install"))).status == 200

    async def restarted(h: Harness) -> None:
        await h.settle()
        [card] = [c for c in h.fake.to(CS_TEAMS) if c.kind == "send" and c.card]
        assert card.card is not None and card.card["body"][0]["text"] == "ESC-1: label printer jammed"

    port = free_port()  # the Bot Framework service keeps its URL across our restart

    run_teams(db, install, connector_port=port)
    rolebot(db, "escalate", "customer-service", "label printer jammed", "--as", "bo")
    run_teams(db, restarted, connector_port=port)


def test_notices_for_a_platform_nobody_serves_expire_after_a_week(tmp_path: Path) -> None:
    db = tmp_path / "rolebot.db"
    rolebot(db, "escalate", "customer-service", "parcel lost", "--as", "bo")  # Slack and Teams notices
    with sqlite3.connect(db) as conn:  # written long ago; no server ran since
        conn.execute("UPDATE outbox SET created_at = '2000-01-01T00:00:00.000000Z'")
    fake = FakeSlackApi().start()
    try:
        harness = SlackHarness(db, fake)  # only Slack is served here
        harness.settle()
        assert any("ESC-1" in texts(c) for c in harness.posts_to("#customer-service"))  # late, not lost
        states = {(r.platform, r.state) for r in harness.outbox_rows()}
        assert states == {("slack", "sent"), ("teams", "skipped")}
        harness.close()
    finally:
        fake.stop()


def test_the_team_digest_says_which_notices_did_not_get_through(slack: SlackHarness) -> None:
    db = slack.config.db_path
    escalate_on_slack(slack, "courier portal down")  # delivered: nothing to report
    quiet = rolebot(db, "digest", "--team", "customer-service", "--preview", "--lang", "en").stdout
    assert "could not deliver" not in quiet
    slack.fake.fail("chat.postMessage", "channel_not_found", times=1)
    escalate_on_slack(slack, "refund stuck for a week")  # its card is given up (and falls back)
    text = rolebot(db, "digest", "--team", "customer-service", "--preview", "--lang", "en").stdout
    assert "Messages I could not deliver (1)" in text
    assert "ESC-2 · Slack · the team's card · gave up (channel_not_found)" in text
    assert "ESC-1 · Slack" not in text
    dutch = rolebot(db, "digest", "--team", "customer-service", "--preview").stdout  # the team's language
    assert "Berichten die ik niet kon bezorgen (1)" in dutch and "de kaart van het team" in dutch
    for output in ("slack", "teams"):
        rendered = rolebot(db, "digest", "--team", "customer-service", "--preview", "--format", output).stdout
        shown = json.dumps(json.loads(rendered), ensure_ascii=False)  # Block Kit / Adaptive Card JSON
        assert "ESC-2 · Slack · de kaart van het team · opgegeven" in shown, output
    other = rolebot(db, "digest", "--team", "it", "--preview", "--lang", "en").stdout
    assert "could not deliver" not in other  # only the team whose escalation it was
