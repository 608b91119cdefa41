"""The digest fan-out of `serve all`: real Slack and Teams posters against their fakes, through real runs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest
from serve_support import digest_poster_for, due_directory, slack_config, teams_serving
from slack_fake_api import FakeSlackApi
from slack_sdk.errors import SlackApiError
from teams_fake_connector import Harness

from bot.digest.runs import DigestRunner
from bot.scheduler import build_runner
from handlers.digest_fanout import DigestNotPosted, FanoutDigestPoster
from handlers.slack.app import make_client
from handlers.teams.server import create_app, teams_core

DAY = date(2025, 3, 3)
Scenario = Callable[[Harness, DigestRunner, FanoutDigestPoster], Awaitable[None]]


def run(tmp_path: Path, fake: FakeSlackApi, scenario: Scenario, **channels: tuple[str, ...]) -> None:
    config = slack_config(tmp_path / "rolebot.db", fake, due_directory(tmp_path, **channels))
    core, ports = teams_core(config)

    async def body() -> None:
        app = create_app(config, core, ports)
        async with teams_serving(app, core) as teams:
            poster = digest_poster_for(app, make_client(config), core.directory, asyncio.get_running_loop())
            await scenario(teams, build_runner(core, poster), poster)

    asyncio.run(body())


async def meet_teams(teams: Harness) -> None:
    """A first Teams message: the bot now knows the Bot Framework service to post channel cards on."""
    assert (await teams.post(teams.activity("message_personal"))).status == 200


def slack_posts(fake: FakeSlackApi, channel: str) -> list[dict[str, object]]:
    return [call for call in fake.calls("chat.postMessage") if call.get("channel") == channel]


def test_each_team_gets_its_digest_wherever_it_has_a_channel(
    tmp_path: Path, fake: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(teams: Harness, runner: DigestRunner, poster: FanoutDigestPoster) -> None:
        # The bot is not in Teams yet: Slack alone posts, and the run counts as sent.
        early = await asyncio.to_thread(runner.run, "customer-service", DAY)
        assert early.result == "sent"
        assert len(slack_posts(fake, "#customer-service")) == 1 and teams.fake.calls == []

        await meet_teams(teams)
        before = len(teams.fake.calls)
        both = await asyncio.to_thread(runner.run, "ecommerce", DAY)
        slack_only = await asyncio.to_thread(runner.run, "marketing", DAY)
        teams_only = await asyncio.to_thread(runner.run, "it", DAY)
        assert [both.result, slack_only.result, teams_only.result] == ["sent"] * 3

        sent = [(c.conversation_id, bool(c.card)) for c in teams.fake.calls[before:] if c.kind == "send"]
        assert sent == [("19:ecommerce@thread.tacv2", True), ("19:it@thread.tacv2", True)]
        assert [len(slack_posts(fake, ch)) for ch in ("#ecommerce", "#marketing", "#it-dev")] == [1, 1, 0]
        assert slack_posts(fake, "#marketing")[0]["blocks"]
        assert runner.runs.get("marketing", DAY).state == "sent"  # type: ignore[union-attr]

    with caplog.at_level(logging.INFO, logger="handlers.digest_fanout"):
        run(tmp_path, fake, scenario, slack_only=("marketing",), teams_only=("it",))
    # A team living on one surface is normal: noted at INFO, never reported as an error.
    levels = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "handlers.digest_fanout"]
    assert levels and all(level == "INFO" for level, _ in levels)


def test_no_channel_anywhere_raises_and_the_run_is_left_to_retry(tmp_path: Path, fake: FakeSlackApi) -> None:
    async def scenario(teams: Harness, runner: DigestRunner, poster: FanoutDigestPoster) -> None:
        await meet_teams(teams)
        result = await asyncio.to_thread(runner.run, "finance", DAY)
        assert result.result == "failed"
        assert result.error and result.error.startswith("DigestNotPosted: slack: no slack_channel")
        assert "teams: no teams_channel" in result.error
        stored = runner.runs.get("finance", DAY)
        assert stored is not None and (stored.state, stored.attempts) == ("failed", 1)
        assert fake.calls("chat.postMessage") == []
        assert [c for c in teams.fake.calls if c.kind == "send"] == []

    run(tmp_path, fake, scenario, nowhere=("finance",))


def test_a_platform_error_costs_only_that_platform(
    tmp_path: Path, fake: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(teams: Harness, runner: DigestRunner, poster: FanoutDigestPoster) -> None:
        await meet_teams(teams)
        fake.fail("chat.postMessage", "channel_not_found")
        with caplog.at_level(logging.ERROR, logger="handlers.digest_fanout"):
            result = await asyncio.to_thread(runner.run, "customer-service", DAY)
        assert result.result == "sent"  # Teams got it; a retry would post it there twice
        assert [c.conversation_id for c in teams.fake.calls if c.kind == "send"] == [
            "19:customer-service@thread.tacv2"
        ]
        failed = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert failed and failed[0].platform == "slack"  # type: ignore[attr-defined]

        # Both platforms failing: the poster raises (the first API error as its cause).
        fake.fail("chat.postMessage", "channel_not_found")
        teams.fake.fail_next = 10
        digest = runner.build("ecommerce", DAY)
        with pytest.raises(DigestNotPosted) as raised:
            await asyncio.to_thread(poster.post_digest, "ecommerce", digest)
        assert isinstance(raised.value.__cause__, SlackApiError)
        assert "slack: SlackApiError" in str(raised.value) and "teams: " in str(raised.value)

    run(tmp_path, fake, scenario)
