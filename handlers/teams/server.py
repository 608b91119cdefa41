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

from bot.config import Config
from bot.escalations.delivery import DeliverySettings, OutboxWorker
from bot.storage.refs import TeamsRefStore
from handlers.ops_http import Readiness
from handlers.serving import Backlog, add_directory_refresh
from handlers.teams.activities import PLATFORM, MalformedActivity, require_activity
from handlers.teams.bot_adapter import Authentication, BotFrameworkBridge, settings_from, token_problem
from handlers.teams.notifier import TeamsNotifier
from handlers.teams.people import roster_search
from handlers.teams.personal import PersonalChats
from handlers.teams.standup import TeamsStandupPrompter
from handlers.teams.turns import TeamsTurns

if TYPE_CHECKING:
    from bot.digest.ports import DigestPoster
    from bot.directory import Directory
    from bot.identities import Identities
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
READINESS = web.AppKey("readiness", Readiness)
PosterFactory = Callable[[asyncio.AbstractEventLoop], "DigestPoster"]


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
        result = await bridge.process(activity, request.headers.get("Authorization", ""), request.app[TURNS])
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


@dataclass(frozen=True)
class TeamsPorts:
    """What Teams gives the core before the core is built: the Bot Framework bridge (outbound calls,
    inbound authentication), conversation references, personal chats (which also find people named by
    email only in the rosters) and the standup prompter on them."""

    bridge: BotFrameworkBridge
    refs: TeamsRefStore
    chats: PersonalChats
    prompter: TeamsStandupPrompter


def teams_ports(
    config: Config,
    identities: Identities,
    *,
    authentication: Authentication | None = None,
    openid_metadata_url: str | None = None,
) -> TeamsPorts:
    """identities: the core's (bot.runtime.open_identities), where ids found by email are remembered.
    authentication: a botframework BotFrameworkAuthentication replacing the one built from the config.
    openid_metadata_url: where channel signing keys are fetched (sovereign clouds, tests)."""
    from bot.storage.backends import open_stores

    settings = settings_from(config, openid_metadata_url)
    # A connection of its own: references write in transactions of their own (see SqliteTeamsRefs).
    refs = open_stores(config.database).teams_refs
    bridge = BotFrameworkBridge(settings, authentication=authentication)
    find = roster_search(bridge, refs, identities.directory)  # people named by email only
    chats = PersonalChats(bridge, refs, identities, find_member=find)
    return TeamsPorts(bridge, refs, chats, TeamsStandupPrompter(chats))


def create_app(
    config: Config, core: Core, ports: TeamsPorts, *, delivery: DeliverySettings | None = None
) -> web.Application:
    """The Teams bot as an aiohttp app on `core` (built with `ports.prompter` for Teams to ask standups);
    GET /healthz, /readyz and /metrics are served too.

    delivery: how the outbox worker polls and retries (started and stopped with the app)."""
    from bot.storage.backends import open_stores
    from bot.storage.group_commit import GroupCommitInbox

    # its own connection (see SqliteTeamsRefs); concurrent turns' keys share one commit
    inbox = GroupCommitInbox(open_stores(config.database).inbox(PLATFORM))
    turns = TeamsTurns(
        core.assistant,
        ports.refs,
        core.standup,
        channels=core.channels,
        watchers=core.watchers,
        inbox=inbox,
        identities=core.identities,
        member_lookup=ports.bridge.member,
    )
    notifier = TeamsNotifier(
        ports.bridge, ports.refs, core.kb, core.directory, watchers=core.watchers, chats=ports.chats
    )
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[NOTIFIER], app[BRIDGE], app[TURNS], app[REFS] = notifier, ports.bridge, turns, ports.refs
    app[WORKER] = core.outbox_worker(notifier, delivery)
    app[BACKLOG] = Backlog()
    app.router.add_post("/api/messages", _messages)
    from handlers.ops_http import Readiness, add_ops_routes

    app[READINESS] = Readiness()  # ready once the caller's start-up is done: see ready_once_started
    add_ops_routes(app, core, readiness=app[READINESS])
    app.on_startup.append(_start_notifier)
    app.on_shutdown.append(_stop_worker)
    app.on_cleanup.append(_stop_notifier)
    return app


def teams_core(config: Config, **ports_options: Any) -> tuple[Core, TeamsPorts]:
    """A core whose standups are asked in Teams personal chats, and the Teams ports it was built with
    (ports_options: see teams_ports)."""
    from bot.runtime import build_core, open_identities
    from bot.storage.backends import open_stores

    stores = open_stores(config.database)
    identities = open_identities(config, stores)
    ports = teams_ports(config, identities, **ports_options)
    return build_core(config, stores=stores, identities=identities, prompter=ports.prompter), ports


def teams_app(
    config: Config, *, delivery: DeliverySettings | None = None, **ports_options: Any
) -> tuple[web.Application, Core]:
    """teams_core, and the Teams app on it (ports_options: see teams_ports)."""
    core, ports = teams_core(config, **ports_options)
    return create_app(config, core, ports, delivery=delivery), core
