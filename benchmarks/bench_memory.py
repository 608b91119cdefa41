"""Memory under unpaced load: 20,000 signed Slack questions as fast as they go; server RSS before and after.

Run: python benchmarks/bench_memory.py [--requests 20000] [--concurrency 100] [--server all|slack]
all: `rolebot serve all`'s composition (build_all, Slack on the aiohttp server); slack: `rolebot serve slack`
(its threaded WSGI server), each in a process of its own. The load is /whohandles slash commands, each
with its own text, no pacing; a 503 (the backlog of 500 taken-in requests is full) is counted, not
retried. RSS (the server's and its child processes') is read from /proc: after a warm-up of 500
questions (the baseline), its peak while the load runs (sampled every 0.1 s), and once every answer
has been delivered.
Target (issue 12): the server grows by at most 30 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test fakes
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code, not an installed one
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ack import burst, free_port, rolebot, slack_request
from slack_fake_api import FakeSlackApi
from slack_harness import SECRET

REPO = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    """The RSS of `pid` and of its children (`serve all`'s Slack work process, multiprocessing's
    resource tracker): what the server costs the machine."""
    total = 0.0
    for one in (pid, *children(pid)):
        try:
            lines = Path(f"/proc/{one}/status").read_text().splitlines()
        except OSError:
            continue  # exited meanwhile
        total += sum(int(line.split()[1]) / 1024 for line in lines if line.startswith("VmRSS:"))
    return total


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class Sampler:
    """The highest RSS of `pid` seen, every 0.1 s, while running."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def start_all(db: Path, api_url: str) -> tuple[int, str, Any]:
    ports: Any = multiprocessing.Queue()
    # not daemonic: `serve all` starts its Slack work process (a daemonic process may have no children)
    process = multiprocessing.Process(target=rolebot, args=(ports, api_url, str(db)))
    process.start()
    _, port = ports.get(timeout=120)
    assert process.pid is not None
    return process.pid, f"http://127.0.0.1:{port}", process.terminate


def start_slack(db: Path, api_url: str) -> tuple[int, str, Any]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "ROLEBOT_DB": str(db),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "ROLEBOT_DIGESTS": "off",
        "ROLEBOT_SWEEP_SECONDS": "0",
        "ROLEBOT_LOG_LEVEL": "ERROR",
    }
    code = "from handlers.cli.main import main; main()"
    command = [sys.executable, "-c", code, "serve", "slack", "--port", str(port), "--host", "127.0.0.1"]
    process = subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            import urllib.request

            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            break
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    return process.pid, url, process.terminate


def question(index: int, api_url: str) -> tuple[bytes, dict[str, str]]:
    return slack_request("/whohandles", index, api_url)


def wait_answered(fake: FakeSlackApi, count: int, timeout: float = 600) -> int:
    """Until `count` answers reached response URLs (or the time-out); how many did."""
    deadline = time.monotonic() + timeout
    while True:
        answered = sum(n for path, n in fake.paths().items() if path.startswith("response/"))
        if answered >= count or time.monotonic() > deadline:
            return answered
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--server", choices=("all", "slack"), default="all")
    args = parser.parse_args()
    fake = FakeSlackApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        start = start_all if args.server == "all" else start_slack
        pid, url, stop = start(Path(tmp) / "bench.db", fake.api_url)
        events = url + "/slack/events"
        try:
            warm = asyncio.run(burst(events, lambda i: question(i, fake.api_url), 10**6, 500, 20))
            wait_answered(fake, sum(1 for status, _ in warm if status == 200))
            time.sleep(2)
            before = rss_mb(pid)
            started = time.perf_counter()
            with Sampler(pid) as sampler:
                results = asyncio.run(
                    burst(events, lambda i: question(i, fake.api_url), 0, args.requests, args.concurrency)
                )
                sent = time.perf_counter() - started
                accepted = sum(1 for status, _ in results if status == 200)
                answered = wait_answered(fake, len(warm) + accepted) - len(warm)
            time.sleep(2)
            after = rss_mb(pid)
        finally:
            stop()
    fake.stop()
    refused = sum(1 for status, _ in results if status == 503)
    other = len(results) - accepted - refused
    print(f"{args.requests} unpaced /whohandles, {args.concurrency} concurrent, server `{args.server}`")
    rate = args.requests / sent
    print(f"  sent in {sent:.1f} s ({rate:.0f}/s): 200 {accepted}, 503 {refused}, other {other}")
    print(f"  answered {answered} of {accepted} accepted")
    print(f"  RSS MB: before {before:.1f}, peak {sampler.peak:.1f} (+{sampler.peak - before:.1f}),")
    print(f"          after {after:.1f} (+{after - before:.1f})")
    met = sampler.peak - before <= 30
    print(f"  target: grows by at most 30 MB: {'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
