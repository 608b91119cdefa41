"""Running the Slack app: wiring from a Config, HTTP (/slack/events) or Socket Mode, and the scheduler."""

from __future__ import annotations

import io
import logging
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.config import Config
from handlers.serving import BODY_SECONDS, MAX_BACKLOG, Backlog, add_directory_refresh, drain
from handlers.slack.app import create_app, make_client, recover_inbox
from handlers.slack.dms import DmChannels, SlackPeopleIds
from handlers.slack.intake import SlackIntake
from handlers.slack.notifier import SlackNotifier
from handlers.slack.standup import SlackStandupPrompter

if TYPE_CHECKING:
    from bot.escalations.delivery import DeliverySettings, OutboxWorker
    from bot.identities import Identities
    from bot.runtime import Core
    from bot.scheduler import SchedulerSettings

log = logging.getLogger(__name__)
DEFAULT_PORT = 3000
EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are a few KB; a message shortcut with a long text, ~100 KB
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


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
    works_here: bool = True,
) -> SlackRuntime:
    """Core + SlackNotifier + outbox worker + bolt App from `config`; missing settings fail first, in one
    line.

    core: an existing Core to drive (`rolebot serve all` shares one with Teams, built with `ports`'s
    prompter); default: a new one whose standups are asked by Slack DM.
    ports: the ports that core was built with (given together with core; default: new ones on `client`).
    backlog: requests acknowledged but not yet done beyond which new ones are refused (503).
    works_here: False when a work process does the work after the acks (handlers.slack.work_process)."""
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
    intake = SlackIntake(inbox, Backlog(backlog), config.inbox_lease, works=works_here)
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


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a hung Slack connection must not keep the process alive on shutdown
    request_queue_size = 128  # bursts of slash commands queue instead of being refused


class _QuietHandler(WSGIRequestHandler):
    timeout = BODY_SECONDS  # a client that stalls sending its headers or body is dropped

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def _plain(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode()]


def _signed_body(environ: dict[str, Any], verifier: SignatureVerifier) -> bytes | str:
    """The request body when Slack signed it, else why not (bolt would parse it before checking)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "400 Bad Request"
    if length > MAX_BODY_BYTES:
        return "413 Payload Too Large"
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    try:
        valid = verifier.is_valid(body, timestamp, signature)
    except ValueError:  # a timestamp that is not a number
        valid = False
    return body if valid else "401 Unauthorized"


def wsgi_app(app: App, signing_secret: str | None = None) -> WsgiApp:
    """/slack/events through bolt's WSGI adapter, plus GET /health for load balancers. With
    `signing_secret`, the signature is checked first: an unsigned body is never parsed (one log line)."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/health" and environ.get("REQUEST_METHOD") == "GET":
            return _plain(start_response, "200 OK", "ok")
        if verifier is not None and environ.get("REQUEST_METHOD") == "POST":
            body = _signed_body(environ, verifier)
            if isinstance(body, str):
                log.warning("refused a Slack request: %s", body[4:].lower())
                return _plain(start_response, body, body[4:].lower())
            environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        try:
            return bolt(environ, start_response)
        except (ValueError, RecursionError):  # a signed but malformed body (or nested too deep): 400
            log.info("rejected a malformed Slack request body")
            return _plain(start_response, "400 Bad Request", "bad request")

    return application


class SlackHttpServer:
    """A threaded WSGI server for the app; `start()` runs it in a background thread (tests, benchmark)."""

    def __init__(
        self,
        app: App | WsgiApp,
        port: int = DEFAULT_PORT,
        host: str = "0.0.0.0",
        *,
        core: Core | None = None,
    ) -> None:
        # bolt keeps the secret it verifies with; we verify with it first, before anything parses the body
        application = wsgi_app(app, getattr(app, "_signing_secret", None)) if isinstance(app, App) else app
        from handlers.ops_http import Readiness, with_ops

        self.readiness = Readiness()  # ready once serving
        if core is not None:  # GET /healthz, /readyz and /metrics on the same port
            application = with_ops(application, core, readiness=self.readiness)
        self.server = make_server(
            host, port, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def start(self) -> SlackHttpServer:
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-http", daemon=True
        )
        self._thread.start()
        self.readiness.ready = True
        return self

    def serve_forever(self) -> None:
        self.readiness.ready = True
        self.server.serve_forever()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self.readiness.ready = False
        if self._thread is not None:  # shutdown() would wait forever for a loop that never ran
            self.server.shutdown()
            self._thread = None
        self.server.server_close()


