"""A local Bot Framework connector (serviceUrl) that records what the bot sends, plus Teams test helpers."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

PAYLOADS = Path(__file__).parent / "payloads" / "teams"


@dataclass
class Call:
    """One request the bot made to the connector."""

    kind: str  # send | reply | update | create
    conversation_id: str | None
    activity_id: str | None
    body: dict[str, Any]

    @property
    def card(self) -> dict[str, Any] | None:
        attachments = self.body.get("attachments") or []
        return attachments[0]["content"] if attachments else None

    def action_names(self) -> list[str]:
        card = self.card or {}
        return [str(a.get("data", {}).get("rolebot") or a.get("title")) for a in card.get("actions", [])]


@dataclass
class FakeConnector:
    """Routes of the Bot Connector REST API (v3) that rolebot uses; every call is kept in `calls`."""

    calls: list[Call] = field(default_factory=list)
    fail_next: int = 0  # answer the next N calls with 500, to test failure handling
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        return app

    async def _record(self, request: web.Request, kind: str) -> Call | web.Response:
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"error": {"code": "ServiceError"}}, status=500)
        body = await request.json()
        call = Call(kind, request.match_info.get("conversation"), request.match_info.get("activity"), body)
        self.calls.append(call)
        return call

    async def _send(self, request: web.Request) -> web.Response:
        call = await self._record(request, "send")
        return call if isinstance(call, web.Response) else web.json_response({"id": f"msg-{next(self._ids)}"})

    async def _reply(self, request: web.Request) -> web.Response:
        call = await self._record(request, "reply")
        return call if isinstance(call, web.Response) else web.json_response({"id": f"msg-{next(self._ids)}"})

    async def _update(self, request: web.Request) -> web.Response:
        call = await self._record(request, "update")
        return call if isinstance(call, web.Response) else web.json_response({"id": request.match_info["activity"]})

    async def _create(self, request: web.Request) -> web.Response:
        call = await self._record(request, "create")
        if isinstance(call, web.Response):
            return call
        number = next(self._ids)
        return web.json_response({"id": f"a:created-{number}", "activityId": f"msg-{number}"}, status=201)

    # ------------------------------------------------------------------ asserts
    def of_kind(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]

    def to(self, conversation_id: str) -> list[Call]:
        return [c for c in self.calls if c.conversation_id == conversation_id]


@asynccontextmanager
async def running(app: web.Application) -> Any:
    """Serve `app` on a free loopback port for the duration of the block; yields a TestClient."""
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


def payload(name: str, service_url: str, **changes: Any) -> dict[str, Any]:
    """A recorded-style activity from tests/payloads/teams/, pointed at our fake connector."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data["serviceUrl"] = service_url
    for key, value in changes.items():
        data[key] = value
    return data
