"""The Slack acks on the event loop: an AsyncApp with the sync App's listeners and the sync App's work.

Why: the ack path is all that must happen before Slack's 3 s run out (signature, parse, the inbox
commit of a state change, the ack), and bolt's AsyncApp does it on the aiohttp loop that already
serves Teams, without the hop to a thread pool and the WSGI translation the sync App needs there. The
work after the ack (routing, Block Kit, Web API calls, SQLite) is the sync App's, unchanged: the same
listener table (app.listeners) with the same sync WebClient, in the sync App's executor, or, for
questions, in the work process (handlers.slack.work_process) when there is one.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from handlers.slack.app import _ack, lazy, listeners
from handlers.slack.context import SlackContext
from handlers.slack.intake import SlackIntake, durable_route

log = logging.getLogger(__name__)
AsyncListener = Callable[..., Awaitable[None]]


Hand = Callable[[dict[str, Any]], object]
HandOver = Callable[[int, dict[str, Any]], None]  # (the listener's index in app.listeners, the body)


def create_async_app(app: App, signing_secret: str, hand_over: HandOver | None = None) -> AsyncApp:
    """An AsyncApp answering what `app` (create_app's, with its context and executor) answers; its
    work runs in `app`'s executor, in this process, except, when `hand_over` (WorkProcess.hand: a
    process of its own) is given, the work of requests that change nothing durable (questions).

    The signature is checked before bolt by the aiohttp route (handlers.slack.aio), not again here."""
    ctx: SlackContext = app._rolebot_ctx  # type: ignore[attr-defined]
    executor: Executor = app._rolebot_executor  # type: ignore[attr-defined]
    intake: SlackIntake = app._rolebot_intake  # type: ignore[attr-defined]
    client = app.client
    async_app = AsyncApp(
        name="rolebot",
        signing_secret=signing_secret,
        client=AsyncWebClient(token=client.token, base_url=client.base_url, timeout=client.timeout),
        process_before_response=True,  # the ack is the listener's return; the work is not awaited
        request_verification_enabled=False,
        logger=logging.getLogger("rolebot.slack.bolt"),
    )
    async_app.middleware(intake.async_middleware)
    for index, (kind, match, ack, work) in enumerate(listeners(ctx)):
        hand: Hand | None = None
        if work is not None:
            here = functools.partial(executor.submit, lazy(ctx, work, intake), client=client)
            hand = here if hand_over is None else _by_kind(here, functools.partial(hand_over, index))
        getattr(async_app, kind)(match)(_listener(ack, hand, intake, client))
    return async_app


def _by_kind(here: Hand, there: Hand) -> Hand:
    """A state change (intake.durable_route) here, beside the acks' commits; anything else there."""

    def hand(body: dict[str, Any]) -> object:
        return here(body) if durable_route(body) is not None else there(body)

    return hand


def _listener(
    ack_function: Callable[..., None], hand: Hand | None, intake: SlackIntake, client: Any
) -> AsyncListener:
    """The sync ack function (a plain ack runs on the loop; one that calls the Web API first, such as
    opening a modal, runs in a thread and its ack is replayed here), then the work handed over and
    counted in the backlog until it ends, as the sync App's _counted does."""
    wants = set(inspect.signature(ack_function).parameters)

    async def ack_then_hand_over(ack: AsyncAck, body: dict[str, Any]) -> None:
        if hand is not None:
            intake.backlog.take()
        try:
            if ack_function is _ack or getattr(ack_function, "only_acks", _never)(body):
                await ack()
            else:
                await _replayed(ack, ack_function, wants, body, client)
            if hand is not None:
                hand(body)
        except BaseException:
            if hand is not None:
                intake.backlog.release()
            raise

    ack_then_hand_over.__name__ = ack_then_hand_over.__qualname__ = f"ack_{ack_function.__name__}"
    return ack_then_hand_over


def _never(body: dict[str, Any]) -> bool:
    return False


async def _replayed(
    ack: AsyncAck, ack_function: Callable[..., None], wants: set[str], body: dict[str, Any], client: Any
) -> None:
    """Run a sync ack function in a thread with an ack that records its arguments, then ack with them."""
    calls: list[dict[str, Any]] = []

    def record(*args: Any, **kwargs: Any) -> BoltResponse:
        if args:
            kwargs["text"] = args[0]
        calls.append(kwargs)
        return BoltResponse(status=200, body="")

    given = {"ack": record, "body": body, "client": client}
    await asyncio.to_thread(ack_function, **{name: value for name, value in given.items() if name in wants})
    for kwargs in calls[:1]:
        await ack(**kwargs)


async def dispatch(
    async_app: AsyncApp, body: bytes, query: str, headers: dict[str, str | Sequence[str]]
) -> BoltResponse:
    """One signed request through the AsyncApp; a body that is not UTF-8 or not Slack's form/JSON is
    bolt's ValueError, which the route answers with 400."""
    request = AsyncBoltRequest(body=body.decode("utf-8"), query=query, headers=headers)
    return await async_app.async_dispatch(request)
