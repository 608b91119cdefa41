"""`rolebot serve all`: Slack and Teams in one process on one database, one scheduler, fan-out notices."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serve_support import SlackDriver, due_directory, slack_config, teams_serving
from slack_fake_api import FakeSlackApi
from slack_harness import TrackingExecutor, texts
from teams_fake_connector import Harness

from bot.escalations.models import State
from bot.scheduler import SchedulerSettings
from handlers.serve_all import AllRuntime, build_all

CS_TEAMS = "19:customer-service@thread.tacv2"
DIGEST_JOBS = {"digest:team:customer-service", "digest:team:marketing", "digest:leadership:ecommerce"}


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


def slack_side(slack: SlackDriver) -> None:
    """A question and an escalation over signed HTTP; waits until the app has done its work."""
    assert slack.dm("who handles returns?")[0] == 200
    assert slack.dm("escalate customer-service P2 a parcel arrived crushed")[0] == 200
    slack.settle()


async def scenario(runtime: AllRuntime, slack: SlackDriver, teams: Harness) -> None:
    # Both surfaces answer questions from the one core.
    assert (await teams.post(teams.activity("message_personal"))).status == 200
    answer = teams.fake.calls[-1]
    assert answer.kind == "reply" and answer.card is not None
    assert answer.card["body"][0]["text"] == "Customer Service is accountable for this."
    await asyncio.to_thread(slack_side, slack)
    assert "Customer Service" in texts(slack.posts_to("D0ADA")[0])

    # The escalation opened on Slack is carded in the team's channel on both surfaces (a worker each).
    await teams.settle()
    slack_cards = [c for c in slack.posts_to("#customer-service") if "ESC-1" in texts(c)]
    teams_cards = [c for c in teams.fake.to(CS_TEAMS) if c.kind == "send" and c.card]
    assert len(slack_cards) == 1 and len(teams_cards) == 1
    assert "ESC-1" in texts(slack_cards[0]) and teams_cards[0].card is not None
    assert teams_cards[0].card["body"][0]["text"].startswith("ESC-1")

    # Daan acknowledges on the Teams card: the Slack card is updated too, from the same escalation.
    ack = teams.activity("card_submit_ack_channel", replyToId=teams_cards[0].response_id)
    ack["conversation"]["id"] = f"{CS_TEAMS};messageid={teams_cards[0].response_id}"
    assert (await teams.post(ack)).status == 200
    await teams.settle()
    await asyncio.to_thread(slack.settle)  # the Slack worker delivers the same change to its card
    assert runtime.core.service.get("ESC-1").state is State.ACKNOWLEDGED
    [update] = slack.fake.calls("chat.update")  # the card in #customer-service, now "Bevestigd" (Dutch team)
    assert texts(update).startswith("ESC-1 voor Klantenservice (Bevestigd)")

    # One scheduler: a digest job per team plus leadership, and the sweep; jobs fire when triggered.
    scheduler = runtime.scheduling.scheduler
    assert scheduler is not None and scheduler.running
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) >= DIGEST_JOBS and "escalation-sweep" in jobs and "directory-groups" in jobs
    assert jobs["escalation-sweep"].trigger.interval.total_seconds() == 45
    slack_before, teams_before = len(slack.fake.calls("chat.postMessage")), len(teams.fake.calls)
    await asyncio.to_thread(jobs["digest:team:customer-service"].func)
    await asyncio.to_thread(jobs["digest:team:marketing"].func)  # Slack only: no Teams channel
    await asyncio.to_thread(jobs["escalation-sweep"].func)  # nothing overdue: posts nothing
    slack_digests = slack.fake.calls("chat.postMessage")[slack_before:]
    assert [c["channel"] for c in slack_digests] == ["#customer-service", "#marketing"]
    assert all(c["blocks"] for c in slack_digests) and "ESC-1" in texts(slack_digests[0])  # new since
    teams_digests = teams.fake.calls[teams_before:]
    assert [(c.kind, c.conversation_id) for c in teams_digests] == [("send", CS_TEAMS)]
    assert teams_digests[0].card and "ESC-1" in json.dumps(teams_digests[0].card)
    runs = runtime.core.stores.health.db.execute(
        "SELECT team, state FROM digest_runs ORDER BY team"
    ).fetchall()
    assert runs == [("customer-service", "sent"), ("marketing", "sent")]

    # /healthz and /metrics answer on both ports.
    for base in (slack.server.url.removesuffix("/slack/events"), str(teams.bot.make_url("")).rstrip("/")):
        status, kind, body = await asyncio.to_thread(get, base + "/healthz")
        assert (status, json.loads(body)["status"]) == (200, "ok") and kind.startswith("application/json")
        status, kind, body = await asyncio.to_thread(get, base + "/metrics")
        assert status == 200 and kind.startswith("text/plain")
        assert 'rolebot_escalations{state="acknowledged"} 1.0' in body
        assert 'rolebot_digest_runs_total{kind="team",result="sent"}' in body


def test_slack_and_teams_in_one_process(tmp_path: Path, fake: FakeSlackApi) -> None:
    config = slack_config(tmp_path / "rolebot.db", fake, due_directory(tmp_path, slack_only=("marketing",)))
    executor = TrackingExecutor()
    # No catch-up run at start-up: the test triggers the digest jobs itself.
    settings = SchedulerSettings(sweep_seconds=45, catchup_seconds=0)
    runtime = build_all(config, slack_port=0, host="127.0.0.1", settings=settings, slack_executor=executor)
    slack = SlackDriver(fake, runtime.slack, runtime.slack_server, executor)

    async def body() -> None:
        async with teams_serving(runtime.app, runtime.core) as teams:
            assert runtime.slack_server.running
            await scenario(runtime, slack, teams)
            scheduler = runtime.scheduling.scheduler
        assert scheduler is not None and not scheduler.running and runtime.scheduling.scheduler is None

    asyncio.run(body())
    assert not runtime.slack_server.running
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(slack.server.url.removesuffix("/slack/events") + "/healthz", timeout=2)
    executor.shutdown()


class _SharedPort:
    """Where the Slack driver posts when Slack is served on the Teams app's port."""

    def __init__(self, base: str) -> None:
        self.url = base + "/slack/events"


