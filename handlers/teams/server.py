"""The Teams app: an aiohttp Application with POST /api/messages, built by create_app (no globals)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import Config, ConfigError
from bot.escalations.delivery import DeliverySettings, OutboxWorker
from bot.storage.refs import TeamsRefStore
from handlers.ops_http import Readiness
from handlers.serving import Backlog, add_directory_refresh
from handlers.teams.activities import PLATFORM, MalformedActivity, require_activity
from handlers.teams.bot_adapter import Authentication, BotFrameworkBridge, BotSettings, token_problem
from handlers.teams.notifier import TeamsNotifier
from handlers.teams.people import roster_search
from handlers.teams.standup import TeamsStandupPrompter
from handlers.teams.turns import TeamsTurns

if TYPE_CHECKING:
    from bot.assistant import Assistant
    from bot.digest.ports import DigestPoster
    from bot.directory import Directory
    from bot.escalations.service import EscalationService
    from bot.observability import Metrics
    from bot.runtime import Core
    from bot.scheduler import SchedulerSettings

log = logging.getLogger(__name__)
DEFAULT_PORT = 3978
MAX_BODY_BYTES = 256 * 1024  # activities are small; anything bigger is refused with 413 by aiohttp
NOTIFIER = web.AppKey("teams_notifier", TeamsNotifier)
WORKER = web.AppKey("teams_outbox_worker", OutboxWorker)
BACKLOG = web.AppKey("teams_backlog", Backlog)
BRIDGE = web.AppKey("teams_bridge", BotFrameworkBridge)
TURNS = web.AppKey("teams_turns", TeamsTurns)
REFS: web.AppKey[TeamsRefStore] = web.AppKey("teams_refs")
STANDUP_PROMPTER = web.AppKey("teams_standup_prompter", TeamsStandupPrompter)
READINESS = web.AppKey("readiness", Readiness)
PosterFactory = Callable[[asyncio.AbstractEventLoop], "DigestPoster"]


def settings_from(config: Config, openid_metadata_url: str | None = None) -> BotSettings:
    """Bot settings from the Config; fails at start when an app id comes without what it needs."""
    app_type = (config.teams_app_type or "MultiTenant").strip()
    if app_type.lower() not in ("multitenant", "singletenant", "userassignedmsi"):
        raise ConfigError(
            f"MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, got {app_type!r}"
        )
    if config.teams_app_id:
        if app_type.lower() != "userassignedmsi":
            config.require("teams_app_password")
        if app_type.lower() != "multitenant" and not config.teams_tenant_id:
            raise ConfigError("missing setting: set MicrosoftAppTenantId")
    return BotSettings(
        config.teams_app_id,
        config.teams_app_password,
        config.teams_tenant_id,
        app_type if config.teams_app_id else None,
        openid_metadata_url,
    )


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _messages(request: web.Request) -> web.StreamResponse:
    bridge = request.app[BRIDGE]
    if bridge.app_id:  # refuse what cannot be authenticated before reading or parsing anything
        problem = token_problem(request.headers.get("Authorization", ""), bridge.app_id)
        if problem:
            log.warning("teams request refused: %s", problem)
            return _error(401, "unauthorized")
    if request.content_type != "application/json":
        return _error(415, "send the activity as application/json")
    try:
        body: Any = json.loads(await request.read())
        activity = require_activity(body)
    except RecursionError:  # nested deeper than any activity
        reason = "nested too deeply"
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError and MalformedActivity are ValueErrors
        reason = str(exc) if isinstance(exc, MalformedActivity) else "the body is not valid JSON"
    else:
        reason = ""
    if reason:
        log.info("teams request refused: malformed activity (%s)", reason)
        return _error(400, f"malformed activity: {reason}")
    backlog = request.app[BACKLOG]
    if backlog.full():  # refused at the door: the Bot Framework retries later
        return _error(503, "busy, retry later")
    backlog.take()
    try:
        result = await bridge.process(activity, request.headers.get("Authorization", ""))
    finally:
        backlog.release()
    if result.body is None:
        return web.Response(status=result.status)
    return web.json_response(result.body, status=result.status)


async def _start_notifier(app: web.Application) -> None:
    await app[NOTIFIER].start()
    app[WORKER].start()


async def _stop_worker(app: web.Application) -> None:
    # in a thread: the worker may be waiting for a delivery running on this very loop
    await asyncio.to_thread(app[WORKER].stop)


async def _stop_notifier(app: web.Application) -> None:
    await app[NOTIFIER].stop()


@dataclass
class Scheduling:
    """The running scheduler of an app (None before start-up and after clean-up)."""

    scheduler: BackgroundScheduler | None = None


SCHEDULING = web.AppKey("scheduling", Scheduling)


def add_scheduler(
    app: web.Application,
    core: Core,
    make_poster: PosterFactory,
    settings: SchedulerSettings | None = None,
    metrics: Metrics | None = None,
) -> Scheduling:
    """Run bot.scheduler (digests + escalation sweep) while `app` serves. The poster is made at start-up,
    when the server's event loop is known (Teams posts from the scheduler's thread run on that loop).
    Started after the notifier and shut down before it (on_shutdown), so a sweep's cards are delivered."""
    scheduling = app[SCHEDULING] = Scheduling()

    async def start(app: web.Application) -> None:
        from bot.scheduler import start_scheduler

        poster = make_poster(asyncio.get_running_loop())
        scheduling.scheduler = start_scheduler(core, poster, settings=settings, metrics=metrics)
        _add_roster_refresh(scheduling.scheduler, app, core, asyncio.get_running_loop())

    async def stop(app: web.Application) -> None:
        scheduler, scheduling.scheduler = scheduling.scheduler, None
        if scheduler is not None:
            # In a thread, so a digest being posted through this loop can finish and be marked sent.
            await asyncio.to_thread(scheduler.shutdown)

    app.on_startup.append(start)
    app.on_shutdown.append(stop)
    return scheduling


