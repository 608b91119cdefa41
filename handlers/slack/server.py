"""Running the Slack app: wiring from a Config, HTTP mode (/slack/events) or Socket Mode, and the sweep."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.config import Config
from handlers.slack.app import create_app, make_client
from handlers.slack.notifier import SlackNotifier
from handlers.slack.refs import SlackMessageRefs

if TYPE_CHECKING:
    from bot.runtime import Core

log = logging.getLogger(__name__)
DEFAULT_PORT = 3000
EVENTS_PATH = "/slack/events"


@dataclass
class SlackRuntime:
    """The wired app and the core it drives (the notifier already plugged into the service)."""

    app: App
    core: Core
    notifier: SlackNotifier


def build_slack(
    config: Config,
    *,
    client: WebClient | None = None,
    socket_mode: bool = False,
    executor: Executor | None = None,
) -> SlackRuntime:
    """Core + SlackNotifier + bolt App from `config`; missing settings fail first, in one line."""
    from bot.runtime import build_core
    from bot.storage import open_database

    config.require("slack_bot_token", *(("slack_app_token",) if socket_mode else ("slack_signing_secret",)))
    client = client or make_client(config)
    core = build_core(config)
    service = core.service

    def last_actor(escalation_id: int) -> str | None:
        history = service.history(f"ESC-{escalation_id}")
        return history[-1].actor if history else None

    # A connection of its own: the escalation store serialises its connection with a private lock.
    refs = SlackMessageRefs(open_database(config.db_path))
    notifier = SlackNotifier(client, core.directory, core.kb, refs, last_actor=last_actor)
    service.notifier = notifier
    if socket_mode and not config.slack_signing_secret:
        # Socket Mode requests arrive over an authenticated websocket: no HTTP signature to check.
        config = _with(config, slack_signing_secret="socket-mode")
    app = create_app(
        config,
        core.assistant,
        service,
        kb=core.kb,
        directory=core.directory,
        client=client,
        executor=executor,
    )
    return SlackRuntime(app, core, notifier)


def _with(config: Config, **changes: Any) -> Config:
    from dataclasses import replace

    return replace(config, **changes)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a hung Slack connection must not keep the process alive on shutdown
    request_queue_size = 128  # bursts of slash commands queue instead of being refused


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    """/slack/events through bolt's WSGI adapter, plus GET /health for load balancers."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/health" and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok"]
        try:
            return bolt(environ, start_response)
        except ValueError:  # bolt parses the body before checking the signature: malformed is 400
            log.info("rejected a malformed Slack request body")
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"bad request"]

    return application


class SlackHttpServer:
    """A threaded WSGI server for the app; `start()` runs it in a background thread (tests, benchmark)."""

    def __init__(
        self, app: App, port: int = DEFAULT_PORT, host: str = "0.0.0.0", *, core: Core | None = None
    ) -> None:
        application = wsgi_app(app)
        if core is not None:  # GET /healthz and /metrics on the same port
            from handlers.ops_http import with_ops

            application = with_ops(application, core)
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
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Sweeper:
    """Runs the escalation sweep every `interval` seconds so unacknowledged escalations move up a level."""

    def __init__(self, sweep: Callable[[], object], interval: float) -> None:
        self.sweep, self.interval = sweep, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sweep", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.sweep()
            except Exception:  # one failed sweep must not end the loop; the next one retries
                log.exception("escalation sweep failed")

    def stop(self) -> None:
        self._stop.set()


def run(config: Config, *, port: int | None = None, sweep_interval: float = 60.0) -> None:
    """`rolebot serve slack`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT (3000)."""
    socket_mode = bool(config.slack_app_token)
    runtime = build_slack(config, socket_mode=socket_mode)
    sweeper = Sweeper(runtime.core.service.sweep, sweep_interval).start() if sweep_interval > 0 else None
    try:
        if socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("rolebot Slack app running in Socket Mode")
            SocketModeHandler(runtime.app, config.slack_app_token).start()
        else:
            server = SlackHttpServer(runtime.app, port or config.port or DEFAULT_PORT, core=runtime.core)
            log.info("rolebot Slack app listening on port %s at %s", server.port, EVENTS_PATH)
            server.serve_forever()
    finally:
        if sweeper:
            sweeper.stop()
