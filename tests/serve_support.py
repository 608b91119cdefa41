"""Shared helpers for the serve tests: a directory whose digests are always due, Slack and Teams drivers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web
from slack_fake_api import FakeSlackApi
from slack_harness import SECRET, SlackHarness, TrackingExecutor
from slack_sdk import WebClient
from teams_fake_connector import FakeConnector, Harness, running

from bot.config import Config
from bot.directory import Directory
from handlers.digest_fanout import FanoutDigestPoster
from handlers.slack.digest_poster import SlackDigestPoster
from handlers.slack.server import SlackHttpServer, SlackRuntime
from handlers.teams.digest_poster import TeamsDigestPoster
from handlers.teams.server import BRIDGE, REFS

REPO = Path(__file__).resolve().parent.parent


def due_directory(
    tmp_path: Path,
    *,
    slack_only: tuple[str, ...] = (),
    teams_only: tuple[str, ...] = (),
    nowhere: tuple[str, ...] = (),
) -> Path:
    """The bundled directory with every team's digest due now, whatever the wall clock says: every day a
    working day, no holidays, in a zone where it is now past 14:00 (digests are at 09:00). Teams in
    `slack_only` lose their teams_channel, in `teams_only` their slack_channel, in `nowhere` both."""
    data: dict[str, Any] = yaml.safe_load((REPO / "knowledge" / "directory.yaml").read_text(encoding="utf-8"))
    offset = 14 - datetime.now(UTC).hour  # hours east of UTC where it is now 14:xx (-9..+14)
    zone = f"Etc/GMT{-offset:+d}"  # POSIX sign: Etc/GMT-3 is three hours east
    data["defaults"].update(
        timezone=zone, holidays=[], working_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    )
    data["defaults"].pop("holiday_country", None)
    for team_id, team in data["teams"].items():
        for key in ("timezone", "working_days", "holidays", "holiday_country"):
            team.pop(key, None)
        if team_id in slack_only + nowhere:
            team.pop("teams_channel", None)
        if team_id in teams_only + nowhere:
            team.pop("slack_channel", None)
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def slack_config(db_path: Path, fake: FakeSlackApi, directory: Path | None = None) -> Config:
    return Config(
        db_path=db_path,
        directory_path=directory,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
    )


class SlackDriver(SlackHarness):
    """SlackHarness's signed requests and readers, aimed at a server someone else built and started."""

    def __init__(
        self, fake: FakeSlackApi, runtime: SlackRuntime, server: SlackHttpServer, executor: TrackingExecutor
    ) -> None:
        self.fake, self.runtime, self.server, self.executor = fake, runtime, server, executor


@asynccontextmanager
async def teams_serving(app: web.Application, core: Any) -> AsyncIterator[Harness]:
    """Serve `app` (start-up hooks and all) on a loopback port beside a fake Bot Framework connector."""
    fake = FakeConnector()
    async with running(fake.app()) as connector, running(app) as bot:
        yield Harness(fake, bot, app, core, str(connector.make_url("/")))


def digest_poster_for(
    app: web.Application, client: WebClient, directory: Directory, loop: asyncio.AbstractEventLoop
) -> FanoutDigestPoster:
    """The fan-out poster exactly as `serve all` builds it, on this app's bridge and references."""
    teams = TeamsDigestPoster(app[BRIDGE], app[REFS], directory, loop=loop)
    return FanoutDigestPoster({"slack": SlackDigestPoster(client, directory), "teams": teams})
