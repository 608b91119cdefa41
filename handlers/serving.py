"""What every `rolebot serve ...` process runs beside its adapters: scheduler settings and metrics."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from bot.config import ConfigError
from bot.observability import Metrics, default_metrics
from bot.scheduler import SchedulerSettings

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from bot.runtime import Core

log = logging.getLogger(__name__)
MAX_BACKLOG = 500  # requests taken in whose work has not finished: beyond this new ones are refused
SHUTDOWN_SECONDS = 5.0  # on SIGTERM, requests in flight get this long; accepted work is in the inbox
DRAIN_SECONDS = 3.0  # then work acknowledged but not done gets this long before what has not started is
# handed back to the inbox (the next start finishes it); with the rest, the stop stays well under 10 s
KEEPALIVE_SECONDS = 15.0  # an idle keep-alive connection is closed after this
BODY_SECONDS = 10.0  # a request body that takes longer to arrive is refused (408)
# Header limits at the server: Slack and the Bot Framework send a dozen short headers.
MAX_LINE_BYTES, MAX_HEADERS = 8190, 64
# What every aiohttp server of ours is run with (web.run_app, web.AppRunner): the limits at the server.
SERVER_LIMITS: dict[str, Any] = {
    "shutdown_timeout": SHUTDOWN_SECONDS,
    "keepalive_timeout": KEEPALIVE_SECONDS,
    "max_line_size": MAX_LINE_BYTES,
    "max_field_size": MAX_LINE_BYTES,
    "max_headers": MAX_HEADERS,
}


def scheduler_settings(env: Mapping[str, str], sweep_interval: float | None = None) -> SchedulerSettings:
    """ROLEBOT_SWEEP_SECONDS / ROLEBOT_DIGEST_RETRY_SECONDS / ROLEBOT_DIGESTS, with `--sweep-interval`
    (when given) overriding the sweep; 0 means no sweep in this process."""
    try:
        settings = SchedulerSettings.from_env(env)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if sweep_interval is None:
        return settings
    if sweep_interval < 0:
        raise ConfigError("--sweep-interval must not be negative")
    return dataclasses.replace(settings, sweep_seconds=sweep_interval)


def serving_metrics(core: Core) -> Metrics:
    """The process's metrics, with the escalation gauges read from the core's database at each scrape."""
    metrics = default_metrics()
    metrics.watch(core.stores.health)
    return metrics


class Backlog:
    """Counts work acknowledged but not yet done in this process, so overload is refused at the door
    (HTTP 503: Slack and the Bot Framework retry later) instead of queueing it in memory without end."""

    def __init__(self, limit: int = MAX_BACKLOG) -> None:
        self.limit = limit
        self._count = 0
        self._lock = threading.Lock()

    def full(self) -> bool:
        with self._lock:
            return self._count >= self.limit

    def take(self) -> None:
        with self._lock:
            self._count += 1

    def release(self) -> None:
        with self._lock:
            self._count = max(0, self._count - 1)


def run_aiohttp(app: Any, host: str, port: int) -> None:
    """Serve an aiohttp app until SIGINT/SIGTERM: on either it stops accepting, lets requests in flight
    finish for SHUTDOWN_SECONDS, then runs the app's shutdown and clean-up hooks."""
    from aiohttp import web

    web.run_app(app, host=host, port=port, print=None, **SERVER_LIMITS)


def drain(executor: Executor, seconds: float = DRAIN_SECONDS) -> None:
    """Let the work already given to `executor` finish for up to `seconds`, then cancel what has not
    started: a state change stays pending in the inbox and the next start does it; a question taken in
    but not yet answered is not kept (issue 12: questions are not durable), so it is logged."""
    done = threading.Event()

    def wait() -> None:
        executor.shutdown(wait=True)
        done.set()

    threading.Thread(target=wait, name="drain", daemon=True).start()
    if not done.wait(seconds):
        executor.shutdown(wait=False, cancel_futures=True)
        log.warning("stopping: work not started within %s s handed back to the inbox", seconds)


def add_directory_refresh(
    scheduler: BaseScheduler, read: Callable[[], object], seconds: int, job_id: str, what: str
) -> None:
    """Read platform membership (user groups, rosters) now and every `seconds` after; a failed read is
    logged and retried at the next run, while the directory file's members still count."""
    from datetime import datetime

    def job() -> None:
        try:
            read()
        except Exception:
            log.exception("reading %s failed", what)

    scheduler.add_job(
        job,
        "interval",
        seconds=seconds,
        id=job_id,
        next_run_time=datetime.now().astimezone(),
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )
