"""Delivering the outbox: a worker per platform and process; in order, retried, then a fallback."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.directory import Directory
from bot.escalations.models import Outcome
from bot.escalations.notices import Notice, decode_notice, fallback_notices
from bot.storage.clock import utc_now
from bot.storage.delivery import OutboxRow, OutboxStore

log = logging.getLogger(__name__)
Observe = Callable[[str, str], None]  # (platform, result: sent | retry | failed | fallback)


class Undeliverable(Exception):
    """A failure retrying cannot fix (the bot was removed from the channel, no such user): fall back now."""


class Deliverer(Protocol):
    """One platform's renderer and sender of notices (handlers/slack|teams implement it)."""

    platform: str

    def deliver(self, notice: Notice) -> None:
        """Render and send `notice`; raise to retry, Undeliverable when retrying is pointless."""


class Doorbell:
    """The service's notifier in serving processes: rings this process's workers after each commit, so
    local changes go out at once; changes from other processes are found by polling."""

    def __init__(self) -> None:
        self._events: list[threading.Event] = []
        self._lock = threading.Lock()

    def subscribe(self) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._events.append(event)
        return event

    def notify(self, outcome: Outcome) -> None:
        with self._lock:
            events = list(self._events)
        for event in events:
            event.set()


@dataclass(frozen=True)
class DeliverySettings:
    poll_seconds: float = 0.5
    backoff: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)  # waits between attempts; then fallback
    lease: timedelta = timedelta(seconds=120)
    keep: timedelta = timedelta(days=30)  # sent notices kept this long (for `rolebot outbox --all`)
    parallel: int = 4  # escalations whose notices are sent at the same time
    expire: timedelta = timedelta(days=7)  # pending this long (no server for its platform): given up


class OutboxWorker:
    """Delivers `deliverer.platform`'s outbox rows from a thread of its own until stopped."""

    def __init__(
        self,
        outbox: OutboxStore,
        deliverer: Deliverer,
        directory: Directory,
        doorbell: Doorbell,
        settings: DeliverySettings | None = None,
        observe: Observe | None = None,
    ) -> None:
        self.outbox, self.deliverer, self.directory = outbox, deliverer, directory
        self.settings = settings or DeliverySettings()
        self.observe = observe or (lambda platform, result: None)
        self._wake = doorbell.subscribe()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def platform(self) -> str:
        return self.deliverer.platform

    def start(self) -> OutboxWorker:
        self.outbox.retry_now(self.platform, utc_now())
        self.outbox.prune(utc_now() - self.settings.keep)
        self.outbox.expire(utc_now() - self.settings.expire, utc_now(), besides=self.platform)
        self._thread = threading.Thread(target=self._loop, name=f"{self.platform}-outbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until nothing of this platform is pending (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while self.outbox.waiting(self.platform):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.platform} outbox still has pending notices")
            self._wake.set()
            time.sleep(0.01)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                handled = self.run_once()
            except Exception:  # a database hiccup must not end delivery for good
                log.exception("outbox pass failed for %s", self.platform)
                handled = 0
            if not handled:
                self._wake.wait(self.settings.poll_seconds)

    def run_once(self) -> int:
        """One pass over what is due (at most one row per escalation, so rows of different escalations
        go out side by side and a slow one holds up only its own); the number of rows handled."""
        claimed = [
            row
            for row in self.outbox.due(self.platform, utc_now())
            if not self._stop.is_set() and self.outbox.claim(row.id, utc_now(), self.settings.lease)
        ]
        if len(claimed) == 1 or self.settings.parallel == 1:
            for row in claimed:
                self._handle(row)
        elif claimed:
            with ThreadPoolExecutor(max_workers=self.settings.parallel) as pool:
                list(pool.map(self._handle, claimed))
        return len(claimed)

    def _handle(self, row: OutboxRow) -> None:
        notice = decode_notice(row.platform, row.payload)
        try:
            self.deliverer.deliver(notice)
        except Undeliverable as exc:
            self._give_up(row, notice, str(exc) or type(exc).__name__)
            return
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            if row.attempts >= len(self.settings.backoff):
                self._give_up(row, notice, error)
                return
            wait = self.settings.backoff[row.attempts]
            log.warning("delivery of %s %s failed, retrying in %ss: %s", row.kind, row.id, wait, error)
            self.outbox.retry(row.id, utc_now() + timedelta(seconds=wait), error)
            self.observe(self.platform, "retry")
            return
        self.outbox.settle(row.id, "sent", utc_now())
        self.observe(self.platform, "sent")

    def _give_up(self, row: OutboxRow, notice: Notice, error: str) -> None:
        """Fallback for a card nobody will see: the team lead, else the fallback contact; the requester
        is told the team was not reached (and not, later, that it was)."""
        log.error(
            "giving up on %s notice %s for %s: %s", row.kind, row.id, notice.outcome.escalation.ref, error
        )
        if notice.kind == "card":
            self.outbox.skip_pending(row.escalation_id, row.platform, "requester", utc_now())
            self._fall_back(notice, error)
        self.outbox.settle(row.id, "failed", utc_now(), error)
        self.observe(self.platform, "failed")

    def _fall_back(self, notice: Notice, error: str) -> None:
        contacted = False
        for fallback in fallback_notices(notice, self.directory, error):
            if fallback.kind == "fallback" and contacted:
                continue  # the lead was reached: the fallback contact is not needed
            try:
                self.deliverer.deliver(fallback)
            except Exception:
                log.exception("fallback %s to %s failed", fallback.kind, fallback.to)
                continue
            contacted = contacted or fallback.kind in ("lead", "fallback")
            self.observe(self.platform, "fallback")