def test_one_port_serves_slack_teams_and_readiness(tmp_path: Path, fake: FakeSlackApi) -> None:
    config = slack_config(tmp_path / "rolebot.db", fake, due_directory(tmp_path))
    executor = TrackingExecutor()
    settings = SchedulerSettings(sweep_seconds=0, catchup_seconds=0)
    runtime = build_all(config, host="127.0.0.1", settings=settings, slack_executor=executor)
    assert runtime.slack_server is None  # no second port

    async def body() -> None:
        async with teams_serving(runtime.app, runtime.core) as teams:
            base = str(teams.bot.make_url("")).rstrip("/")
            slack = SlackDriver(fake, runtime.slack, _SharedPort(base), executor)  # type: ignore[arg-type]
            status, _, ready = await asyncio.to_thread(get, base + "/readyz")
            assert (status, json.loads(ready)["status"]) == (200, "ok")
            await asyncio.to_thread(slack_side, slack)  # signed Slack requests on the Teams port
            assert "Customer Service" in texts(slack.posts_to("D0ADA")[0])
            assert runtime.core.service.get("ESC-1").summary.endswith("a parcel arrived crushed")
            assert (await teams.post(teams.activity("message_personal"))).status == 200
            unsigned = await asyncio.to_thread(post_raw, base + "/slack/events", b"command=/whohandles")
            assert unsigned == 401
            too_big = await asyncio.to_thread(post_raw, base + "/slack/events", b"x" * (2 * 1024 * 1024))
            assert too_big == 413

    asyncio.run(body())
    executor.shutdown()


def test_readyz_is_503_until_started(tmp_path: Path, fake: FakeSlackApi) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from handlers.teams.server import READINESS

    config = slack_config(tmp_path / "rolebot.db", fake, due_directory(tmp_path))
    runtime = build_all(config, host="127.0.0.1", settings=SchedulerSettings(sweep_seconds=0))
    runtime.app.on_startup.insert(0, _check_not_ready)

    async def body() -> None:
        client = TestClient(TestServer(runtime.app, host="127.0.0.1"))
        await client.start_server()
        try:
            assert runtime.app[READINESS].ready
            assert (await client.get("/readyz")).status == 200
        finally:
            await client.close()
        assert not runtime.app[READINESS].ready

    asyncio.run(body())


async def _check_not_ready(app: object) -> None:
    from aiohttp import web

    from handlers.ops_http import READY_PATH
    from handlers.teams.server import READINESS

    assert isinstance(app, web.Application)
    assert not app[READINESS].ready and READY_PATH == "/readyz"


def post_raw(url: str, data: bytes) -> int:
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except (ConnectionError, urllib.error.URLError):
        return 0
