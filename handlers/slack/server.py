"""Running the Slack app: wiring from a Config, HTTP (/slack/events) or Socket Mode, and the scheduler."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Config
from handlers.serving import (
    MAX_BACKLOG,
    SERVER_LIMITS,
    SHUTDOWN_SECONDS,
    Backlog,
)
from handlers.slack.aio import EVENTS_PATH, add_slack_routes
from handlers.slack.app import create_app, make_client, recover_inbox
from handlers.slack.async_app import HandOver, create_async_app
from handlers.slack.dms import DmChannels, SlackPeopleIds
from handlers.slack.intake import SlackIntake
from handlers.slack.notifier import SlackNotifier
from handlers.slack.standup import SlackStandupPrompter

if TYPE_CHECKING:
    from bot.escalations.delivery import DeliverySettings, OutboxWorker
    from bot.identities import Identities
    from bot.runtime import Core

log = logging.getLogger(__name__)
DEFAULT_PORT = 3000


@dataclass
class SlackRuntime:
    """The wired app, the core it drives and the worker delivering its outbox notices (not started)."""

    app: App
    core: Core
    notifier: SlackNotifier
    worker: OutboxWorker
    intake: SlackIntake

    def start_background(self) -> None:
        """Start delivering the outbox, and finish in a thread what was taken in before the last stop."""
        self.worker.start()
        self.intake.start()
        threading.Thread(
            target=recover_inbox,
            args=(self.app, self.intake),
            kwargs={"follow": True},
            name="slack-inbox-recovery",
            daemon=True,
        ).start()


@dataclass(frozen=True)
class SlackPorts:
    """What Slack gives the core before the core is built: the Web API client, the bot's DM channels
    and the Slack ids of people named by email only (both shared with the notifier), and the standup
    prompter that DMs each participant."""

    client: WebClient
    dm_channels: DmChannels
    people: SlackPeopleIds
    prompter: SlackStandupPrompter


def slack_ports(config: Config, identities: Identities, client: WebClient | None = None) -> SlackPorts:
    """identities: the core's (bot.runtime.open_identities), where ids found by email are remembered."""
    client = client or make_client(config)
    dm_channels = DmChannels(client)
    people = SlackPeopleIds(client, identities, dm_channels)
    return SlackPorts(client, dm_channels, people, SlackStandupPrompter(client, dm_channels, people))


def slack_core(config: Config, client: WebClient | None = None) -> tuple[Core, SlackPorts]:
    """A core whose standups are asked by Slack DM, and the Slack ports it was built with."""
    from bot.runtime import build_core, open_identities
    from bot.storage.backends import open_stores

    stores = open_stores(config.database)
    identities = open_identities(config, stores)
    ports = slack_ports(config, identities, client)
    return build_core(config, stores=stores, identities=identities, prompter=ports.prompter), ports


def build_slack(
    config: Config,
    *,
    client: WebClient | None = None,
    socket_mode: bool = False,
    executor: Executor | None = None,
    core: Core | None = None,
    ports: SlackPorts | None = None,
    delivery: DeliverySettings | None = None,
    backlog: int = MAX_BACKLOG,
) -> SlackRuntime:
    """Core + SlackNotifier + outbox worker + bolt App from `config`; missing settings fail first, in one
    line.

    core: an existing Core to drive (`rolebot serve all` shares one with Teams, built with `ports`'s
    prompter); default: a new one whose standups are asked by Slack DM.
    ports: the ports that core was built with (given together with core; default: new ones on `client`).
    backlog: requests acknowledged but not yet done beyond which new ones are refused (503)."""
    from bot.storage.backends import open_stores
    from bot.storage.group_commit import GroupCommitInbox

    config.require("slack_bot_token", *(("slack_app_token",) if socket_mode else ("slack_signing_secret",)))
    if (core is None) != (ports is None):
        raise TypeError("build_slack: pass core together with the ports it was built with")
    if core is None or ports is None:
        core, ports = slack_core(config, client)
    # A connection of its own: the references commit outside the shared connection's transactions.
    refs = open_stores(config.database).slack_refs
    notifier = SlackNotifier(
        ports.client,
        core.directory,
        core.kb,
        refs,
        identities=core.identities,
        watchers=core.watchers,
        dm_channels=ports.dm_channels,
        people=ports.people,
    )
    worker = core.outbox_worker(notifier, delivery)
    # group-committed: a burst's inbox rows share one transaction (one fsync), each ack after its row
    inbox = GroupCommitInbox(open_stores(config.database).inbox("slack"))
    intake = SlackIntake(inbox, Backlog(backlog), config.inbox_lease)
    if socket_mode and not config.slack_signing_secret:
        # Socket Mode requests arrive over an authenticated websocket: no HTTP signature to check.
        config = _with(config, slack_signing_secret="socket-mode")
    app = create_app(
        config,
        core.assistant,
        core.service,
        kb=core.kb,
        directory=core.directory,
        client=ports.client,
        executor=executor,
        standup_service=core.standup,
        identities=core.identities,
        listener=core.channels,
        watchers=core.watchers,
        intake=intake,
    )
    return SlackRuntime(app, core, notifier, worker, intake)


