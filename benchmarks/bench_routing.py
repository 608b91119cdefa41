"""Routing latency (p50/p99) and accuracy: rolebot vs a rapidfuzz baseline, bundled KB and 10k entries.

Run: python benchmarks/bench_routing.py [--entries 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.evaluation import Case, evaluate, parse_case
from bot.knowledge import KnowledgeBase, Team, load_knowledge, team_from_dict
from bot.languages import LANGUAGES
from bot.router import Router
from bot.routing import Routing

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = [
    ROOT.parent / "shared" / "eval" / "dev.jsonl",
    ROOT / "tests" / "data" / "routing_questions.jsonl",
    *sorted((ROOT / "tests" / "data" / "blind").glob("*.jsonl")),
]


class Baseline:
    """rapidfuzz process.extractOne over every responsibility string (all languages), no abstention."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.choices: list[str] = []
        self.owners: list[tuple[str, str | None]] = []
        for entry in kb.entries():
            for text in entry.responsibility.text.values():
                self.choices.append(text)
                self.owners.append((entry.team, entry.role))

    def route(self, question: str) -> Routing:
        match = process.extractOne(question, self.choices, scorer=fuzz.WRatio)
        team, role = self.owners[match[2]] if match else (None, None)
        return Routing(question, "en", team, role, (match[1] / 100) if match else 0.0)


def synthetic_kb(base: KnowledgeBase, entries: int, seed: int = 7) -> KnowledgeBase:
    """The bundled teams plus generated teams until the KB has `entries` responsibilities."""
    rng = random.Random(seed)
    words = sorted({w for e in base.entries() for t in e.responsibility.text.values() for w in t.split()})
    teams: dict[str, Team] = dict(base.teams)
    count = sum(1 for _ in base.entries())
    number = 0
    while count < entries:
        number += 1
        resps = []
        for r in range(min(50, entries - count)):
            text = {lang: " ".join(rng.sample(words, 8)) for lang in LANGUAGES}
            resps.append({"id": f"r{r}", "text": text, "terms": {"en": rng.sample(words, 6)}})
        team_id = f"gen-{number}"
        raw = {"id": team_id, "names": {"en": f"Generated {number}"}, "responsibilities": resps}
        teams[team_id] = team_from_dict(raw)
        count += len(resps)
    return KnowledgeBase(teams=teams)


def load_questions() -> list[Case]:
    cases: list[Case] = []
    for path in QUESTION_FILES:
        if path.exists():
            cases += [
                parse_case(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    return cases


def latencies(route: Callable[[str], Routing], questions: Sequence[str], repeat: int) -> tuple[float, float]:
    for question in questions[:: max(1, len(questions) // 50)]:
        route(question)  # warm up: word-frequency lists and OpenCC load once per process (see cold start)
    samples = []
    for _ in range(repeat):
        for question in questions:
            start = time.perf_counter()
            route(question)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def _run_ask(args: list[str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["rolebot", "ask", *args],
        check=True,
        capture_output=True,
        input=stdin,
        text=True,
        env={**os.environ, "ROLEBOT_DB": "/nonexistent/rolebot.db"},
    )
    return time.perf_counter() - start


def cold_starts() -> dict[str, float]:
    """Process start to answer, best of three: a plain question, one wrapped in chat (reads the word
    frequency list) and one in Simplified Chinese (loads OpenCC)."""
    questions = {
        "plain": "who handles returns?",
        "chat": "hi! quick question, who handles returns? thanks",
        "simplified zh": "退货由谁处理？",
    }
    return {name: min(_run_ask([q]) for _ in range(3)) for name, q in questions.items()}


def batch_marginal(questions: Sequence[str]) -> float:
    """Extra seconds per question of `rolebot ask --json --batch -` (N questions minus one)."""
    one = min(_run_ask(["--json", "--batch", "-"], questions[0] + "\n") for _ in range(3))
    lines = "".join(q.replace("\n", " ") + "\n" for q in questions)
    many = min(_run_ask(["--json", "--batch", "-"], lines) for _ in range(3))
    return (many - one) / (len(questions) - 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    cases = load_questions()
    questions = [c.question for c in cases]
    bundled = load_knowledge()
    print(f"questions: {len(questions)} (dev set, tests/data/routing_questions.jsonl, tests/data/blind/)")
    print(
        f"{'knowledge':<18}{'router':<10}{'entries':>8}{'build s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'team acc':>10}{'abstain':>9}"
    )
    for label, kb in (
        ("bundled", bundled),
        (f"generated {args.entries}", synthetic_kb(bundled, args.entries)),
    ):
        size = sum(1 for _ in kb.entries())
        for name, factory in (("rolebot", Router), ("baseline", Baseline)):
            start = time.perf_counter()
            router = factory(kb)
            build = time.perf_counter() - start
            p50, p99 = latencies(router.route, questions, args.repeat)
            overall = evaluate(cases, router.route).as_dict()["overall"]
            team = overall["team_accuracy"] or 0.0
            abstain = overall["abstention_accuracy"] or 0.0
            print(
                f"{label:<18}{name:<10}{size:>8}{build:>9.2f}{p50:>9.3f}{p99:>9.3f}{team:>10.1%}{abstain:>9.1%}"
            )
    for name, seconds in cold_starts().items():
        print(f"cold start `rolebot ask` ({name}), process start to answer: {seconds:.2f} s")
    marginal = batch_marginal(questions)
    print(f"`rolebot ask --json --batch` marginal cost: {marginal * 1000:.2f} ms per question")


if __name__ == "__main__":
    main()
