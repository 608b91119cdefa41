"""Taking Slack requests in: committed to the inbox before the ack, deduplicated for good, bounded."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot.commands.language import looks_like_command
from bot.storage.clock import utc_now
from bot.storage.delivery import INBOX_MAX_ATTEMPTS, InboxStore
from handlers.serving import Backlog
from handlers.slack.context import RequestLog
from handlers.slack.render import blocks
from handlers.slack.standup import ESCALATE_ACTION

log = logging.getLogger(__name__)
KEY_FLUSH_SECONDS = 0.2  # how often the keys of questions are written (a crash forgets at most this much)
_MENTION = re.compile(r"^\s*<@[A-Z0-9]+>")
KEEP_KEYS = timedelta(days=7)  # request keys remembered this long (Slack retries for minutes, not days)


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


class SlackIntake:
    """The inbox and the backlog of one Slack app. A state change is committed before its ack; the key
    of any other request (a question) is kept in memory at once and written in batches, so a retry
    after a restart is still recognised without an fsync on every question's ack."""

    def __init__(self, inbox: InboxStore, backlog: Backlog | None = None) -> None:
        self.inbox = inbox
        self.backlog = backlog or Backlog()
        self.seen = RequestLog()
        self._keys: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._writer: threading.Thread | None = None

    def start(self) -> None:
        self._writer = threading.Thread(target=self._write_keys, name="slack-inbox-keys", daemon=True)
        self._writer.start()

    def stop(self) -> None:
        self._stop.set()
        if self._writer is not None:
            self._writer.join(timeout=10)
        self._flush()

    def middleware(
        self, body: dict[str, Any], req: BoltRequest, next: Callable[[], None]
    ) -> BoltResponse | None:
        """Refuse when overloaded; commit a state change (with its payload) before the listener acks;
        answer a request taken in before (a retry, also after a restart) with 200 and do nothing."""
        if self.backlog.full():
            log.warning("slack backlog full: request refused with 503")
            return BoltResponse(status=503, body="busy, retry later")
        key = request_key(body)
        if key is not None and not self._first_time(key, body, bool(req.headers.get("x-slack-retry-num"))):
            log.info("ignored a repeated Slack request %s", key)
            return BoltResponse(status=200, body="")
        next()
        return None

    def _first_time(self, key: str, body: dict[str, Any], retry: bool) -> bool:
        if not self.seen.first_time(key):
            return False
        route = durable_route(body)
        if route is not None:
            try:
                return self.inbox.accept(key, route, body)
            except Exception:  # not committed: Slack gets a 500 and its retry must be taken in
                self.seen.forget(key)
                raise
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
        if key is not None and durable_route(body) is not None:
            self.inbox.finish(key, "failed" if failed else "done")

    def recover(self, run: Callable[[str, dict[str, Any]], None]) -> int:
        """Finish the requests taken in but never finished (the process stopped); `run(route, body)`
        does one. Returns how many were run."""
        self.inbox.prune(utc_now() - KEEP_KEYS)
        done = 0
        for row in self.inbox.unfinished():
            if row.attempts >= INBOX_MAX_ATTEMPTS:
                log.error("inbox request %s failed %s times: given up", row.id, row.attempts)
                self.inbox.finish(row.key, "failed")
                continue
            self.inbox.attempt(row.key)
            self.backlog.take()
            run(row.route, row.payload)
            done += 1
        return done
