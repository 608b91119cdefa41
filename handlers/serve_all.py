"""`rolebot serve all`: Slack and Teams in one process, sharing one Core (one database) and one scheduler."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_sdk import WebClient

from bot.config import Config, ConfigError
from handlers.digest_fanout import FanoutDigestPoster
from handlers.ops_http import ready_once_started
from handlers.serving import drain
from handlers.slack.aio import add_slack_routes
from handlers.slack.async_app import create_async_app
from handlers.slack.digest_poster import SlackDigestPoster
from handlers.slack.serve import add_group_refresh
from handlers.slack.server import (
    SlackHttpServer,
    SlackRuntime,
    build_slack,
    slack_ports,
    start_socket_mode,
)
from handlers.slack.work_process import WorkProcess
from handlers.standup_fanout import FanoutStandupPrompter
from handlers.teams.bot_adapter import Authentication
from handlers.teams.server import (
    READINESS,
    PosterFactory,
    Scheduling,
    add_scheduler,
    create_app,
    settings_from,
    teams_digest_poster,
    teams_ports,
)

if TYPE_CHECKING:
    from bot.digest.ports import DigestPoster
    from bot.escalations.delivery import DeliverySettings
    from bot.runtime import Core
    from bot.scheduler import SchedulerSettings

log = logging.getLogger(__name__)
PORT = 3000  # Slack's /slack/events and Teams' /api/messages, one upstream for a reverse proxy


@dataclass
class AllRuntime:
    """Both adapters on one core. `app` is the Teams aiohttp app; its start-up and shutdown also start
    and stop the Slack server and the scheduler, so serving `app` serves everything."""

    core: Core
    slack: SlackRuntime
    # A second port for /slack/events (+ /healthz, /metrics; in Socket Mode only those), or None when
    # /slack/events is served by `app` on the one port (the default)
    slack_server: SlackHttpServer | None
    app: web.Application  # Teams /api/messages, /healthz, /readyz, /metrics (and /slack/events)
    scheduling: Scheduling


def check_settings(config: Config, *, teams_auth: bool = False) -> None:
    """Fail before opening anything, naming the first missing variable of either platform.

    teams_auth: require MicrosoftAppId. Without it Teams accepts unauthenticated activities (the Bot
    Framework Emulator): `rolebot serve all`, the production entrypoint, requires it."""
    config.require("slack_bot_token", "slack_app_token" if config.slack_app_token else "slack_signing_secret")
    if teams_auth and not config.teams_app_id:
        raise ConfigError("missing setting: set MicrosoftAppId")
    settings_from(config)


def build_all(
    config: Config,
    *,
    slack_port: int | None = None,
    host: str = "0.0.0.0",
    settings: SchedulerSettings | None = None,
    slack_client: WebClient | None = None,
    slack_executor: Executor | None = None,
    authentication: Authentication | None = None,
    openid_metadata_url: str | None = None,
    delivery: DeliverySettings | None = None,
) -> AllRuntime:
    """One core, the Slack app and server, the Teams app, an outbox worker per platform and one
    scheduler whose digests go to every platform with a channel for the team.

    slack_port: None serves /slack/events on `app`'s port; a number binds a Slack server there, here."""
    from bot.runtime import build_core, open_identities
    from bot.storage.backends import open_stores
    from handlers.serving import serving_metrics

    check_settings(config)
    stores = open_stores(config.database)
    identities = open_identities(config, stores)  # both platforms find people named by email only
    slack_side = slack_ports(config, identities, slack_client)
    teams_side = teams_ports(
        config, identities, authentication=authentication, openid_metadata_url=openid_metadata_url
    )
    # each person is asked their standup on one platform: Slack if they have an id there, else Teams
    prompter = FanoutStandupPrompter(slack_side.prompter, teams_side.prompter)
    core = build_core(config, stores=stores, identities=identities, prompter=prompter)
    socket_mode = bool(config.slack_app_token)
    # The acks on this loop, the questions' work after them in a process of its own (not when a test
    # watches it in its executor, nor behind a second port's server or Socket Mode).
    separate = slack_port is None and not socket_mode and slack_executor is None
    slack = build_slack(
        config,
        socket_mode=socket_mode,
        executor=slack_executor,
        core=core,
        ports=slack_side,
        delivery=delivery,
    )
    app = create_app(config, core, teams_side, delivery=delivery)
    slack_server = None
    work_process = WorkProcess(config, slack.intake.backlog) if separate else None
    if slack_port is not None:
        slack_server = SlackHttpServer(None if socket_mode else slack.app, slack_port, host, core=core)
    elif not socket_mode:
        secret = str(config.slack_signing_secret)
        add_slack_routes(
            app, create_async_app(slack.app, secret, work_process.hand if work_process else None), secret
        )
    _serve_slack_with(app, slack_server, slack, config.slack_app_token if socket_mode else None, work_process)
    scheduling = add_scheduler(app, core, fanout_poster(app, slack, core), settings, serving_metrics(core))

    async def read_groups(app: web.Application) -> None:  # after add_scheduler's start: the scheduler exists
        if scheduling.scheduler is not None:
            add_group_refresh(scheduling.scheduler, slack)

    app.on_startup.append(read_groups)
    ready_once_started(app, app[READINESS])
    return AllRuntime(core, slack, slack_server, app, scheduling)


