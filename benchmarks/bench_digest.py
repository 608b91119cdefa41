"""Digest build time with 100,000 escalations in the database (target: under 200 ms per team).

Run: python benchmarks/bench_digest.py [--escalations 100000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.digest.model import DigestBuilder
from bot.digest.render_text import digest_text
from bot.directory import load_directory
from bot.knowledge import load_knowledge
from bot.storage.clock import to_iso
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.stores import stores_on
from handlers.slack.render.digest import digest_blocks
from handlers.teams.render.digest import digest_card

NOW = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
TARGET_MS = 200.0


def fill(db: Database, teams: list[str], count: int, seed: int = 7) -> None:
    """`count` escalations over the last year: mostly resolved, some open/acknowledged/overdue."""
    rng = random.Random(seed)
    db.execute("PRAGMA synchronous = OFF")  # filling only: durability is not what is measured
    rows = []
    for index in range(count):
        created = NOW - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        state = rng.choices(["resolved", "cancelled", "open", "acknowledged"], [85, 5, 5, 5])[0]
        resolved = created + timedelta(hours=rng.randrange(1, 72)) if state == "resolved" else None
        rows.append(
            {
                "summary": f"Synthetic escalation {index}",
                "requester_platform": "slack",
                "requester_user": f"U{rng.randrange(500)}",
                "team": rng.choice(teams),
                "priority": rng.choice(["P1", "P2", "P3"]),
                "state": state,
                "language": "en",
                "created_at": to_iso(created),
                "updated_at": to_iso(created),
                "acknowledged_at": to_iso(created + timedelta(minutes=30)) if state != "open" else None,
                "resolved_at": to_iso(min(resolved, NOW)) if resolved else None,
                "ack_due": to_iso(created + timedelta(hours=4)),
                "resolve_due": to_iso(created + timedelta(hours=16)),
            }
        )
    db["escalations"].insert_all(rows, batch_size=5000)
    unrouted = [
        {
            "question": f"unknown thing {rng.randrange(300)}",
            "language": "en",
            "platform": "slack",
            "user": "U1",
            "near_team": rng.choice(teams),
            "created_at": to_iso(NOW - timedelta(minutes=rng.randrange(0, 7 * 24 * 60))),
        }
        for _ in range(count // 20)
    ]
    db["unrouted_questions"].insert_all(unrouted, batch_size=5000)
    week = 7 * 24 * 60
    asked = [
        {
            "team": team,
            "role": None,
            "topic": f"{team}/-/identity",
            "language": "en",
            "platform": "slack",
            "created_at": to_iso(NOW - timedelta(minutes=rng.randrange(0, week))),
        }
        for team in (rng.choice(teams) for _ in range(count // 2))
    ]
    db["asked_questions"].insert_all(asked, batch_size=5000)
    db.conn.commit()
    db.execute("PRAGMA synchronous = FULL")


def measure(builder: DigestBuilder, teams: list[str], repeats: int) -> dict[str, list[float]]:
    since = NOW - timedelta(days=1)
    run_date = date(2025, 3, 4)
    timings: dict[str, list[float]] = {}
    for team in teams:
        for _ in range(repeats):
            started = time.perf_counter()
            digest = builder.team(team, run_date, since)
            digest_text(digest), digest_blocks(digest), digest_card(digest)
            timings.setdefault(team, []).append((time.perf_counter() - started) * 1000)
    for _ in range(repeats):
        started = time.perf_counter()
        leadership = builder.leadership(run_date, since)
        digest_text(leadership), digest_blocks(leadership), digest_card(leadership)
        timings.setdefault("(leadership)", []).append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--escalations", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    kb, directory = load_knowledge(), load_directory()
    teams = sorted(directory.teams)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        started = time.perf_counter()
        fill(db, teams, args.escalations)
        print(f"filled {args.escalations:,} escalations in {time.perf_counter() - started:.1f} s")
        builder = DigestBuilder(stores_on(db), kb, directory, clock=lambda: NOW)
        measure(builder, teams[:1], 1)  # warm the page cache and Babel's locale data
        timings = measure(builder, teams, args.repeats)
    print(f"{'team':<20}{'median ms':>10}{'max ms':>10}")
    worst = 0.0
    for team, values in timings.items():
        worst = max(worst, statistics.median(values))
        print(f"{team:<20}{statistics.median(values):>10.1f}{max(values):>10.1f}")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(
        f"slowest median {worst:.1f} ms per digest (build + text + Block Kit + card): {verdict} the "
        f"{TARGET_MS:.0f} ms target"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
