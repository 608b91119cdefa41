"""Unauthenticated requests are refused before their body is parsed: a 4xx, one log line each, no
traceback (Slack with a bad signature; Teams with MicrosoftAppId set and no or a malformed token)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from slack_harness import SlackHarness
from teams_fake_connector import Harness, run_teams

from bot.config import Config

NESTED = ("[" * 50_000 + "]" * 50_000).encode()  # far deeper than any JSON parser's recursion limit
APP_ID = "00000000-1111-4222-8333-444444444444"


def _our_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith(("handlers", "slack"))
    ]


def test_slack_bad_signature_is_refused_before_parsing(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    statuses = []
    for _ in range(5):
        statuses += [
            slack.post(NESTED, "application/json", signature="v0=" + "0" * 64)[0],
            slack.post(NESTED, "application/x-www-form-urlencoded", signature="v0=bad")[0],
            slack.post(b'{"type": "event_callback"}', "application/json", timestamp="not-a-number")[0],
            slack.post(NESTED, "application/json", timestamp="1000000000")[0],  # signed, but years old
        ]
    assert statuses == [401] * 20
    records = _our_records(caplog)
    assert len(records) == 20 and all(r.exc_info is None for r in records)
    assert all("refused a Slack request" in r.getMessage() for r in records)
    assert set(slack.fake.paths()) <= {"auth.test"}  # nothing reached the app (auth.test: at start-up)


def test_slack_signed_but_nested_too_deep_is_a_400(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert slack.post(NESTED, "application/json")[0] == 400
    assert all(r.exc_info is None for r in _our_records(caplog))
    assert slack.dm("who handles returns?")[0] == 200  # and the app keeps answering


def test_teams_without_a_token_is_refused_before_parsing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    config = Config(db_path=tmp_path / "r.db", teams_app_id=APP_ID, teams_app_password="not-a-real-secret")

    async def test(h: Harness) -> None:
        statuses = []
        for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic eA=="}) * 7:
            response = await h.bot.post(
                "/api/messages", data=NESTED, headers={"Content-Type": "application/json", **headers}
            )
            statuses.append(response.status)
        assert statuses == [401] * 21
        records = _our_records(caplog)
        assert len(records) == 21 and all(r.exc_info is None for r in records)
        assert h.fake.calls == []

    run_teams(tmp_path / "r.db", test, config=config)


def test_teams_emulator_mode_nested_too_deep_is_a_400(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async def test(h: Harness) -> None:
        response = await h.bot.post(
            "/api/messages", data=NESTED, headers={"Content-Type": "application/json"}
        )
        assert response.status == 400
        records = _our_records(caplog)
        assert len(records) == 1 and records[0].exc_info is None  # one line, no traceback
        assert (await h.post(h.activity("message_personal"))).status == 200

    run_teams(tmp_path / "r.db", test, config=None)
