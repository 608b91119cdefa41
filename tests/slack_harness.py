"""Drives the Slack app like Slack does: signed HTTP requests to its real server, Web API calls to a fake."""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_fake_api import FakeSlackApi

from bot.config import Config
from bot.escalations.delivery import DeliverySettings
from bot.storage.sqlite.outbox import STATES, OutboxRow, SqliteOutbox
from handlers.slack.server import SlackHttpServer, SlackRuntime, build_slack

PAYLOADS = Path(__file__).parent / "payloads" / "slack"
SECRET = "test-signing-secret"
_ids = itertools.count(1)
FAST_DELIVERY = DeliverySettings(poll_seconds=0.05, backoff=(0.01, 0.01))


def payload(name: str) -> dict[str, Any]:
    """A recorded-style payload from tests/payloads/slack/<name>.json (a fresh copy)."""
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))


def sign(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class TrackingExecutor(ThreadPoolExecutor):
    """bolt's listener executor, counting work in flight so tests can wait until the app is idle."""

    def __init__(self) -> None:
        super().__init__(max_workers=8)
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def settle(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the app did not finish its work after the ack")
                self._idle.wait(left)


class SlackHarness:
    """The app on a loopback port with its WebClient pointed at a FakeSlackApi."""

    def __init__(
        self, db_path: Path | str, fake: FakeSlackApi, *, backlog: int = 500, directory: Path | None = None
    ) -> None:
        """`db_path`: a SQLite file, or a postgresql:// URL (a replica on a shared database)."""
        self.fake = fake
        url = db_path if isinstance(db_path, str) else None
        self.config = Config(
            db_path=Path("unused.db") if url else Path(db_path),
            database_url=url,
            directory_path=directory,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        self.executor = TrackingExecutor()
        self.runtime: SlackRuntime = build_slack(
            self.config, executor=self.executor, delivery=FAST_DELIVERY, backlog=backlog
        )
        self.runtime.start_background()
        self.server = SlackHttpServer(
            self.runtime.app, port=0, host="127.0.0.1", core=self.runtime.core
        ).start()

    def close(self) -> None:
        self.server.stop()
        self.executor.shutdown(wait=True)
        self.runtime.worker.stop()
        self.runtime.intake.stop()

    def settle(self) -> None:
        """Wait until everything the app started after its acks is done, its notices delivered."""
        self.executor.settle()
        self.runtime.worker.wait_idle()

    # ---- raw HTTP --------------------------------------------------------------------------------
    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        ts = timestamp or str(int(time.time()))
        request = urllib.request.Request(
            self.server.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature or sign(body, ts),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def post_json(self, data: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return self.post(json.dumps(data).encode(), "application/json", **kwargs)

    def post_form(self, data: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return self.post(urlencode(data).encode(), "application/x-www-form-urlencoded", **kwargs)

    def post_interactive(self, data: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return self.post_form({"payload": json.dumps(data)}, **kwargs)

    # ---- Slack-shaped requests -------------------------------------------------------------------
    def event(
        self,
        event: dict[str, Any],
        *,
        name: str = "event_message_im",
        event_id: str | None = None,
        retry: int | None = None,
    ) -> tuple[int, str]:
        body = payload(name)
        body["event"].update(event)
        body["event_id"] = event_id or f"Ev{next(_ids):08d}"
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post_json(body, headers=headers)

    def dm(self, text: str, user: str = "U0ADA", **kwargs: Any) -> tuple[int, str]:
        return self.event({"text": text, "user": user, "channel": "D" + user[1:]}, **kwargs)

    def command(
        self,
        command: str,
        text: str = "",
        *,
        user: str = "U0ADA",
        channel: str = "C0GENERAL",
        trigger_id: str | None = None,
        response: str | None = None,
    ) -> tuple[int, str]:
        body = payload("command_whohandles" if command == "/whohandles" else "command_escalate")
        body.update(
            command=command,
            text=text,
            user_id=user,
            user_name=user.lower(),
            channel_id=channel,
            trigger_id=trigger_id or f"trigger.{next(_ids)}",
            response_url=self.fake.response_url(response or f"cmd{next(_ids)}"),
        )
        return self.post_form(body)

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0ADA",
        channel: str = "D0ADA",
        message_ts: str = "1700000600.000600",
        trigger_id: str | None = None,
    ) -> tuple[int, str]:
        body = payload("block_actions")
        body["user"].update(id=user, username=user.lower(), name=user.lower())
        body["channel"]["id"] = channel
        body["container"].update(channel_id=channel, message_ts=message_ts)
        body["actions"][0].update(action_id=action_id, value=value)
        body["trigger_id"] = trigger_id or f"trigger.{next(_ids)}"
        body["response_url"] = self.fake.response_url(f"act{next(_ids)}")
        return self.post_interactive(body)

    def submit(
        self,
        view: dict[str, Any],
        values: dict[str, str],
        *,
        user: str = "U0ADA",
        trigger_id: str | None = None,
        view_id: str | None = None,
    ) -> tuple[int, str]:
        """Submit a modal the app opened (`view` as sent to views.open) with `values` per block_id."""
        body = payload("view_submission")
        body["user"].update(id=user, username=user.lower(), name=user.lower())
        body["trigger_id"] = trigger_id or f"trigger.{next(_ids)}"
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            block_id, element = block["block_id"], block["element"]
            chosen = values.get(block_id)
            if element["type"] == "static_select":
                option = (
                    {"text": {"type": "plain_text", "text": chosen or ""}, "value": chosen}
                    if chosen
                    else None
                )
                state[block_id] = {"value": {"type": "static_select", "selected_option": option}}
            else:
                state[block_id] = {"value": {"type": element["type"], "value": chosen}}
        body["view"].update(
            id=view_id or f"V{next(_ids):08d}",
            callback_id=view["callback_id"],
            private_metadata=view.get("private_metadata", ""),
            blocks=view["blocks"],
            state={"values": state},
        )
        return self.post_interactive(body)

    def shortcut(
        self, text: str, *, user: str = "U0BO", channel: str = "C0GENERAL", trigger_id: str | None = None
    ) -> tuple[int, str]:
        body = payload("message_shortcut")
        body["user"].update(id=user, username=user.lower(), name=user.lower())
        body["channel"]["id"] = channel
        body["message"]["text"] = text
        body["trigger_id"] = trigger_id or f"trigger.{next(_ids)}"
        return self.post_interactive(body)

    # ---- reading back ----------------------------------------------------------------------------
    def escalation_count(self) -> int:
        return int(
            self.runtime.core.stores.health.db.execute("SELECT count(*) FROM escalations").fetchone()[0]
        )

    def outbox_rows(self) -> list[OutboxRow]:
        return SqliteOutbox(self.runtime.core.stores.health.db).listing(STATES, limit=1000)

    def posts_to(self, channel: str) -> list[dict[str, Any]]:
        return [c for c in self.fake.calls("chat.postMessage") if c.get("channel") == channel]


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    """The button `action_id` (exact or prefix) in a message's blocks."""
    for block in blocks:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("action_id", "").startswith(action_id):
                return element
    raise AssertionError(f"no button {action_id} in {json.dumps(blocks)[:500]}")


def texts(call: dict[str, Any]) -> str:
    """Everything readable in a recorded Web API call (text + blocks), for 'contains' asserts."""
    blocks = call.get("blocks") or (call.get("view") or {}).get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return str(call.get("text") or "") + "\n" + json.dumps(blocks, ensure_ascii=False)