def _with(config: Config, **changes: Any) -> Config:
    from dataclasses import replace

    return replace(config, **changes)


class SlackHttpServer:
    """An aiohttp server, bound at construction: POST /slack/events answered by bolt's AsyncApp made
    from `app` (create_app's; its questions given to `hand_over`, a work process, when given), or no
    /slack/events when `app` is None (Socket Mode); GET /healthz, /readyz and /metrics with `core`, and
    GET /health for load balancers. `start()` serves from a loop in a thread of its own (tests, `serve
    all --slack-port`); `serve_forever()` serves until KeyboardInterrupt (SIGINT, SIGTERM)."""

    def __init__(
        self,
        app: App | None,
        port: int = DEFAULT_PORT,
        host: str = "0.0.0.0",
        *,
        core: Core | None = None,
        hand_over: HandOver | None = None,
    ) -> None:
        from handlers.ops_http import Readiness, add_ops_routes

        self.readiness = Readiness()  # ready once serving
        self.app = web.Application()
        if app is not None:
            secret = str(app._signing_secret)  # what bolt verifies with
            add_slack_routes(self.app, create_async_app(app, secret, hand_over), secret)
        self.app.router.add_get("/health", _ok)
        if core is not None:
            add_ops_routes(self.app, core, readiness=self.readiness)
        self._socket = socket.create_server((host, port), backlog=128)  # bursts queue, not refused
        self.port = int(self._socket.getsockname()[1])
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def start(self) -> SlackHttpServer:
        loop = self._loop = asyncio.new_event_loop()
        outcome: list[BaseException | None] = []
        opened = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._open())
                outcome.append(None)
            except BaseException as exc:  # raised again in start(), on the caller's thread
                outcome.append(exc)
                return
            finally:
                opened.set()
            loop.run_forever()

        self._thread = threading.Thread(target=serve, name="slack-http", daemon=True)
        self._thread.start()
        opened.wait()
        if outcome[0] is not None:
            raise outcome[0]
        self.readiness.ready = True
        return self

    async def _open(self) -> None:
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None, **SERVER_LIMITS)
        await self._runner.setup()
        await web.SockSite(self._runner, self._socket).start()

    def serve_forever(self) -> None:
        """Serve until KeyboardInterrupt, raised here (SIGINT, or SIGTERM through stop_on_sigterm)."""
        self.start()
        threading.Event().wait()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """Stop accepting, let requests in flight finish (SHUTDOWN_SECONDS), close the port."""
        self.readiness.ready = False
        loop, runner, thread = self._loop, self._runner, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            if runner is not None:
                asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(SHUTDOWN_SECONDS + 5)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
        self._thread = None
        self._socket.close()


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="ok")


def start_socket_mode(runtime: SlackRuntime, app_token: str) -> Any:
    """Connect over Socket Mode in background threads; `.close()` on the result disconnects."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(runtime.app, app_token)
    handler.connect()
    return handler
