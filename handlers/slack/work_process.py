"""Slack's questions answered in a process of their own, so acks on the serving loop never wait for them.

Why a process: answering (routing, Block Kit, the `response_url` post) and the acks share one GIL in
one process, and a burst of questions then delays the acks behind it. In a process of its own, at a
lower CPU priority, the answers wait for the acks instead: under a burst answers come a little later,
acks do not. State changes (an escalation, an ack, a reassignment) stay in the serving process: their
writes and the acks' inbox commits share its write gate, where an ack's commit goes first; across two
processes SQLite's file lock would make an ack wait behind the work's writes.

If the work process dies, the serving process stops (SIGTERM to itself, a graceful stop) so that its
supervisor restarts both.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from handlers.serving import DRAIN_SECONDS, Backlog, drain

if TYPE_CHECKING:
    from bot.config import Config

log = logging.getLogger(__name__)
WORK_THREADS = 16  # the work waits on the Web API more than it computes
NICENESS = 10  # the acks' process gets about ten times the CPU of the work's under contention
DONE, READY = "done", "ready"
STOP_GRACE = 1.0  # beyond the drain: its own stop (outbox, leases); then killed, as a crash would
READY_SECONDS = 60.0
_PR_SET_PDEATHSIG = 1


class WorkProcess:
    """The serving side: `hand(index, body)` gives one acknowledged question (or other request that
    changes nothing durable) to the work process (the backlog was taken by the ack); the backlog is
    released when the work process says it is done."""

    def __init__(self, config: Config, backlog: Backlog) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no copied locks or sockets
        self.backlog = backlog
        self._items: multiprocessing.Queue[Any] = context.Queue()
        self._said: multiprocessing.Queue[str] = context.Queue()
        self._process = context.Process(
            target=work, args=(config, self._items, self._said), name="rolebot-slack-work"
        )
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._listener: threading.Thread | None = None

    def start(self) -> None:
        """Start the work process; call from the thread that lives as long as serving does (the work
        process is killed when that thread ends, as when the serving process is killed)."""
        self._process.start()
        self._listener = threading.Thread(target=self._listen, name="slack-work-listener", daemon=True)
        self._listener.start()

    def wait_ready(self, seconds: float = READY_SECONDS) -> None:
        """Until the work process has built its core: one that cannot start is an error at start-up."""
        while not self._ready.wait(0.1):
            if not self._process.is_alive():
                raise RuntimeError(f"slack work process exited at start-up ({self._process.exitcode})")
            seconds -= 0.1
            if seconds <= 0:
                raise RuntimeError("slack work process not ready in time")

    def hand(self, index: int, body: dict[str, Any]) -> None:
        self._items.put((index, body))

    def stop(self, seconds: float = DRAIN_SECONDS) -> None:
        """No more work: what was handed over is started within `seconds` or left in the inbox."""
        self._stopping.set()
        self._items.put(None)
        self._process.join(seconds + STOP_GRACE)
        if self._process.is_alive():
            log.warning("slack work process did not stop in time: killed")
            self._process.kill()
            self._process.join()
        if self._listener is not None:
            self._listener.join(timeout=1)

    def _listen(self) -> None:
        while True:
            try:
                said = self._said.get(timeout=0.5)
            except queue.Empty:
                if self._process.is_alive():
                    continue
                if not self._stopping.is_set():
                    log.critical("slack work process exited (%s): stopping", self._process.exitcode)
                    os.kill(os.getpid(), signal.SIGTERM)  # a graceful stop: its supervisor restarts both
                return
            if said == DONE:
                self.backlog.release()
            elif said == READY:
                self._ready.set()


def work(config: Config, items: Any, said: Any) -> None:
    """The work process: the Slack runtime without HTTP, answering what the serving process hands over."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the server stops us
    os.nice(NICENESS)
    from bot.observability import configure_logging
    from handlers.slack.app import lazy, listeners
    from handlers.slack.server import build_slack

    configure_logging(config.log_level, config.log_format)
    runtime = build_slack(config)  # its outbox and inbox are the serving process's: not started here
    ctx = runtime.app._rolebot_ctx  # type: ignore[attr-defined]
    table = [(lazy(ctx, job, runtime.intake) if job is not None else None) for *_, job in listeners(ctx)]
    executor = ThreadPoolExecutor(WORK_THREADS, thread_name_prefix="slack-work")
    said.put(READY)

    def run(job: Any, body: dict[str, Any]) -> None:
        try:
            job(body, runtime.app.client)
        finally:
            said.put(DONE)

    while (item := items.get()) is not None:
        index, body = item
        job = table[index]
        if job is None:  # not a listener with work: nothing to do but say so
            said.put(DONE)
            continue
        executor.submit(run, job, body)
    drain(executor)
    logging.shutdown()
    os._exit(0)  # not waiting for an answer still running (a slow Web API call): the stop stays bounded


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when the serving process dies (also by SIGKILL), so a
    restarted server never finds the old work process still answering beside its new one."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's exit is seen when `items` breaks
        log.debug("PR_SET_PDEATHSIG unavailable")
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(0)
