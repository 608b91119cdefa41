"""A local Bot Framework connector (serviceUrl) that records what the bot sends, plus Teams test helpers."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable, Iterator
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
    response_id: str | None = None  # the id the connector answered with (new message or conversation)

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
    # team rosters (GET .../pagedmembers) and channels (GET /v3/teams/{team}/conversations), by team id
    rosters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    page_size: int = 2  # small pages, so every roster is paginated
    throttle_next: int = 0  # answer the next N roster reads with 429 Too Many Requests
    reads: list[str] = field(default_factory=list)  # paths of every roster/channel read
    # Teams user ids that no longer exist (deleted, left the tenant): a chat with them is refused (403)
    gone: set[str] = field(default_factory=set)
    chats: dict[str, str] = field(default_factory=dict)  # 1:1 conversation id -> the user it was opened with
    refused: list[str] = field(default_factory=list)  # the gone users the bot tried to write to
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._paged_members)
        app.router.add_get("/v3/teams/{team}/conversations", self._team_channels)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        return app

    def add_member(
        self,
        team: str,
        user_id: str,
        name: str,
        email: str | None = None,
        aad: str | None = None,
        upn: str | None = None,
    ) -> None:
        """A member of `team`'s roster, as TeamsChannelAccount (no email: no email or userPrincipalName;
        `upn` when the sign-in name is not the email)."""
        member: dict[str, Any] = {"id": user_id, "name": name, "aadObjectId": aad or f"aad-{user_id}"}
        if email:
            member.update(email=email, userPrincipalName=upn or email)
        self.rosters.setdefault(team, []).append(member)

    def remove_member(self, user_id: str) -> None:
        """The user leaves every roster (deleted, or left the tenant)."""
        for roster in self.rosters.values():
            roster[:] = [m for m in roster if m["id"] != user_id]

    def _throttled(self, request: web.Request) -> web.Response | None:
        self.reads.append(request.path)
        if self.throttle_next > 0:
            self.throttle_next -= 1
            return web.json_response(
                {"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": "0"}
            )
        return None

    async def _paged_members(self, request: web.Request) -> web.Response:
        refused = self._throttled(request)
        if refused is not None:
            return refused
        roster = self.rosters.get(request.match_info["conversation"])
        if roster is None:
            return web.json_response({"error": {"code": "NotFound", "message": "team not found"}}, status=404)
        start = int(request.query.get("continuationToken") or 0)
        size = min(int(request.query.get("pageSize") or self.page_size), self.page_size)
        end = start + size
        token = str(end) if end < len(roster) else None
        return web.json_response({"members": roster[start:end], "continuationToken": token})

    async def _member(self, request: web.Request) -> web.Response:
        """One member, by Teams user id, AAD object id or UPN/email (GET .../members/{id}): in the team's
        roster when the conversation is a team, else in any roster (a personal chat's sender)."""
        refused = self._throttled(request)
        if refused is not None:
            return refused
        wanted = request.match_info["member"].casefold()
        team = self.rosters.get(request.match_info["conversation"])
        for roster in [team] if team is not None else list(self.rosters.values()):
            for member in roster:
                keys = (member["id"], member.get("aadObjectId"), member.get("userPrincipalName"))
                if wanted in {str(k).casefold() for k in keys if k}:
                    return web.json_response(member)
        return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)

    def _refused_chat(self, user_id: str | None) -> web.Response | None:
        if user_id not in self.gone:
            return None
        self.refused.append(user_id)
        error = {"code": "Forbidden", "message": "The user is not found in the tenant"}
        return web.json_response({"error": error}, status=403)

    async def _team_channels(self, request: web.Request) -> web.Response:
        refused = self._throttled(request)
        if refused is not None:
            return refused
        channels = self.channels.get(request.match_info["team"])
        if channels is None:
            return web.json_response({"error": {"code": "NotFound", "message": "team not found"}}, status=404)
        return web.json_response({"conversations": channels})

    async def _record(self, request: web.Request, kind: str) -> Call | web.Response:
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"error": {"code": "ServiceError"}}, status=500)
        body = await request.json()
        call = Call(kind, request.match_info.get("conversation"), request.match_info.get("activity"), body)
        self.calls.append(call)
        return call

    async def _message(self, request: web.Request, kind: str) -> web.Response:
        call = await self._record(request, kind)
        if isinstance(call, web.Response):
            return call
        call.response_id = f"msg-{next(self._ids)}"
        return web.json_response({"id": call.response_id})

    async def _send(self, request: web.Request) -> web.Response:
        refused = self._refused_chat(self.chats.get(request.match_info["conversation"]))
        return refused or await self._message(request, "send")

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._message(request, "reply")

    async def _update(self, request: web.Request) -> web.Response:
        call = await self._record(request, "update")
        if isinstance(call, web.Response):
            return call
        return web.json_response({"id": request.match_info["activity"]})

    async def _create(self, request: web.Request) -> web.Response:
        members = (await request.json()).get("members") or [{}]
        refused = self._refused_chat(members[0].get("id"))
        if refused is not None:
            return refused
        call = await self._record(request, "create")
        if isinstance(call, web.Response):
            return call
        call.response_id = f"a:created-{next(self._ids)}"
        self.chats[call.response_id] = str(members[0].get("id"))
        return web.json_response({"id": call.response_id}, status=201)

    # ------------------------------------------------------------------ asserts
    def of_kind(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]

    def to(self, conversation_id: str) -> list[Call]:
        return [c for c in self.calls if c.conversation_id == conversation_id]


