"""`rolebot serve slack`: the Slack app's server, its scheduler and the work process, until SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient

from bot.config import Config
from handlers.serving import add_directory_refresh, drain
from handlers.slack.aio import EVENTS_PATH
from handlers.slack.server import (
    DEFAULT_PORT,
    SlackHttpServer,
    SlackRuntime,
    build_slack,
    start_socket_mode,
)
from handlers.slack.work_process import WorkProcess

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bot.scheduler import SchedulerSettings

log = logging.getLogger(__name__)


def stop_on_sigterm() -> None:
    """`docker stop` / systemd send SIGTERM: unwind like Ctrl+C so the scheduler and servers stop."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@dataclass
class SlackServing:
    """A wired Slack app with its HTTP server (bound, not yet serving), scheduler, Socket Mode link and
    the work process answering questions (None: in this process)."""

    runtime: SlackRuntime
    server: SlackHttpServer
    scheduler: BackgroundScheduler
    socket: Any = None
    work_process: WorkProcess | None = None

    def close(self) -> None:
        self.scheduler.shutdown()  # waits for a digest being posted, so its run is marked sent
        if self.socket is not None:
            self.socket.close()
        self.server.stop()
        stopping = None
        if self.work_process is not None:  # side by side with the drain: the stop stays within its time
            stopping = threading.Thread(target=self.work_process.stop, name="slack-work-stop")
            stopping.start()
        drain(self.runtime.app.listener_runner.listener_executor)
        if stopping is not None:
            stopping.join()
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
    # questions answered in a process of their own, unless a test watches the work in its executor
    separate = not socket_mode and executor is None
    runtime = build_slack(config, client=client, socket_mode=socket_mode, executor=executor)
    core = runtime.core
    work_process = WorkProcess(config, runtime.intake.backlog) if separate else None
    listen = port if port is not None else (config.port or DEFAULT_PORT)  # 0: any free port (tests)
    server = SlackHttpServer(
        None if socket_mode else runtime.app,
        listen,
        host,
        core=core,
        hand_over=work_process.hand if work_process is not None else None,
    )
    poster = SlackDigestPoster(runtime.app.client, core.directory)
    scheduler = start_scheduler(core, poster, settings=settings, metrics=serving_metrics(core))
    add_group_refresh(scheduler, runtime)
    serving = SlackServing(runtime, server, scheduler, work_process=work_process)
    try:
        runtime.start_background()
        if work_process is not None:
            work_process.start()
            work_process.wait_ready()
        if socket_mode:
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
