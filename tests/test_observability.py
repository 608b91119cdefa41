"""JSON logs without message text at INFO, Prometheus metrics, /healthz and /metrics over HTTP."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Config
from bot.conversation.assistant import IncomingMessage
from bot.escalations.models import Actor
from bot.knowledge import KnowledgeBase
from bot.observability import Metrics, configure_logging, health, health_of
from bot.runtime import Core, build_core
from handlers.ops_http import add_ops_routes

ROUTED = "Who handles returns and refunds for zebra-7731 orders?"
UNROUTED = "Where can I park my hot-air balloon quokka-4410?"


@pytest.fixture()
def core(tmp_path: Path) -> Iterator[Core]:
    built = build_core(Config(db_path=tmp_path / "ops.db"))
    yield built
    built.stores.close()


@pytest.fixture()
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def _ask(core: Core, text: str) -> Any:
    return core.assistant.handle(IncomingMessage("slack", "U0BO", text, request_id=None))


def test_info_logs_are_json_and_never_contain_message_text(core: Core, log_stream: io.StringIO) -> None:
    configure_logging("INFO", "json", log_stream)  # build_core's assistant observes every question
    assert _ask(core, ROUTED).routing.team is not None
    assert _ask(core, UNROUTED).routing.team is None
    core.service.create(Actor("cli", "bo"), "Secret summary walrus-9921", team="it")
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    answered = [line for line in lines if line["message"] == "question answered"]
    assert len(answered) == 2 and {line["level"] for line in answered} == {"info"}
    assert answered[0]["team"] and answered[0]["question"] == {"redacted_chars": len(ROUTED)}
    assert answered[1]["team"] is None and answered[1]["language"] == "en"
    for secret in ("zebra-7731", "quokka-4410", "walrus-9921"):
        assert secret not in log_stream.getvalue()


def test_debug_logs_may_show_the_text(core: Core, log_stream: io.StringIO) -> None:
    configure_logging("DEBUG", "json", log_stream)
    _ask(core, ROUTED)
    assert "zebra-7731" in log_stream.getvalue()


def test_metrics_count_questions_latency_and_escalations(tmp_path: Path) -> None:
    metrics = Metrics()
    core = build_core(Config(db_path=tmp_path / "ops.db"), metrics=metrics)  # observed once, below
    metrics.watch(core.stores.health)
    _ask(core, ROUTED)
    _ask(core, "Vem hanterar returer?")
    _ask(core, UNROUTED)
    _ask(core, "")  # empty: not a routed question
    ref = core.service.create(Actor("cli", "bo"), "Printer on fire", team="it").escalation.ref
    core.service.create(Actor("cli", "bo"), "Server down", team="it")
    core.service.acknowledge(ref, Actor("cli", "felix"))
    text = metrics.payload()[0].decode()
    assert 'rolebot_questions_total{language="en",outcome="routed"} 1.0' in text
    assert 'rolebot_questions_total{language="sv",outcome="routed"} 1.0' in text
    assert 'rolebot_questions_total{language="en",outcome="abstained"} 1.0' in text
    assert "rolebot_routing_seconds_count 3.0" in text
    assert 'rolebot_escalations{state="open"} 1.0' in text
    assert 'rolebot_escalations{state="acknowledged"} 1.0' in text
    assert 'rolebot_escalations{state="resolved"} 0.0' in text
    rows = core.stores.health.db.execute("SELECT team, topic, platform FROM asked_questions").fetchall()
    assert len(rows) == 2 and all(row[2] == "slack" and row[1].startswith(row[0] + "/") for row in rows)
    assert not any("zebra" in str(row) for row in rows)  # topics, never the question


def test_health_ok_and_unavailable(core: Core, tmp_path: Path) -> None:
    status, body = health(core)
    assert status == 200
    assert body["checks"] == {"database": "ok", "knowledge": "ok", "teams": len(core.kb.teams)}
    assert health_of(core.stores.health, KnowledgeBase(teams={}))[0] == 503
    other = build_core(Config(db_path=tmp_path / "closed.db"))
    other.stores.close()
    status, body = health(other)
    assert status == 503 and body["checks"]["database"].startswith("error")


def test_aiohttp_healthz_and_metrics(core: Core) -> None:
    async def scenario() -> None:
        app = web.Application()
        add_ops_routes(app, core, Metrics())
        async with TestClient(TestServer(app)) as client:
            ok = await client.get("/healthz")
            assert ok.status == 200 and (await ok.json())["checks"]["database"] == "ok"
            scraped = await client.get("/metrics")
            assert scraped.status == 200 and "rolebot_questions" in await scraped.text()
            core.stores.close()
            assert (await client.get("/healthz")).status == 503

    asyncio.run(scenario())
