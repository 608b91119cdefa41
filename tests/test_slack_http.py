"""The Slack app's HTTP boundary: signatures, replays and retries, url_verification, config, serve CLI."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from slack_fake_api import FakeSlackApi
from slack_harness import SlackHarness, payload, sign

from bot.config import Config, ConfigError
from handlers.cli import serve
from handlers.slack.server import build_slack


@pytest.fixture
def slack(tmp_path: Path, fake: FakeSlackApi) -> Iterator[SlackHarness]:
    harness = SlackHarness(tmp_path / "rolebot.db", fake)
    yield harness
    harness.close()


def test_forged_signature_is_rejected_and_nothing_happens(slack: SlackHarness) -> None:
    body = json.dumps(payload("event_message_im")).encode()
    ts = str(int(time.time()))
    forged = sign(body, ts, secret="not-the-secret")
    assert slack.post(body, "application/json", timestamp=ts, signature=forged)[0] == 401
    slack.settle()
    assert slack.fake.calls("chat.postMessage") == []


def test_tampered_body_is_rejected(slack: SlackHarness) -> None:
    body = json.dumps(payload("event_message_im")).encode()
    ts = str(int(time.time()))
    good = sign(body, ts)
    tampered = body.replace(b"who handles returns?", b"escalate it P1 drop the db")
    assert slack.post(tampered, "application/json", timestamp=ts, signature=good)[0] == 401


def test_stale_timestamp_is_rejected(slack: SlackHarness) -> None:
    body = json.dumps(payload("event_message_im")).encode()
    stale = str(int(time.time()) - 10 * 60)
    assert slack.post(body, "application/json", timestamp=stale, signature=sign(body, stale))[0] == 401
    slack.settle()
    assert slack.fake.calls("chat.postMessage") == []


def test_url_verification_answers_the_challenge(slack: SlackHarness) -> None:
    status, body = slack.post_json(payload("url_verification"))
    assert status == 200
    assert json.loads(body)["challenge"] == payload("url_verification")["challenge"]


def test_health_and_unknown_paths(slack: SlackHarness) -> None:
    base = slack.server.url.removesuffix("/slack/events")
    with urllib.request.urlopen(base + "/health", timeout=5) as response:
        assert response.read() == b"ok"
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200 and "ok" in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(base + "/nope", timeout=5)
    assert err.value.code == 404


def test_retried_event_escalates_once(slack: SlackHarness) -> None:
    text = "escalate it P1 the checkout returns error 500"
    assert slack.dm(text, event_id="EvRETRY1")[0] == 200
    assert slack.dm(text, event_id="EvRETRY1", retry=1)[0] == 200
    assert slack.dm(text, event_id="EvRETRY1", retry=2)[0] == 200
    slack.settle()
    assert slack.escalation_count() == 1
    assert len(slack.posts_to("#it-dev")) == 1
    assert len(slack.posts_to("D0ADA")) == 2  # one reply to the command + one DM about ESC-1


def test_retry_after_a_restart_is_caught_by_the_service(tmp_path: Path, fake: FakeSlackApi) -> None:
    """The in-memory request log is gone after a restart: the service's request ids still hold."""
    text = "escalate warehouse P2 scanner batteries keep dying"
    first = SlackHarness(tmp_path / "rolebot.db", fake)
    first.dm(text, event_id="EvRESTART")
    first.settle()
    first.close()
    second = SlackHarness(tmp_path / "rolebot.db", fake)
    try:
        second.dm(text, event_id="EvRESTART", retry=1)
        second.settle()
        assert second.escalation_count() == 1
        assert len(second.posts_to("#warehouse")) == 1
    finally:
        second.close()


def test_replayed_slash_command_acts_once(slack: SlackHarness) -> None:
    for _ in range(3):
        assert (
            slack.command("/escalate", "content P3 typo on the size guide", trigger_id="trig-same")[0] == 200
        )
    slack.settle()
    assert slack.escalation_count() == 1


def test_interactive_payload_with_bad_json_is_not_a_crash(slack: SlackHarness) -> None:
    status, _ = slack.post_form({"payload": "{not json"})
    assert status == 400
    slack.settle()
    assert slack.fake.calls("chat.postMessage") == []


@pytest.mark.parametrize(
    ("missing", "variable"),
    [("slack_bot_token", "SLACK_BOT_TOKEN"), ("slack_signing_secret", "SLACK_SIGNING_SECRET")],
)
def test_missing_setting_names_the_variable(
    tmp_path: Path, fake: FakeSlackApi, missing: str, variable: str
) -> None:
    config = replace(
        Config(
            db_path=tmp_path / "x.db",
            slack_api_url=fake.api_url,
            slack_bot_token="xoxb-1",
            slack_signing_secret="s",
        ),
        **{missing: None},  # type: ignore[arg-type]
    )
    with pytest.raises(ConfigError, match=variable):
        build_slack(config)


def _cli() -> click.Group:
    @click.group()
    def cli() -> None:
        """test root"""

    serve.register(cli)
    return cli


def test_serve_slack_without_settings_prints_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _cli(),
        ["serve", "slack"],
        env={
            "SLACK_BOT_TOKEN": "",
            "SLACK_SIGNING_SECRET": "",
            "SLACK_APP_TOKEN": "",
            "ROLEBOT_DB": str(tmp_path / "x.db"),
        },
    )
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == ["Error: missing setting: set SLACK_BOT_TOKEN"]


def test_serve_group_lists_slack_and_accepts_more_targets() -> None:
    result = CliRunner().invoke(_cli(), ["serve", "--help"])
    assert result.exit_code == 0 and "slack" in result.output
    assert "slack" in serve.SERVE_TARGETS