def fanout_poster(app: web.Application, slack: SlackRuntime, core: Core) -> PosterFactory:
    """Digests as Block Kit in the team's Slack channel and as an Adaptive Card in its Teams channel."""
    teams = teams_digest_poster(app, core.directory)

    def make(loop: asyncio.AbstractEventLoop) -> DigestPoster:
        return FanoutDigestPoster(
            {"slack": SlackDigestPoster(slack.app.client, core.directory), "teams": teams(loop)}
        )

    return make


def _serve_slack_with(
    app: web.Application,
    server: SlackHttpServer | None,
    slack: SlackRuntime,
    app_token: str | None,
    work_process: WorkProcess | None,
) -> None:
    """Start Slack after the Teams notifier (an escalation from Slack is carded on both) and stop it
    first on shutdown, before the scheduler and the notifier (with the work process answering questions
    beside it, when there is one)."""
    socket: list[Any] = []

    async def start(app: web.Application) -> None:
        slack.start_background()
        if work_process is not None:
            work_process.start()  # on the serving loop's thread, which lives as long as serving does
            await asyncio.to_thread(work_process.wait_ready)
        if server is not None:
            server.start()
        if app_token:
            socket.append(await asyncio.to_thread(start_socket_mode, slack, app_token))
        where = f"port {server.port}" if server is not None else "the Teams port"
        log.info("rolebot Slack app on %s (%s)", where, "Socket Mode" if app_token else "/slack/events")

    async def stop(app: web.Application) -> None:
        for handler in socket:
            await asyncio.to_thread(handler.close)
        if server is not None and server.running:
            await asyncio.to_thread(server.stop)
        drained = [asyncio.to_thread(drain, slack.app.listener_runner.listener_executor)]
        if work_process is not None:  # side by side: the stop stays within the drain's time
            drained.append(asyncio.to_thread(work_process.stop))
        await asyncio.gather(*drained)
        await asyncio.to_thread(slack.worker.stop)
        await asyncio.to_thread(slack.intake.stop)

    app.on_startup.append(start)
    app.on_shutdown.append(stop)


def run_all(
    config: Config,
    *,
    host: str = "0.0.0.0",
    port: int = PORT,
    slack_port: int | None = None,
    settings: SchedulerSettings | None = None,
) -> None:
    """`rolebot serve all`: Slack and Teams on `port` (Slack on `slack_port` instead when given) until
    SIGINT/SIGTERM, then a graceful stop (see run_aiohttp)."""
    from handlers.serving import run_aiohttp

    runtime = build_all(config, slack_port=slack_port, host=host, settings=settings)
    mode = "Azure Bot " + config.teams_app_id if config.teams_app_id else "Bot Framework Emulator (no auth)"
    log.info("rolebot Teams bot on http://%s:%s/api/messages for %s", host, port, mode)
    try:
        run_aiohttp(runtime.app, host, port)
    finally:
        if runtime.slack_server is not None:  # bound in build_all even when start-up never ran
            runtime.slack_server.stop()