@asynccontextmanager
async def running(app: web.Application, port: int | None = None) -> Any:
    """Serve `app` on loopback (a free port unless `port`) for the duration of the block; yields a
    TestClient."""
    client = TestClient(TestServer(app, host="127.0.0.1", port=port))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


def payload(name: str, service_url: str, /, **changes: Any) -> dict[str, Any]:
    """A recorded-style activity from tests/payloads/teams/, pointed at our fake connector."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data["serviceUrl"] = service_url
    for key, value in changes.items():
        data[key] = value
    return data


@dataclass
class Harness:
    """The Teams app on a loopback port, its fake connector, and the core behind it."""

    fake: FakeConnector
    bot: TestClient
    app: web.Application
    core: Any
    service_url: str

    async def post(self, activity: dict[str, Any], **headers: str) -> Any:
        response = await self.bot.post("/api/messages", json=activity, headers=headers)
        await response.read()
        return response

    async def settle(self) -> None:
        """Wait until the outbox worker has delivered every Teams notice committed so far."""
        import asyncio

        from handlers.teams.server import WORKER

        await asyncio.to_thread(self.app[WORKER].wait_idle)

    def activity(self, payload_name: str, /, **changes: Any) -> dict[str, Any]:
        return payload(payload_name, self.service_url, **changes)


def build_teams_core(db_path: Path, directory: Path | None = None) -> Any:
    from bot.config import Config
    from bot.runtime import build_core

    return build_core(Config(db_path=db_path, directory_path=directory))


@asynccontextmanager
async def teams_harness(db_path: Path, **create_app_options: Any) -> Any:
    """Fake connector + the real Teams app (create_app) over a real SQLite file at `db_path`."""
    from bot.config import Config
    from bot.escalations.delivery import DeliverySettings
    from bot.runtime import build_core, open_identities
    from bot.storage.backends import open_stores
    from handlers.teams.server import create_app, teams_ports

    config = create_app_options.pop("config", None) or Config(db_path=db_path)
    delivery = create_app_options.pop("delivery", DeliverySettings(poll_seconds=0.05, backoff=(0.01, 0.01)))
    connector_port = create_app_options.pop("connector_port", None)  # a service URL that outlives a restart
    directory = create_app_options.pop("directory", None)  # a directory file (default: the bundled one)
    core_config = Config(db_path=db_path, directory_path=directory)
    stores = open_stores(db_path)
    identities = open_identities(core_config, stores)  # shared by the core and the Teams ports
    ports = teams_ports(config, identities, **create_app_options)
    core = build_core(core_config, stores=stores, identities=identities, prompter=ports.prompter)
    fake = FakeConnector()
    async with running(fake.app(), connector_port) as connector:
        app = create_app(config, core, ports, delivery=delivery)
        async with running(app) as bot:
            yield Harness(fake, bot, app, core, str(connector.make_url("/")))


def run_teams(db_path: Path, test: Callable[[Harness], Awaitable[None]], **options: Any) -> None:
    """`test` against a Teams harness (teams_harness with `options`) on an event loop of its own."""

    async def body() -> None:
        async with teams_harness(db_path, **options) as harness:
            await test(harness)

    asyncio.run(body())
