"""Delivery lag from commit to posted Slack card through the outbox, beside a direct post, same run.

Run: python benchmarks/bench_outbox.py [--rate 20] [--seconds 10]
Target: p99 lag at most 1 s at 20 escalations/s. Three ways, each against the fake Slack Web API:
  direct     the committing thread posts the card itself (the old notifier; the baseline)
  outbox     committed by the serving process: its worker is woken at once
  elsewhere  committed by another process (CLI, cron sweep): the worker finds it by polling (0.5 s)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test fakes
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code, not an installed one

from slack_fake_api import FakeSlackApi

from bot.config import Config
from bot.escalations.models import Actor
from bot.runtime import build_core
from handlers.slack.server import build_slack

ACTOR = Actor("slack", "U0BO", "Bo Chen", "bo")


class TimedFake(FakeSlackApi):
    """The fake Web API, noting when each card for ESC-n arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}
        self._guard = threading.Lock()

    def _respond(self, path: str, args: dict[str, Any]) -> Any:
        now = time.perf_counter()
        text = str(args.get("text") or "")
        if path == "chat.postMessage" and text.startswith("ESC-"):
            with self._guard:
                self.arrived.setdefault(text.split(" ")[0].rstrip(":"), now)
        return super()._respond(path, args)


def percentiles(lags: list[float]) -> tuple[float, float, float]:
    ordered = sorted(lags)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000


def paced(rate: float, seconds: float, commit: Any) -> dict[str, float]:
    """Call commit() `rate` times a second; the commit time of each ESC ref (commit returns both)."""
    committed: dict[str, float] = {}
    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        due = start + n / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        ref, at = commit(n)
        committed[ref] = at
    return committed


def run_way(way: str, rate: float, seconds: float) -> list[float]:
    fake = TimedFake().start()
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(
            db_path=Path(tmp) / "bench.db",
            slack_bot_token="xoxb-bench",
            slack_signing_secret="bench",
            slack_api_url=fake.api_url,
        )
        runtime = build_slack(config)
        core = runtime.core
        notifier = runtime.notifier
        other = build_core(config)  # "another process": its own core and connection, no doorbell
        if way != "direct":
            runtime.worker.start()

        def commit(n: int) -> tuple[str, float]:
            service = other.service if way == "elsewhere" else core.service
            outcome = service.create(ACTOR, f"bench parcel {n}", team="customer-service")
            at = time.perf_counter()
            if way == "direct":  # what the old in-process notifier did, on the same thread
                notifier.post_card(outcome.escalation, "#customer-service")
            return outcome.escalation.ref, at

        committed = paced(rate, seconds, commit)
        if way != "direct":
            runtime.worker.wait_idle(120)
            runtime.worker.stop()
        fake.stop()
    return [fake.arrived[ref] - at for ref, at in committed.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20.0, help="escalations per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(f"{args.rate:g} escalations/s for {args.seconds:g} s; lag from commit to card posted (ms)")
    print(f"{'way':<10} {'n':>5} {'p50':>8} {'p99':>8} {'max':>8}")
    for way in ("direct", "outbox", "elsewhere"):
        lags = run_way(way, args.rate, args.seconds)
        p50, p99, worst = percentiles(lags)
        print(f"{way:<10} {len(lags):>5} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f}")


if __name__ == "__main__":
    main()
