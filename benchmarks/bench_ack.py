"""Time-to-ack beside bare baselines on the same aiohttp server, same run: Slack and Teams at 50 concurrent.

Run: python benchmarks/bench_ack.py [--requests 500] [--rounds 3] [--concurrency 50] [--only slack|teams]
Each server runs in its own process; the load generator (asyncio, a new connection per request, as
Slack and the Bot Framework connect) alternates between them round by round, so both see the same
machine load, and waits until every server is idle (CPU time, from /proc) before the next target: what
rolebot does after its acks (escalations, cards, answers) is not left running beside a bare app's burst.
Slack: signed slash commands against
  bolt-async   a bare slack-bolt AsyncApp that only acks (AsyncApp.web_app(), bolt's aiohttp adapter;
               process_before_response, the fastest ack bolt has)
  rolebot      `rolebot serve all`'s composition (build_all: its own AsyncApp acks on the same
               kind of server) with /whohandles (a question: answered
               after the ack) and /escalate with text (a state change: committed to the inbox first)
Teams: a personal message "who handles returns?" against a bare botbuilder echo bot (CloudAdapter)
and rolebot's /api/messages (its answer is sent before the 200, as the echo's is).
Targets: Slack p99 at most 1.2x (issue 19) and 1.5x (issue 12) the bare app; Teams p50 at most 1.2x.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test fakes
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code, not an installed one

from slack_harness import SECRET, sign

QUESTIONS = ("who handles returns?", "Vem hanterar returer?", "退貨由誰處理？", "who fixes the checkout?")
Ports = "multiprocessing.Queue[Any]"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(app: Any, port: int, ports: Any, name: str) -> None:
    from handlers.serving import run_aiohttp

    async def announce(app: Any) -> None:
        ports.put((name, port))

    app.on_startup.append(announce)
    asyncio.set_event_loop(asyncio.new_event_loop())
    run_aiohttp(app, "127.0.0.1", port)


def fakes(ports: Any) -> None:
    """The fake Slack Web API and the fake Bot Framework connector, in a process of their own."""
    from aiohttp import web
    from slack_fake_api import FakeSlackApi
    from teams_fake_connector import FakeConnector

    slack = FakeSlackApi().start()
    ports.put(("slack-api", slack.api_url))
    port = free_port()
    ports.put(("connector", f"http://127.0.0.1:{port}/"))
    web.run_app(FakeConnector().app(), host="127.0.0.1", port=port, print=None)


def bolt_async(ports: Any, api_url: str) -> None:
    from slack_bolt.async_app import AsyncAck, AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    # process_before_response: the ack is the listener's return, as in rolebot. With bolt's default the
    # request waits for ack() in 10 ms polls, which would make this baseline slower than it can be.
    app = AsyncApp(
        signing_secret=SECRET,
        client=AsyncWebClient(token="xoxb-bench", base_url=api_url),
        process_before_response=True,
    )

    @app.command("/whohandles")
    @app.command("/escalate")
    async def only_ack(ack: AsyncAck) -> None:
        await ack()

    _serve(app.web_app(path="/slack/events"), free_port(), ports, "bolt-async")


def echo_bot(ports: Any) -> None:
    from types import SimpleNamespace

    from aiohttp import web
    from botbuilder.core import ActivityHandler, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    class Echo(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    bot = Echo()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    web_app = web.Application()
    web_app.router.add_post("/api/messages", messages)
    _serve(web_app, free_port(), ports, "echo")


def rolebot(ports: Any, api_url: str, db_path: str) -> None:
    from bot.config import Config
    from bot.scheduler import SchedulerSettings
    from handlers.serve_all import build_all

    config = Config(
        db_path=Path(db_path),
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
    )
    runtime = build_all(config, host="127.0.0.1", settings=SchedulerSettings(0, 0, digests=False))
    _serve(runtime.app, free_port(), ports, "rolebot")


def slack_request(command: str, index: int, api_url: str) -> tuple[bytes, dict[str, str]]:
    text = QUESTIONS[index % len(QUESTIONS)] if command == "/whohandles" else f"bench parcel {index} stuck"
    body = urlencode(
        {
            "command": command,
            "text": text,
            "user_id": f"U{index % 40:04d}",
            "user_name": "bench",
            "channel_id": "C0BENCH",
            "team_id": "T0ROLEBOT",
            "trigger_id": f"bench.{command}.{index}",
            "response_url": api_url.replace("/api/", f"/response/b{index}"),
        }
    ).encode()
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(body, ts),
    }
    return body, headers


def teams_request(index: int, connector: str) -> tuple[bytes, dict[str, str]]:
    user = f"29:bench{index % 40}"
    activity = {
        "type": "message",
        "id": f"bench-{index}",
        "timestamp": "2024-11-14T09:13:20.123Z",
        "serviceUrl": connector,
        "channelId": "msteams",
        "from": {"id": user, "name": f"Bench {index % 40}"},
        "conversation": {"conversationType": "personal", "id": f"a:personal-{user}"},
        "recipient": {"id": "28:rolebot", "name": "rolebot"},
        "textFormat": "plain",
        "locale": "en-US",
        "text": QUESTIONS[index % len(QUESTIONS)],
    }
    return json.dumps(activity).encode(), {"Content-Type": "application/json"}


Build = Callable[[int], tuple[bytes, dict[str, str]]]


async def burst(url: str, build: Build, first: int, count: int, concurrency: int) -> list[tuple[int, float]]:
    """`count` POSTs, `concurrency` at a time, each on a new connection; (status, seconds) of each.
    A 503 (backlog full) is counted as it is, not retried: it is an answer, and rare here."""
    import aiohttp

    results: list[tuple[int, float]] = []
    queue = iter(range(first, first + count))
    connector = aiohttp.TCPConnector(force_close=True, limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> None:
            for index in queue:
                body, headers = build(index)  # built (signed) before the clock starts
                start = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        status = response.status
                except aiohttp.ClientError:
                    status = 0
                results.append((status, time.perf_counter() - start))

        await asyncio.gather(*(one() for _ in range(concurrency)))
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(results: list[tuple[int, float]]) -> tuple[float, float, int]:
    ok = [seconds * 1000 for status, seconds in results if 200 <= status < 300] or [float("nan")]
    return (
        statistics.median(ok),
        percentile(ok, 0.99),
        sum(1 for status, _ in results if not 200 <= status < 300),
    )


def start(target: Callable[..., None], *args: Any) -> multiprocessing.Process:
    # not daemonic: rolebot starts its Slack work process (a daemonic process may have no children);
    # main() terminates every server it started
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="per target per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--only", choices=("slack", "teams"))
    args = parser.parse_args()
    ports: Any = multiprocessing.Queue()
    started = [start(fakes, ports)]
    urls = dict(ports.get(timeout=60) for _ in range(2))
    with tempfile.TemporaryDirectory() as tmp:
        started += [
            start(bolt_async, ports, urls["slack-api"]),
            start(echo_bot, ports),
            start(rolebot, ports, urls["slack-api"], str(Path(tmp) / "bench.db")),
        ]
        servers = {
            name: f"http://127.0.0.1:{port}" for name, port in (ports.get(timeout=120) for _ in range(3))
        }
        try:
            asyncio.run(measure(args, servers, urls, [p.pid for p in started if p.pid is not None]))
        finally:
            for process in reversed(started):  # rolebot (and its work process) before the fakes
                process.terminate()
                process.join(10)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time used so far by these processes (all their threads), from /proc; 0 where unreadable."""
    import os

    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def settle(pids: list[int], least: float = 1.0, most: float = 60.0) -> None:
    """Wait until every server (and the fakes) is idle: the work one target does after its acks must
    not run during the next target's burst, or that target is measured on a busier machine."""
    await asyncio.sleep(least)
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        used = cpu_seconds(pids)
        await asyncio.sleep(0.5)
        if cpu_seconds(pids) - used < 0.05:  # under a tenth of a core
            return


