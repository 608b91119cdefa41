"""Digest trigger times in team time zones (weekends and holidays skipped) and the scheduler's jobs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from digest_support import DIRECTORY, KB, Clock, RecordingPoster, runner_on

from bot.scheduler import SchedulerSettings, WorkingDayTrigger, add_jobs, next_fire_times


def _local(times: list[datetime]) -> list[str]:
    return [f"{t:%a %Y-%m-%d %H:%M %z}" for t in times]


def test_weekends_skipped_in_the_team_zone() -> None:
    stockholm = DIRECTORY.contact("ecommerce")
    times = next_fire_times(stockholm, datetime(2025, 3, 6, 12, 0, tzinfo=UTC), 3)  # Thursday noon
    assert _local(times) == [
        "Fri 2025-03-07 09:00 +0100",
        "Mon 2025-03-10 09:00 +0100",
        "Tue 2025-03-11 09:00 +0100",
    ]


def test_seoul_team_works_saturdays_in_its_own_zone() -> None:
    seoul = replace(
        DIRECTORY.contact("warehouse"),
        schedule=replace(DIRECTORY.contact("warehouse").schedule, holiday_country="KR"),
    )
    times = next_fire_times(seoul, datetime(2025, 3, 6, 12, 0, tzinfo=UTC), 3)
    assert _local(times) == [
        "Fri 2025-03-07 09:00 +0900",
        "Sat 2025-03-08 09:00 +0900",
        "Mon 2025-03-10 09:00 +0900",
    ]
    assert times[0] == datetime(2025, 3, 7, 0, 0, tzinfo=UTC)


def test_daylight_saving_keeps_local_time() -> None:
    stockholm = DIRECTORY.contact("ecommerce")
    times = next_fire_times(stockholm, datetime(2025, 3, 27, 12, 0, tzinfo=UTC), 2)  # DST from Sun 30 Mar
    assert [t.astimezone(UTC).hour for t in times] == [8, 7]  # 09:00 CET, then 09:00 CEST
    assert {t.strftime("%H:%M") for t in times} == {"09:00"}


def test_country_and_directory_holidays_are_skipped() -> None:
    stockholm = DIRECTORY.contact("ecommerce")
    # Swedish public holidays: Good Friday 18 Apr, Easter Monday 21 Apr 2025.
    easter = next_fire_times(stockholm, datetime(2025, 4, 17, 12, 0, tzinfo=UTC), 1)
    assert _local(easter) == ["Tue 2025-04-22 09:00 +0200"]
    own = replace(stockholm, schedule=replace(stockholm.schedule, holidays=frozenset({"2025-04-22"})))
    assert _local(next_fire_times(own, datetime(2025, 4, 17, 12, 0, tzinfo=UTC), 1)) == [
        "Wed 2025-04-23 09:00 +0200"
    ]
    dutch = DIRECTORY.contact("customer-service")  # holiday_country SE from the defaults
    unbound = replace(dutch, schedule=replace(dutch.schedule, holiday_country=None))
    assert _local(next_fire_times(unbound, datetime(2025, 4, 17, 12, 0, tzinfo=UTC), 1)) == [
        "Fri 2025-04-18 09:00 +0200"
    ]


def test_custom_digest_time_and_no_working_days() -> None:
    contact = replace(DIRECTORY.contact("data"), digest_time=time(8, 30))
    assert _local(next_fire_times(contact, datetime(2025, 3, 3, 7, 31, tzinfo=UTC), 1)) == [
        "Tue 2025-03-04 08:30 +0100"
    ]  # Monday 08:30 CET is 07:30 UTC: already past
    never = replace(contact, schedule=replace(contact.schedule, days=frozenset()))
    assert WorkingDayTrigger(never).get_next_fire_time(None, datetime(2025, 3, 3, tzinfo=UTC)) is None


def test_jobs_per_team_catch_up_and_sweep(tmp_path: Path) -> None:
    runner = runner_on(tmp_path / "db", Clock(), RecordingPoster())
    scheduler = BackgroundScheduler(timezone="UTC")
    sweeps: list[int] = []
    add_jobs(scheduler, runner, lambda: sweeps.append(1), SchedulerSettings(sweep_seconds=15))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert {f"digest:team:{team}" for team in DIRECTORY.teams} <= set(jobs)
    assert "digest:leadership:ecommerce" in jobs and "digest-catch-up" in jobs
    assert jobs["escalation-sweep"].trigger.interval.total_seconds() == 15
    assert isinstance(jobs["digest:team:warehouse"].trigger, WorkingDayTrigger)
    assert len(KB.teams) >= len(DIRECTORY.teams)
    off = BackgroundScheduler(timezone="UTC")
    add_jobs(off, runner, None, SchedulerSettings(sweep_seconds=0, catchup_seconds=0, digests=False))
    assert off.get_jobs() == []


def test_settings_from_environment() -> None:
    assert SchedulerSettings.from_env({}) == SchedulerSettings(60.0, 300.0, True)
    settings = SchedulerSettings.from_env({"ROLEBOT_SWEEP_SECONDS": "5", "ROLEBOT_DIGESTS": "off"})
    assert (settings.sweep_seconds, settings.digests) == (5.0, False)
    with pytest.raises(ValueError, match="ROLEBOT_SWEEP_SECONDS"):
        SchedulerSettings.from_env({"ROLEBOT_SWEEP_SECONDS": "soon"})
    with pytest.raises(ValueError, match="negative"):
        SchedulerSettings.from_env({"ROLEBOT_DIGEST_RETRY_SECONDS": "-1"})
