"""`rolebot serve slack` and `serve teams` as wired for serving: ops endpoints, the scheduler, the CLI."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from serve_support import due_directory, slack_config, teams_serving
from slack_fake_api import FakeSlackApi
from slack_harness import TrackingExecutor

from bot.config import Config
from bot.scheduler import SchedulerSettings
from handlers.cli import serve
from handlers.slack.serve import start_serving
from handlers.teams.cli import build_teams
from handlers.teams.server import SCHEDULING

CS_TEAMS = "19:customer-service@thread.tacv2"


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


def test_serve_slack_runs_ops_endpoints_and_the_scheduler(tmp_path: Path, fake: FakeSlackApi) -> None:
    config = slack_config(tmp_path / "rolebot.db", fake, due_directory(tmp_path))
    executor = TrackingExecutor()
    serving = start_serving(
        config,
        port=0,
        host="127.0.0.1",
        executor=executor,
        settings=SchedulerSettings(sweep_seconds=30, catchup_seconds=0),
    )
    serving.server.start()
    base = serving.server.url.removesuffix("/slack/events")
    try:
        status, kind, body = get(base + "/healthz")
        assert status == 200 and kind.startswith("application/json")
        assert json.loads(body) == {
            "status": "ok",
            "checks": {"database": "ok", "knowledge": "ok", "teams": len(serving.runtime.core.kb.teams)},
        }
        jobs = {job.id: job for job in serving.scheduler.get_jobs()}
        assert jobs["escalation-sweep"].trigger.interval.total_seconds() == 30
        assert "digest-catch-up" not in jobs
        jobs["digest:team:warehouse"].func()  # as the scheduler would at the team's digest time
        [digest] = fake.calls("chat.postMessage")
        assert digest["channel"] == "#warehouse" and digest["blocks"]
        status, kind, body = get(base + "/metrics")
        assert status == 200 and kind.startswith("text/plain")
        assert 'rolebot_digest_runs_total{kind="team",result="sent"}' in body
        assert 'rolebot_escalations{state="open"} 0.0' in body
    finally:
        serving.close()
        executor.shutdown()
    assert not serving.scheduler.running
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/healthz", timeout=2)


def test_serve_teams_runs_ops_endpoints_and_the_scheduler(tmp_path: Path) -> None:
    config = Config(db_path=tmp_path / "rolebot.db", directory_path=due_directory(tmp_path))
    app, core = build_teams(config, SchedulerSettings(sweep_seconds=0, catchup_seconds=0))

    async def body() -> None:
        async with teams_serving(app, core) as teams:
            health = await teams.bot.get("/healthz")
            assert health.status == 200 and (await health.json())["status"] == "ok"
            scheduler = app[SCHEDULING].scheduler
            assert scheduler is not None and scheduler.running
            jobs = {job.id: job for job in scheduler.get_jobs()}
            assert "escalation-sweep" not in jobs  # sweep 0: another process sweeps
            assert (await teams.post(teams.activity("message_personal"))).status == 200
            before = len(teams.fake.calls)
            # From a worker thread, like the scheduler: the send runs on the server's loop.
            await asyncio.to_thread(jobs["digest:team:customer-service"].func)
            [digest] = teams.fake.calls[before:]
            assert (digest.kind, digest.conversation_id) == ("send", CS_TEAMS) and digest.card
            metrics = await teams.bot.get("/metrics")
            text = await metrics.text()
            assert metrics.content_type == "text/plain"
            assert 'rolebot_questions_total{language="en",outcome="routed"}' in text
        assert not scheduler.running and app[SCHEDULING].scheduler is None

    asyncio.run(body())


# ------------------------------------------------------------------------------------------------ CLI
def _cli() -> click.Group:
    @click.group()
    def cli() -> None:
        """test root"""

    serve.register(cli)
    return cli


SLACK_OK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": ""}
TEAMS_OK = {
    "MicrosoftAppId": "00000000-0000-4000-8000-000000000001",
    "MicrosoftAppPassword": "p",
    "MicrosoftAppType": "",
    "MicrosoftAppTenantId": "",
}


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": ""},
            "missing setting: set SLACK_BOT_TOKEN",
        ),
        ({**SLACK_OK, "SLACK_SIGNING_SECRET": ""}, "missing setting: set SLACK_SIGNING_SECRET"),
        ({**SLACK_OK, **TEAMS_OK, "MicrosoftAppId": ""}, "missing setting: set MicrosoftAppId"),
        ({**SLACK_OK, **TEAMS_OK, "MicrosoftAppPassword": ""}, "missing setting: set MicrosoftAppPassword"),
        (
            {**SLACK_OK, **TEAMS_OK, "SLACK_PORT": "4000", "PORT": "4000"},
            "--slack-port is a second port, both are 4000: leave it out to serve Slack on --port",
        ),
        (
            {**SLACK_OK, **TEAMS_OK, "ROLEBOT_SWEEP_SECONDS": "soon"},
            "ROLEBOT_SWEEP_SECONDS must be a number of seconds, got 'soon'",
        ),
    ],
)
def test_serve_all_fails_at_start_with_one_line(tmp_path: Path, env: dict[str, str], line: str) -> None:
    db = tmp_path / "rolebot.db"
    result = CliRunner().invoke(_cli(), ["serve", "all"], env={"ROLEBOT_DB": str(db), **env})
    assert result.exit_code == 1
    assert [text for text in result.output.splitlines() if text.strip()] == [f"Error: {line}"]
    assert not db.exists()  # nothing was opened


def test_serve_slack_and_teams_reject_a_negative_sweep_interval(tmp_path: Path) -> None:
    env = {"ROLEBOT_DB": str(tmp_path / "r.db"), **SLACK_OK}
    for target in ("slack", "teams"):
        result = CliRunner().invoke(_cli(), ["serve", target, "--sweep-interval", "-1"], env=env)
        assert result.exit_code == 1, target
        assert result.output.strip() == "Error: --sweep-interval must not be negative"


def test_serve_lists_every_target() -> None:
    result = CliRunner().invoke(_cli(), ["serve", "--help"])
    assert result.exit_code == 0
    assert {"all", "slack", "teams"} <= set(serve.SERVE_TARGETS)
    for target in ("all", "slack", "teams"):
        assert f"  {target} " in result.output
    options = CliRunner().invoke(_cli(), ["serve", "all", "--help"]).output
    assert "--slack-port" in options and "--port" in options and "--sweep-interval" in options
