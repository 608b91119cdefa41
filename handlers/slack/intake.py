"""Taking Slack requests in: committed to the inbox before the ack, deduplicated for good, bounded."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import threading
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot.commands.language import looks_like_command
from bot.storage.clock import utc_now
from bot.storage.delivery import INBOX_LEASE, INBOX_MAX_ATTEMPTS, InboxRow, InboxStore
from handlers.serving import Backlog
from handlers.slack.context import RequestLog
from handlers.slack.render import blocks
from handlers.slack.standup import ESCALATE_ACTION

log = logging.getLogger(__name__)
KEY_FLUSH_SECONDS = 0.2  # how often the keys of questions are written (a crash forgets at most this much)
_MENTION = re.compile(r"^\s*<@[A-Z0-9]+>")
KEEP_KEYS = timedelta(days=7)  # request keys remembered this long (Slack retries for minutes, not days)
COMMIT_THREADS = 64  # acks waiting for their group commit on the AsyncApp's loop (each blocks a thread)
TAKE_OVER_BATCH = 20  # requests claimed at a time: the rest stay free for the other replicas meanwhile


def request_key(body: dict[str, Any]) -> str | None:
    """What identifies one Slack request across its retries: the event id, else (user, trigger id)."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    trigger = body.get("trigger_id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    return f"{user}|{trigger}" if trigger else None


def durable_route(body: dict[str, Any]) -> str | None:
    """The route of a request that asks for a state change (its work is kept until done), else None."""
    if body.get("command") == "/escalate" and str(body.get("text") or "").strip():
        return "command:/escalate"  # a bare /escalate only opens the modal
    kind = body.get("type")
    event = body.get("event") or {}
    if kind == "event_callback" and event.get("type") in ("message", "app_mention"):
        text = _MENTION.sub("", str(event.get("text") or ""), count=1).strip()
        return f"event:{event['type']}" if looks_like_command(text) else None  # escalate, ack... in a message
    if kind == "view_submission":
        callback = (body.get("view") or {}).get("callback_id")
        return f"view:{callback}" if callback in (blocks.ESCALATE_MODAL, blocks.REASSIGN_MODAL) else None
    if kind == "block_actions":
        action = ((body.get("actions") or [{}])[0]).get("action_id")
        return f"action:{action}" if action in (blocks.ACK, blocks.RESOLVE, ESCALATE_ACTION) else None
    if kind == "message_action" and body.get("callback_id") == blocks.SHORTCUT:
        return f"shortcut:{blocks.SHORTCUT}"
    return None


def _busy() -> BoltResponse:
    log.warning("slack backlog full: request refused with 503")
    return BoltResponse(status=503, body="busy, retry later")


def _repeated(key: str) -> BoltResponse:
    log.info("ignored a repeated Slack request %s", key)
    return BoltResponse(status=200, body="")