def _add_roster_refresh(
    scheduler: BackgroundScheduler, app: web.Application, core: Core, loop: asyncio.AbstractEventLoop
) -> None:
    """Teams rosters read into the directory at start-up and every hour (when a team names one)."""
    from handlers.teams.directory_source import ROSTER_REFRESH_SECONDS, roster_refresh

    refresh = roster_refresh(app[BRIDGE], app[REFS], core, loop)
    if refresh is not None:
        add_directory_refresh(
            scheduler, refresh, ROSTER_REFRESH_SECONDS, "directory-rosters", "teams rosters"
        )


def teams_digest_poster(app: web.Application, directory: Directory) -> PosterFactory:
    """The factory add_scheduler needs for Teams alone: Adaptive Cards through this app's bridge."""
    from handlers.teams.digest_poster import TeamsDigestPoster

    def make(loop: asyncio.AbstractEventLoop) -> DigestPoster:
        return TeamsDigestPoster(app[BRIDGE], app[REFS], directory, loop=loop)

    return make


def create_app(
    config: Config,
    assistant: Assistant,
    service: EscalationService,
    *,
    authentication: Authentication | None = None,
    openid_metadata_url: str | None = None,
    install_prompter: bool = True,
    core: Core,
    delivery: DeliverySettings | None = None,
) -> web.Application:
    """The Teams bot as an aiohttp app.

    authentication: a botframework BotFrameworkAuthentication replacing the one built from the config.
    openid_metadata_url: where channel signing keys are fetched (sovereign clouds, tests).
    install_prompter: make Teams the standup prompter (set False to compose several).
    core: the Core behind assistant and service; GET /healthz and /metrics are served too.
    delivery: how the outbox worker polls and retries (started and stopped with the app)."""
    from bot.storage.backends import open_stores

    settings = settings_from(config, openid_metadata_url)
    # Connections of their own: references write in transactions of their own (see SqliteTeamsRefs).
    refs = open_stores(config.database).teams_refs
    inbox = open_stores(config.database).inbox(PLATFORM)
    turns = TeamsTurns(
        assistant, refs, core.standup, channels=core.channels, watchers=core.watchers, inbox=inbox
    )
    bridge = BotFrameworkBridge(settings, turns, authentication=authentication)
    turns.identities, turns.member_lookup = core.identities, bridge.member
    find = roster_search(bridge, refs, assistant.directory)  # people named by email only
    notifier = TeamsNotifier(
        bridge,
        refs,
        assistant.kb,
        assistant.directory,
        watchers=core.watchers,
        identities=core.identities,
        find_member=find,
    )
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[NOTIFIER], app[BRIDGE], app[TURNS], app[REFS] = notifier, bridge, turns, refs
    app[WORKER] = core.outbox_worker(notifier, delivery)
    app[BACKLOG] = Backlog()
    app[STANDUP_PROMPTER] = TeamsStandupPrompter(notifier)
    if install_prompter and core.standup is not None:
        # the scheduler asks standup questions once a surface can write to people
        core.standup.prompter = app[STANDUP_PROMPTER]
    app.router.add_post("/api/messages", _messages)
    from handlers.ops_http import Readiness, add_ops_routes

    app[READINESS] = Readiness()  # ready once the caller's start-up is done: see ready_once_started
    add_ops_routes(app, core, readiness=app[READINESS])
    app.on_startup.append(_start_notifier)
    app.on_shutdown.append(_stop_worker)
    app.on_cleanup.append(_stop_notifier)
    return app
