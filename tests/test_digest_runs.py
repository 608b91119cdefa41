"""Exactly-once digest runs on a real SQLite file: threads, processes, crashes, retries, catch-up, CLI."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner
from digest_support import MONDAY_0900_STOCKHOLM, Clock, RecordingPoster, runner_on

from bot.digest.model import TeamDigest
from bot.digest.runs import LEASE, MAX_ATTEMPTS, TEAM, DigestRuns, RunResult
from bot.observability import Metrics
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.digest_runs import SqliteDigestRuns

MONDAY = date(2025, 3, 10)  # not a holiday in Sweden, the Netherlands or Korea


def test_double_trigger_posts_once(tmp_path: Path) -> None:
    clock, poster = Clock(), RecordingPoster()
    runner = runner_on(tmp_path / "db", clock, poster)
    assert runner.run("ecommerce", MONDAY).result == "sent"
    assert runner.run("ecommerce", MONDAY).result == "skipped"
    clock.advance(hours=3)  # a restart later that day: still sent, nothing new
    restarted = runner_on(tmp_path / "db", clock, poster).run_due()
    assert ("ecommerce", TEAM) not in {(r.team, r.kind) for r in restarted}
    assert poster.count("ecommerce") == 1
    run = DigestRuns(SqliteDigestRuns(open_database(tmp_path / "db"))).get("ecommerce", MONDAY)
    assert run is not None and (run.state, run.attempts) == ("sent", 1)
    assert run.sent_at == MONDAY_0900_STOCKHOLM


def test_threads_racing_on_one_run_post_once(tmp_path: Path) -> None:
    poster = RecordingPoster()
    open_database(tmp_path / "db")  # migrate once up front
    runners = [runner_on(tmp_path / "db", Clock(), poster, owner=f"replica-{i}") for i in range(8)]
    barrier = threading.Barrier(len(runners))
    results: list[RunResult] = []

    def go(index: int) -> None:
        barrier.wait()
        results.append(runners[index].run("warehouse", MONDAY))

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(runners))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.result for r in results) == ["sent"] + ["skipped"] * 7
    assert len(poster.posted) == 1


def _replica(path: str, team: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    poster = RecordingPoster()
    result = runner_on(Path(path), Clock(), poster).run(team, MONDAY)
    queue.put((result.result, len(poster.posted)))


def test_processes_racing_on_one_run_post_once(tmp_path: Path) -> None:
    path = str(tmp_path / "db")
    open_database(path)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    replicas = [context.Process(target=_replica, args=(path, "it", queue)) for _ in range(4)]
    for process in replicas:
        process.start()
    for process in replicas:
        process.join(timeout=30)
    outcomes = sorted(queue.get(timeout=5) for _ in replicas)
    assert outcomes == [("sent", 1)] + [("skipped", 0)] * 3


def test_crash_between_record_and_post_is_sent_once_after_restart(tmp_path: Path) -> None:
    clock = Clock()
    crashed = DigestRuns(SqliteDigestRuns(open_database(tmp_path / "db")), clock, owner="dead-process")
    assert crashed.claim("ecommerce", MONDAY) is not None  # recorded as pending ... then the process died
    poster = RecordingPoster()
    clock.advance(seconds=30)  # restarted quickly: the claim might still be a live replica posting
    restarted = runner_on(tmp_path / "db", clock, poster)
    assert restarted.run("ecommerce", MONDAY).result == "skipped"
    clock.advance(seconds=LEASE.total_seconds())  # the lease ran out: its holder is gone
    assert [r.result for r in restarted.run_due() if (r.team, r.kind) == ("ecommerce", TEAM)] == ["sent"]
    assert restarted.run_due() == []
    assert poster.count("ecommerce") == 1
    run = restarted.runs.get("ecommerce", MONDAY)
    assert run is not None and run.state == "sent" and run.attempts == 2


def test_failed_post_is_retried_then_reported(tmp_path: Path) -> None:
    clock = Clock()
    poster = RecordingPoster(fail=MAX_ATTEMPTS, team="finance")
    metrics = Metrics()
    runner = runner_on(tmp_path / "db", clock, poster)
    runner.on_result = metrics.observe_digest
    first = runner.run("finance", MONDAY)
    assert (first.result, first.attempts) == ("failed", 1) and "channel_not_found" in (first.error or "")
    assert runner.run("finance", MONDAY).result == "skipped"  # too early to retry
    results = [first]
    for _ in range(MAX_ATTEMPTS - 1):
        clock.advance(minutes=10)
        results += [r for r in runner.run_due() if r.team == "finance"]
    assert [r.result for r in results] == ["failed"] * (MAX_ATTEMPTS - 1) + ["gave_up"]
    clock.advance(minutes=30)
    assert all(r.team != "finance" for r in runner.run_due())  # given up: not retried for ever
    run = runner.runs.get("finance", MONDAY)
    assert run is not None and run.gave_up and run.attempts == MAX_ATTEMPTS and run.error
    assert all(team != "finance" for team, _ in poster.posted)
    text = metrics.payload()[0].decode()
    assert 'rolebot_digest_runs_total{kind="team",result="gave_up"} 1.0' in text
    assert 'rolebot_digest_runs_total{kind="team",result="failed"} 2.0' in text


def test_failed_post_succeeds_on_retry(tmp_path: Path) -> None:
    clock, poster = Clock(), RecordingPoster(fail=1, team="data")
    runner = runner_on(tmp_path / "db", clock, poster)
    assert runner.run("data", MONDAY).result == "failed"
    clock.advance(minutes=5)
    assert [r.result for r in runner.run_due() if r.team == "data"] == ["sent"]
    assert poster.count("data") == 1


def test_missed_digest_is_sent_at_start_up_only_that_working_day(tmp_path: Path) -> None:
    poster = RecordingPoster()
    clock = Clock(MONDAY_0900_STOCKHOLM + timedelta(hours=5))  # down at 09:00, back at 14:00
    runner = runner_on(tmp_path / "db", clock, poster)
    sent = {(r.team, r.kind) for r in runner.run_due() if r.result == "sent"}
    assert ("ecommerce", TEAM) in sent and ("ecommerce", "leadership") in sent
    assert ("warehouse", TEAM) in sent  # Seoul: 09:00 there was hours ago
    missed = [d for team, d in poster.posted if team == "ecommerce" and isinstance(d, TeamDigest)]
    assert missed[0].since == MONDAY_0900_STOCKHOLM - timedelta(days=3)  # covers since Friday's digest
    late = runner_on(tmp_path / "other.db", Clock(MONDAY_0900_STOCKHOLM + timedelta(hours=15)), poster)
    assert all(r.team != "ecommerce" for r in late.run_due())  # Tuesday 00:00 in Stockholm: too late
    early = runner_on(tmp_path / "third.db", Clock(MONDAY_0900_STOCKHOLM - timedelta(minutes=1)), poster)
    assert all(r.team != "ecommerce" for r in early.run_due())  # 08:59: not due yet


def test_next_digest_covers_since_the_last_one_sent(tmp_path: Path) -> None:
    clock, poster = Clock(MONDAY_0900_STOCKHOLM + timedelta(minutes=7)), RecordingPoster()
    runner = runner_on(tmp_path / "db", clock, poster)
    runner.run("content", MONDAY)
    clock.advance(days=1)
    runner.run("content", MONDAY + timedelta(days=1))
    assert poster.posted[-1][1].since == MONDAY_0900_STOCKHOLM + timedelta(minutes=7)


def test_cli_preview_send_runs(tmp_path: Path) -> None:
    from handlers.cli.digest import digest_command

    env = {"ROLEBOT_DB": str(tmp_path / "cli.db"), "SLACK_BOT_TOKEN": "", "MicrosoftAppId": ""}
    cli = CliRunner()
    preview = cli.invoke(digest_command, ["--team", "marketing", "--preview"], env=env)
    assert preview.exit_code == 0 and "daglig sammanfattning" in preview.output
    english = cli.invoke(digest_command, ["--team", "marketing", "--preview", "--lang", "en"], env=env)
    assert "daily digest" in english.output
    slack = cli.invoke(digest_command, ["--leadership", "--preview", "--format", "slack"], env=env)
    assert slack.exit_code == 0 and '"type": "header"' in slack.output
    runs = cli.invoke(digest_command, ["--runs"], env=env).output
    assert runs.startswith("no digest runs yet")  # previews record nothing
    bad = cli.invoke(digest_command, ["--team", "nope", "--preview"], env=env)
    assert bad.exit_code == 2 and "unknown team" in bad.output
    assert cli.invoke(digest_command, ["--preview"], env=env).exit_code == 2
    send = cli.invoke(digest_command, ["--send", "--team", "it"], env=env)
    assert send.exit_code == 0
    again = cli.invoke(digest_command, ["--send", "--team", "it"], env=env)
    assert "=== it ===" not in again.output
