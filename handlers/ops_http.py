"""/healthz, /readyz and /metrics on a server's own port, as aiohttp routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.observability import Metrics, default_metrics, health

if TYPE_CHECKING:
    from aiohttp import web

    from bot.runtime import Core

HEALTH_PATH, READY_PATH, METRICS_PATH = "/healthz", "/readyz", "/metrics"


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
