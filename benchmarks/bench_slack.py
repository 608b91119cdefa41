"""Slack slash commands under load: requests/s and time-to-ack for 50 concurrent signed requests on loopback.

Run: python benchmarks/bench_slack.py [--requests 1000] [--concurrency 50]
(the Slack app on its aiohttp server, `SlackHttpServer`, with its work in its own threads).
Target: p99 time-to-ack under 300 ms and nothing dropped (every request acked 200, every answer delivered).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from slack_fake_api import FakeSlackApi
from slack_harness import SECRET, sign

from bot.config import Config
from handlers.slack.server import SlackHttpServer, build_slack

QUESTIONS = (
    "who handles returns?",
    "Vem hanterar returer?",
    "退貨由誰處理？",
    "who fixes the checkout?",
    "wie behandelt retouren?",
    "반품은 누가 처리하나요?",
    "who approves the marketing budget?",
)


def send(url: str, fake: FakeSlackApi, index: int) -> tuple[int, float]:
    body = urlencode(
        {
            "command": "/whohandles",
            "text": QUESTIONS[index % len(QUESTIONS)],
            "user_id": f"U{index % 40:04d}",
            "user_name": "bench",
            "channel_id": "C0BENCH",
            "team_id": "T0ROLEBOT",
            "trigger_id": f"bench.{index}",
            "response_url": fake.response_url(f"b{index}"),
        }
    ).encode()
    ts = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(body, ts),
        },
    )
    for _ in range(RETRIES):  # 503 means "busy, retry later": retried like Slack retries an event
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        if status != 503:
            break
        REFUSED.append(index)
        time.sleep(0.5)
    return status, time.perf_counter() - start


RETRIES = 20
REFUSED: list[int] = []  # one entry per 503 answer (the app's backlog was full)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def serve_app(db_path: str, api_url: str, ports: multiprocessing.Queue[int]) -> None:
    """The app in its own process (as in production), so the load generator does not share its GIL."""
    config = Config(
        db_path=Path(db_path),
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
    )
    runtime = build_slack(config)
    runtime.start_background()  # outbox worker, inbox key writer
    server = SlackHttpServer(runtime.app, port=0, host="127.0.0.1")
    ports.put(server.port)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    fake = FakeSlackApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        ports: multiprocessing.Queue[int] = multiprocessing.Queue()
        app = multiprocessing.Process(
            target=serve_app,
            args=(str(Path(tmp) / "bench.db"), fake.api_url, ports),
            daemon=True,
        )
        app.start()
        url = f"http://127.0.0.1:{ports.get(timeout=60)}/slack/events"
        send(url, fake, -1)  # warm-up: router index, catalogs, first users.info
        fake.wait_for("response/b-1")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(lambda i: send(url, fake, i), range(args.requests)))
        acked = time.perf_counter() - started
        answered = sum(1 for i in range(args.requests) if fake.calls(f"response/b{i}") or _wait(fake, i))
        done = time.perf_counter() - started
        app.terminate()
        app.join()
    fake.stop()
    report(args.requests, args.concurrency, results, acked, answered, done)


def report(
    requests: int,
    concurrency: int,
    results: list[tuple[int, float]],
    acked: float,
    answered: int,
    done: float,
) -> None:
    latencies = [elapsed * 1000 for status, elapsed in results if status == 200]
    dropped = sum(1 for status, _ in results if status != 200)
    print(f"slash commands: {requests} signed /whohandles, {concurrency} concurrent, loopback")
    print(f"  acks/s            {requests / acked:8.1f}")
    print(
        f"  time-to-ack ms    p50 {statistics.median(latencies):6.1f}  p90 {percentile(latencies, 0.9):6.1f}"
        f"  p99 {percentile(latencies, 0.99):6.1f}  max {max(latencies):6.1f}"
    )
    print(f"  dropped (non-200) {dropped}; refused with 503 and retried {len(REFUSED)} times")
    print(f"  answers delivered {answered}/{requests} in {done:.2f} s ({answered / done:.1f} answers/s)")
    met = percentile(latencies, 0.99) < 300 and not dropped and answered == requests
    print(f"  target p99 < 300 ms, nothing dropped: {'MET' if met else 'NOT MET'}")


def _wait(fake: FakeSlackApi, index: int) -> bool:
    try:
        fake.wait_for(f"response/b{index}", timeout=60)
        return True
    except AssertionError:
        return False


if __name__ == "__main__":
    main()