def ops_only_app() -> WsgiApp:
    """404 for everything: with_ops() in front of it serves /healthz and /metrics in Socket Mode."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found"]

    return application


def start_socket_mode(runtime: SlackRuntime, app_token: str) -> Any:
    """Connect over Socket Mode in background threads; `.close()` on the result disconnects."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(runtime.app, app_token)
    handler.connect()
    return handler


def stop_on_sigterm() -> None:
    """`docker stop` / systemd send SIGTERM: unwind like Ctrl+C so the scheduler and servers stop."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@dataclass
class SlackServing:
    """A wired Slack app with its HTTP server (bound, not yet serving), scheduler and Socket Mode link."""

    runtime: SlackRuntime
    server: SlackHttpServer
    scheduler: BackgroundScheduler
    socket: Any = None

    def close(self) -> None:
        self.scheduler.shutdown()  # waits for a digest being posted, so its run is marked sent
        if self.socket is not None:
            self.socket.close()
        self.server.stop()
        drain(self.runtime.app.listener_runner.listener_executor)
        self.runtime.worker.stop()
        self.runtime.intake.stop()


GROUP_REFRESH_SECONDS = 3600  # user groups change rarely; membership checks read the last answer


def add_group_refresh(scheduler: BackgroundScheduler, runtime: SlackRuntime) -> None:
    """Read teams' Slack user groups into the directory at start-up and every hour after."""
    identities = runtime.core.identities
    if identities is None or not any(c.slack_usergroup for c in runtime.core.directory.teams.values()):
        return
    from handlers.slack.directory_source import SlackDirectorySource

    def read() -> None:
        found = identities.refresh_groups(SlackDirectorySource(runtime.app.client))
        log.info("slack user groups read", extra={"teams": found})

    add_directory_refresh(scheduler, read, GROUP_REFRESH_SECONDS, "directory-groups", "slack user groups")


def start_serving(
    config: Config,
    *,
    port: int | None = None,
    host: str = "0.0.0.0",
    settings: SchedulerSettings | None = None,
    client: WebClient | None = None,
    executor: Executor | None = None,
) -> SlackServing:
    """Everything `rolebot serve slack` runs: the app, its port (in Socket Mode serving only /healthz and
    /metrics), and the scheduler posting digests as Block Kit and running the escalation sweep."""
    from bot.scheduler import start_scheduler
    from handlers.serving import serving_metrics
    from handlers.slack.digest_poster import SlackDigestPoster

    socket_mode = bool(config.slack_app_token)
    runtime = build_slack(config, client=client, socket_mode=socket_mode, executor=executor)
    core = runtime.core
    listen = port if port is not None else (config.port or DEFAULT_PORT)  # 0: any free port (tests)
    server = SlackHttpServer(ops_only_app() if socket_mode else runtime.app, listen, host, core=core)
    poster = SlackDigestPoster(runtime.app.client, core.directory)
    scheduler = start_scheduler(core, poster, settings=settings, metrics=serving_metrics(core))
    add_group_refresh(scheduler, runtime)
    runtime.start_background()
    serving = SlackServing(runtime, server, scheduler)
    if socket_mode:
        try:
            serving.socket = start_socket_mode(runtime, str(config.slack_app_token))
        except BaseException:
            serving.close()
            raise
    return serving


def run(
    config: Config,
    *,
    port: int | None = None,
    host: str = "0.0.0.0",
    settings: SchedulerSettings | None = None,
) -> None:
    """`rolebot serve slack`: HTTP on PORT (3000), or Socket Mode when SLACK_APP_TOKEN is set; serves
    until SIGINT or SIGTERM, then stops the scheduler and the server."""
    serving = start_serving(config, port=port, host=host, settings=settings)
    stop_on_sigterm()
    what = "Socket Mode; this port serves /healthz and /metrics" if serving.socket else EVENTS_PATH
    log.info("rolebot Slack app on %s:%s (%s)", host, serving.server.port, what)
    try:
        serving.server.serve_forever()
    except KeyboardInterrupt:
        log.info("rolebot Slack app stopping")
    finally:
        serving.close()
