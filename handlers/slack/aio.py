"""Slack's /slack/events on an aiohttp server: the signature checked first, then bolt's AsyncApp."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from handlers.serving import BODY_SECONDS
from handlers.slack.async_app import dispatch

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are a few KB; a message shortcut with a long text, ~100 KB


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


def _signed(verifier: SignatureVerifier, request: web.Request, body: bytes) -> bool:
    try:
        return verifier.is_valid(
            body,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )
    except ValueError:  # a timestamp that is not a number
        return False


def add_slack_routes(app: web.Application, slack_app: AsyncApp, signing_secret: str) -> None:
    """POST /slack/events on `app`, answered by `slack_app` (create_async_app(...)) on the serving
    loop, so Slack and Teams share one port. An unsigned body is refused before anything parses it."""
    verifier = SignatureVerifier(signing_secret)

    async def events(request: web.Request) -> web.StreamResponse:
        try:
            async with asyncio.timeout(BODY_SECONDS):
                body = await _read_limited(request)
        except TimeoutError:
            return web.Response(status=408, text="request timeout")
        if body is None:
            return web.Response(status=413, text="payload too large")
        if not _signed(verifier, request, body):
            log.warning("refused a Slack request: unauthorized")
            return web.Response(status=401, text="unauthorized")
        try:
            answer = await dispatch(slack_app, body, request.query_string, {**request.headers})
        except (ValueError, RecursionError):  # a signed but malformed body (or nested too deep): 400
            log.info("rejected a malformed Slack request body")
            return web.Response(status=400, text="bad request")
        return await to_aiohttp_response(answer)

    app.router.add_post(EVENTS_PATH, events)
