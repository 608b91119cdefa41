"""/healthz and /metrics on a server's own port: a WSGI wrapper (Slack) and aiohttp routes (Teams)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from bot.observability import Metrics, default_metrics, health

if TYPE_CHECKING:
    from aiohttp import web

    from bot.runtime import Core

HEALTH_PATH, METRICS_PATH = "/healthz", "/metrics"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_REASONS = {200: "200 OK", 503: "503 Service Unavailable"}


def with_ops(app: WsgiApp, core: Core, metrics: Metrics | None = None) -> WsgiApp:
    """`app` plus GET /healthz (200/503 JSON) and GET /metrics (Prometheus text)."""
    sink = metrics or default_metrics()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if method == "GET" and path == HEALTH_PATH:
            status, body = health(core)
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


def add_ops_routes(app: web.Application, core: Core, metrics: Metrics | None = None) -> None:
    """Add GET /healthz and GET /metrics to an aiohttp application."""
    from aiohttp import web

    sink = metrics or default_metrics()

    async def healthz(request: web.Request) -> web.Response:
        status, body = health(core)
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    async def metrics_view(request: web.Request) -> web.Response:
        payload, content_type = sink.payload()
        response = web.Response(body=payload)
        response.headers["Content-Type"] = content_type
        return response

    app.router.add_get(HEALTH_PATH, healthz)
    app.router.add_get(METRICS_PATH, metrics_view)
