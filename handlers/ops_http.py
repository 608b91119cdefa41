"""/healthz, /readyz and /metrics on a server's own port: a WSGI wrapper (Slack) and aiohttp routes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from bot.observability import Metrics, default_metrics, health

if TYPE_CHECKING:
    from aiohttp import web

    from bot.runtime import Core

HEALTH_PATH, READY_PATH, METRICS_PATH = "/healthz", "/readyz", "/metrics"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_REASONS = {200: "200 OK", 503: "503 Service Unavailable"}


class Readiness:
    """Whether the process should get traffic: set once its workers have started, cleared when it
    begins to stop. /healthz (liveness) says only that the database and knowledge answer."""

    def __init__(self) -> None:
        self.ready = False

    def check(self, core: Core) -> tuple[int, dict[str, Any]]:
        status, body = health(core)
        if status == 200 and not self.ready:
            return 503, {**body, "status": "starting or stopping"}
        return status, body


def with_ops(
    app: WsgiApp, core: Core, metrics: Metrics | None = None, readiness: Readiness | None = None
) -> WsgiApp:
    """`app` plus GET /healthz and /readyz (200/503 JSON) and GET /metrics (Prometheus text)."""
    sink = metrics or default_metrics()
    ready = readiness or Readiness()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if method == "GET" and path in (HEALTH_PATH, READY_PATH):
            status, body = health(core) if path == HEALTH_PATH else ready.check(core)
            start_response(
                _REASONS.get(status, f"{status} Error"),
                [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
            )
            return [json.dumps(body).encode()]
        if method == "GET" and path == METRICS_PATH:
            payload, content_type = sink.payload()
            start_response("200 OK", [("Content-Type", content_type)])
            return [payload]
        return app(environ, start_response)

    return application


def add_ops_routes(
    app: web.Application, core: Core, metrics: Metrics | None = None, readiness: Readiness | None = None
) -> None:
    """Add GET /healthz, /readyz and /metrics to an aiohttp application."""
    from aiohttp import web

    sink = metrics or default_metrics()
    ready = readiness or Readiness()

    async def healthz(request: web.Request) -> web.Response:
        status, body = health(core)
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    async def readyz(request: web.Request) -> web.Response:
        status, body = ready.check(core)
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    async def metrics_view(request: web.Request) -> web.Response:
        payload, content_type = sink.payload()
        response = web.Response(body=payload)
        response.headers["Content-Type"] = content_type
        return response

    app.router.add_get(HEALTH_PATH, healthz)
    app.router.add_get(READY_PATH, readyz)
    app.router.add_get(METRICS_PATH, metrics_view)


def ready_once_started(app: web.Application, readiness: Readiness) -> None:
    """Ready after every start-up hook added so far (call last), not ready from the first shutdown hook."""

    async def ready(app: web.Application) -> None:
        readiness.ready = True

    async def stopping(app: web.Application) -> None:
        readiness.ready = False

    app.on_startup.append(ready)
    app.on_shutdown.insert(0, stopping)
