"""Slack's /slack/events on an aiohttp server: the WSGI app (signature first, then bolt) in a thread pool."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from handlers.serving import BODY_SECONDS
from handlers.slack.server import EVENTS_PATH, MAX_BODY_BYTES, WsgiApp

SLACK_THREADS = 32  # bolt's listeners are synchronous; the ack path only signs, parses and commits


def _environ(request: web.Request, body: bytes) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": request.path,
        "QUERY_STRING": request.query_string,
        "CONTENT_TYPE": request.headers.get("Content-Type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "rolebot",
        "SERVER_PORT": "0",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": request.scheme,
        "wsgi.errors": io.StringIO(),
    }
    for name, value in request.headers.items():
        key = "HTTP_" + name.upper().replace("-", "_")
        if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            environ[key] = value
    return environ


def _call(application: WsgiApp, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    answer: list[Any] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[..., Any]:
        answer[:] = [int(status.split(" ", 1)[0]), headers]
        return lambda data: None

    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return answer[0], answer[1], body


async def _read_limited(request: web.Request) -> bytes | None:
    """The body, or None when it is larger than Slack ever sends (read no further than the limit)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return None
    body = await request.content.read(MAX_BODY_BYTES + 1)
    while len(body) <= MAX_BODY_BYTES:
        more = await request.content.read(MAX_BODY_BYTES + 1 - len(body))
        if not more:
            return body
        body += more
    return None


def add_slack_routes(app: web.Application, application: WsgiApp) -> None:
    """POST /slack/events on `app`, answered by the WSGI `application` (wsgi_app(...)) in a thread pool
    started and stopped with the app, so Slack and Teams can share one port."""

    pool: list[ThreadPoolExecutor] = []  # made at start-up, on the serving loop's side

    async def events(request: web.Request) -> web.StreamResponse:
        try:
            async with asyncio.timeout(BODY_SECONDS):
                body = await _read_limited(request)
        except TimeoutError:
            return web.Response(status=408, text="request timeout")
        if body is None:
            return web.Response(status=413, text="payload too large")
        loop = asyncio.get_running_loop()
        status, headers, payload = await loop.run_in_executor(
            pool[0], _call, application, _environ(request, body)
        )
        response = web.Response(status=status, body=payload)
        for name, value in headers:
            if name.lower() != "content-length":
                response.headers[name] = value
        return response

    async def start(app: web.Application) -> None:
        pool.append(ThreadPoolExecutor(SLACK_THREADS, thread_name_prefix="slack-http"))

    async def stop(app: web.Application) -> None:
        # No wait here: requests already in the pool still finish (aiohttp waits for its handlers after
        # the shutdown hooks), and the hooks after this one bound how long the work behind them may take.
        for executor in pool:
            executor.shutdown(wait=False)

    app.router.add_post(EVENTS_PATH, events)
    app.on_startup.insert(0, start)
    app.on_shutdown.insert(0, stop)