async def measure(
    args: argparse.Namespace, servers: dict[str, str], urls: dict[str, str], pids: list[int]
) -> None:
    api, connector = urls["slack-api"], urls["connector"]
    ways: list[tuple[str, str, str, Build]] = []
    if args.only != "teams":
        for command in ("/whohandles", "/escalate"):
            for name in ("bolt-async", "rolebot"):
                build: Build = lambda i, c=command: slack_request(c, i, api)  # noqa: E731
                ways.append((f"slack {command}", name, servers[name] + "/slack/events", build))
    if args.only != "slack":
        for name in ("echo", "rolebot"):
            ways.append(
                (
                    "teams message",
                    name,
                    servers[name] + "/api/messages",
                    lambda i: teams_request(i, connector),
                )
            )
    for _, _, url, build in ways:  # warm-up: indexes, catalogs, first connections
        await burst(url, build, 10**6, 20, 5)
    results: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for round_ in range(args.rounds):
        for what, name, url, build in ways:
            first = (round_ + 1) * 10**5
            results.setdefault((what, name), []).extend(
                await burst(url, build, first, args.requests, args.concurrency)
            )
            await settle(pids)  # the work after the acks is done before the next target
    report(args, results)


def report(args: argparse.Namespace, results: dict[tuple[str, str], list[tuple[int, float]]]) -> None:
    print(
        f"{args.rounds} rounds x {args.requests} requests per target, {args.concurrency} concurrent, "
        "loopback, targets interleaved"
    )
    print(f"{'what':<18} {'server':<11} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'p50 x':>7} {'p99 x':>7}")
    for (what, name), found in results.items():
        base = results.get((what, "bolt-async")) or results.get((what, "echo")) or found
        p50, p99, bad = summary(found)
        b50, b99, _ = summary(base)
        print(f"{what:<18} {name:<11} {p50:>8.1f} {p99:>8.1f} {bad:>8} {p50 / b50:>7.2f} {p99 / b99:>7.2f}")


if __name__ == "__main__":
    main()
