"""Slack on the one aiohttp port of `serve all` (bolt's AsyncApp acks on the loop): the Slack boundary's
and the escalation workflow's tests again, through that front instead of the threaded WSGI server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from slack_fake_api import FakeSlackApi
from slack_harness import FAST_DELIVERY, SECRET, SlackHarness, TrackingExecutor, payload

# The tests below run again here, with this module's `slack` fixture: the same requests and checks.
from test_slack_escalations import (  # noqa: F401
    test_a_modal_that_cannot_open_is_reported_to_the_user,
    test_escalate_with_text_speaks_the_command_language,
    test_misspelt_team_in_slash_escalate_creates_nothing,
    test_modal_rejects_an_empty_summary_inline,
    test_modal_with_errors_creates_nothing_until_it_is_fixed,
    test_modals_are_opened_before_the_ack_returns,
    test_question_to_acknowledged_escalation_whole_path,
    test_resubmitted_modal_creates_one_escalation,
    test_shortcut_the_router_cannot_place_opens_the_modal,
)
from test_slack_http import (  # noqa: F401
    test_forged_signature_is_rejected_and_nothing_happens,
    test_interactive_payload_with_bad_json_is_not_a_crash,
    test_replayed_slash_command_acts_once,
    test_retried_event_escalates_once,
    test_stale_timestamp_is_rejected,
    test_tampered_body_is_rejected,
    test_url_verification_answers_the_challenge,
)

from bot.config import Config
from handlers.slack.aio import add_slack_routes
from handlers.slack.async_app import create_async_app
from handlers.slack.server import EVENTS_PATH, build_slack


class _OnePort:
    """An aiohttp server on loopback, run by a loop in a thread of its own, serving /slack/events."""

    def __init__(self, app: web.Application) -> None:
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        started = threading.Event()
        self.port = 0

        async def start() -> None:
            await self.runner.setup()
            site = web.TCPSite(self.runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            started.set()

        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(start(), self.loop)
        assert started.wait(30), "the aiohttp server did not start"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class OnePortHarness(SlackHarness):
    """SlackHarness with the app behind the AsyncApp front on aiohttp (its work in the test's
    executor, in this process, so the tests can wait for it)."""

    def __init__(self, db_path: Path, fake: FakeSlackApi) -> None:
        self.fake = fake
        self.config = Config(
            db_path=db_path,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        self.executor = TrackingExecutor()
        self.runtime = build_slack(self.config, executor=self.executor, delivery=FAST_DELIVERY)
        self.runtime.start_background()
        app = web.Application()
        add_slack_routes(app, create_async_app(self.runtime.app, SECRET), SECRET)
        self.server = _OnePort(app)  # type: ignore[assignment]


@pytest.fixture
def slack(tmp_path: Path, fake: FakeSlackApi) -> Iterator[SlackHarness]:
    harness = OnePortHarness(tmp_path / "rolebot.db", fake)
    yield harness
    harness.close()


def test_a_body_that_is_not_utf8_is_refused(slack: SlackHarness) -> None:
    # Slack signs UTF-8 text: bytes that are not are refused at the signature, before any parsing
    status, _ = slack.post(b"command=/whohandles&text=\xff\xfe", "application/x-www-form-urlencoded")
    assert status == 401
    assert slack.escalation_count() == 0


def test_an_unknown_command_is_not_found_and_does_nothing(slack: SlackHarness) -> None:
    body = payload("command_whohandles")
    body.update(command="/unknown", text="who handles returns?")
    status, _ = slack.post_form(body)
    assert status == 404
    slack.settle()
    assert not slack.fake.calls("chat.postMessage")