class SlackIntake:
    """The inbox and the backlog of one Slack app. A state change is committed before its ack; the key
    of any other request (a question) is kept in memory at once and written in batches, so a retry
    after a restart is still recognised without an fsync on every question's ack.

    A state change's row is leased to the replica working on it, which renews the lease while it works
    (a shared inbox: PostgreSQL); when a replica dies, a live one takes its requests over once their
    lease runs out, without a restart. On SQLite one process owns the file: what is unfinished at
    start-up is the stopped process's, and is done then."""

    def __init__(
        self,
        inbox: InboxStore,
        backlog: Backlog | None = None,
        lease: timedelta = INBOX_LEASE,
    ) -> None:
        self.inbox = inbox
        self.backlog = backlog or Backlog()
        self.lease = lease
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._working: set[str] = set()  # keys of state changes this process took in or over, unfinished
        self.seen = RequestLog()
        self._keys: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._writer: threading.Thread | None = None
        self._renewer: threading.Thread | None = None
        self._committers: ThreadPoolExecutor | None = None  # made by the first async request that commits

    @property
    def tick(self) -> float:
        """How often leases are renewed and expired ones looked for: a third of the lease."""
        return max(self.lease.total_seconds() / 3, 0.05)

    def start(self) -> None:
        self._writer = threading.Thread(target=self._write_keys, name="slack-inbox-keys", daemon=True)
        self._writer.start()
        if self.inbox.shared:
            self._renewer = threading.Thread(target=self._renew, name="slack-inbox-leases", daemon=True)
            self._renewer.start()

    def stop(self) -> None:
        self._stop.set()
        if self._committers is not None:
            self._committers.shutdown(wait=True)
        for thread in (self._writer, self._renewer):
            if thread is not None:
                thread.join(timeout=10)
        self._flush()
        if self.inbox.shared:  # what this replica did not finish goes to the others now, not after the lease
            try:
                self.inbox.renew(self.owner, self._keys_working(), utc_now() - self.lease)
            except Exception:  # stopping goes on: the leases run out by themselves
                log.exception("handing back unfinished Slack requests failed")

    def middleware(
        self, body: dict[str, Any], req: BoltRequest, next: Callable[[], None]
    ) -> BoltResponse | None:
        """Refuse when overloaded; commit a state change (with its payload) before the listener acks;
        answer a request taken in before (a retry, also after a restart) with 200 and do nothing."""
        if self.backlog.full():
            return _busy()
        key = request_key(body)
        if key is not None and not self._first_time(key, body, bool(req.headers.get("x-slack-retry-num"))):
            return _repeated(key)
        next()
        return None

    async def async_middleware(
        self, body: dict[str, Any], req: Any, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        """The same, for the AsyncApp: a request that waits on the database (a state change's commit, a
        retry's lookup) waits in a thread of its own, so the loop goes on acking the others."""
        if self.backlog.full():
            return _busy()
        key = request_key(body)
        if key is not None:
            retry = bool(req.headers.get("x-slack-retry-num"))
            if retry or self._writer is None or durable_route(body) is not None:
                if self._committers is None:
                    self._committers = ThreadPoolExecutor(COMMIT_THREADS, thread_name_prefix="slack-commit")
                loop = asyncio.get_running_loop()
                first = await loop.run_in_executor(self._committers, self._first_time, key, body, retry)
            else:
                first = self._first_time(key, body, retry)  # memory only: the key is written later
            if not first:
                return _repeated(key)
        return await next()

    def _first_time(self, key: str, body: dict[str, Any], retry: bool) -> bool:
        if not self.seen.first_time(key):
            return False
        route = durable_route(body)
        if route is not None:
            try:
                accepted = self.inbox.accept(key, route, body)
            except Exception:  # not committed: Slack gets a 500 and its retry must be taken in
                self.seen.forget(key)
                raise
            if accepted:
                with self._lock:
                    self._working.add(key)
            return accepted
        if retry and self.inbox.known(key):
            return False  # answered before a restart
        with self._lock:
            self._keys.append(key)
        if self._writer is None:
            self._flush()
        return True

    def _write_keys(self) -> None:
        while not self._stop.wait(KEY_FLUSH_SECONDS):
            try:
                self._flush()
            except Exception:  # a busy database must not end the writer: the keys wait for the next round
                log.exception("writing Slack request keys failed")

    def _flush(self) -> None:
        with self._lock:
            keys, self._keys = self._keys, []
        if keys:
            self.inbox.remember(keys)

    def finished(self, body: dict[str, Any], failed: bool = False) -> None:
        key = request_key(body)
        if key is None or durable_route(body) is None:
            return
        try:
            self.inbox.finish(key, "failed" if failed else "done")
        finally:
            with self._lock:
                self._working.discard(key)

    def recover(self, run: Callable[[str, dict[str, Any]], None]) -> int:
        """At start-up: finish the requests taken in but never finished, every one on SQLite (the
        process stopped), those whose lease ran out on a shared inbox; `run(route, body)` does one.
        Returns how many were run."""
        self.inbox.prune(utc_now() - KEEP_KEYS)
        if not self.inbox.shared:
            return self._run_all(
                self.inbox.claim(self.owner, utc_now(), self.lease, 10_000, everything=True), run
            )
        return self.take_over(run)

    def follow(self, run: Callable[[str, dict[str, Any]], None]) -> None:
        """On a shared inbox, until stop(): every tick, take over the requests of replicas that died."""
        while self.inbox.shared and not self._stop.wait(self.tick):
            try:
                self.take_over(run)
            except Exception:  # a busy or unreachable database: the next tick tries again
                log.exception("taking over unfinished Slack requests failed")

    def take_over(self, run: Callable[[str, dict[str, Any]], None]) -> int:
        """Claim and run, a batch at a time, the requests whose lease ran out; how many were run."""
        done = 0
        while not self._stop.is_set():
            rows = self.inbox.claim(self.owner, utc_now(), self.lease, TAKE_OVER_BATCH)
            with self._lock:
                mine = [row for row in rows if row.key not in self._working]  # renewal was late: ours
                self._working.update(row.key for row in mine)
            done += self._run_all(mine, run)
            if len(rows) < TAKE_OVER_BATCH:
                return done
        return done

    def _run_all(self, rows: list[InboxRow], run: Callable[[str, dict[str, Any]], None]) -> int:
        done = 0
        for row in rows:
            try:
                if row.attempts >= INBOX_MAX_ATTEMPTS:
                    log.error("inbox request %s failed %s times: given up", row.id, row.attempts)
                    self.inbox.finish(row.key, "failed")
                    continue
                self.backlog.take()
                run(row.route, row.payload)
                done += 1
            finally:
                with self._lock:
                    self._working.discard(row.key)
        return done

    def _keys_working(self) -> list[str]:
        with self._lock:
            return list(self._working)

    def _renew(self) -> None:
        while not self._stop.wait(self.tick):
            try:
                self.inbox.renew(self.owner, self._keys_working(), utc_now() + self.lease)
            except Exception:  # the next tick tries again, well within the lease
                log.exception("renewing Slack request leases failed")
