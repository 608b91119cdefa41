"""In-process scheduling (APScheduler): per-team digests at local digest time on working days, catch-up
and retries of due digests, and the escalation sweep on its own interval."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.digest.model import DigestBuilder, DigestContributor, DigestPart
from bot.digest.runs import DigestRunner, DigestRuns, RunResult
from bot.directory import WEEKDAYS, TeamContact
from bot.standup.ports import NullPrompter
from bot.standup.schedule import StandupScheduler, add_standup_job
from bot.working_time import is_working_day

if TYPE_CHECKING:
    from bot.digest.ports import DigestPoster
    from bot.observability import Metrics
    from bot.runtime import Core
    from bot.standup.service import StandupService

log = logging.getLogger(__name__)
MAX_SKIPPED_DAYS = 400  # a year of holidays in a row means the schedule is wrong; stop looking


@dataclass(frozen=True)
class SchedulerSettings:
    """Intervals in seconds (0 turns a job off). From ROLEBOT_SWEEP_SECONDS / ROLEBOT_DIGEST_RETRY_SECONDS."""

    sweep_seconds: float = 60.0
    catchup_seconds: float = 300.0
    digests: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SchedulerSettings:
        def seconds(name: str, default: float) -> float:
            raw = env.get(name, "").strip()
            try:
                value = float(raw) if raw else default
            except ValueError:
                raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None
            if value < 0:
                raise ValueError(f"{name} must not be negative")
            return value

        return cls(
            seconds("ROLEBOT_SWEEP_SECONDS", 60.0),
            seconds("ROLEBOT_DIGEST_RETRY_SECONDS", 300.0),
            env.get("ROLEBOT_DIGESTS", "on").strip().lower() not in ("off", "0", "false", "no"),
        )


class WorkingDayTrigger(BaseTrigger):
    """A cron trigger at the team's digest time on its working weekdays, in its IANA zone, that also
    skips the directory's holiday dates and the public holidays of its `holiday_country`."""

    def __init__(self, contact: TeamContact) -> None:
        schedule = contact.schedule
        days = ",".join(WEEKDAYS[d] for d in sorted(schedule.days)) or "*"
        self.contact = contact
        self.cron = CronTrigger(
            day_of_week=days,
            hour=contact.digest_time.hour,
            minute=contact.digest_time.minute,
            timezone=schedule.zone,
        )

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        if not self.contact.schedule.days:
            return None
        previous = previous_fire_time
        for _ in range(MAX_SKIPPED_DAYS):
            candidate: datetime | None = self.cron.get_next_fire_time(previous, now)
            if candidate is None or is_working_day(candidate.date(), self.contact.schedule):
                return candidate
            previous, now = candidate, candidate + timedelta(seconds=1)
        return None

    def __str__(self) -> str:
        return f"working days at {self.contact.digest_time:%H:%M} {self.contact.schedule.timezone}"


def next_fire_times(contact: TeamContact, after: datetime, count: int) -> list[datetime]:
    """The next `count` digest times the scheduler would use (for tests and `rolebot digest --schedule`)."""
    trigger = WorkingDayTrigger(contact)
    found: list[datetime] = []
    previous: datetime | None = None
    now = after
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None:
            break
        found.append(fire)
        previous, now = fire, fire + timedelta(seconds=1)
    return found


def standup_part(standup: StandupService) -> DigestContributor:
    """The team's standup report as a digest part (None on days without a standup)."""

    def contribute(team: str, run_date: date, language: str) -> DigestPart | None:
        section = standup.section(team, run_date, language)
        if section is None:
            return None
        return DigestPart(section.text, section.view)

    return contribute


def build_runner(core: Core, poster: DigestPoster, metrics: Metrics | None = None) -> DigestRunner:
    """A DigestRunner on the core's database, reporting each result to `metrics`."""
    clock = core.service.clock
    builder = DigestBuilder(core.stores, core.kb, core.directory, clock, [standup_part(core.standup)])
    on_result = metrics.observe_digest if metrics is not None else None
    return DigestRunner(
        builder, DigestRuns(core.stores.digest_runs, clock), poster, core.directory, on_result=on_result
    )


def _safely(name: str, work: Any) -> Any:
    def job() -> None:
        try:
            work()
        except Exception:  # one failed run must not unschedule the job; the next one tries again
            log.exception("scheduled job failed", extra={"job": name})

    return job


def add_jobs(
    scheduler: BackgroundScheduler, runner: DigestRunner | None, sweep: Any, settings: SchedulerSettings
) -> None:
    """Digest jobs per (team, kind), the catch-up job (run once right away) and the sweep."""
    if runner is not None and settings.digests:
        for team, kind in runner.targets():
            contact = runner.directory.contact(team)
            job_id = f"digest:{kind}:{team}"
            scheduler.add_job(
                _safely(job_id, partial(runner.run_target, team, kind)),
                WorkingDayTrigger(contact),
                id=job_id,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=3600,
                replace_existing=True,
            )
        if settings.catchup_seconds > 0:
            scheduler.add_job(
                _safely("digest-catch-up", runner.run_due),
                "interval",
                seconds=settings.catchup_seconds,
                id="digest-catch-up",
                coalesce=True,
                max_instances=1,
                next_run_time=datetime.now().astimezone(),
                replace_existing=True,
            )
    if sweep is not None and settings.sweep_seconds > 0:
        scheduler.add_job(
            _safely("escalation-sweep", sweep),
            "interval",
            seconds=settings.sweep_seconds,
            id="escalation-sweep",
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )


def start_scheduler(
    core: Core,
    poster: DigestPoster | None,
    *,
    settings: SchedulerSettings | None = None,
    metrics: Metrics | None = None,
) -> BackgroundScheduler:
    """Start a background scheduler for `core`: digests through `poster` (None: sweep only) and the
    escalation sweep. Call `.shutdown()` on the result when the server stops."""
    settings = settings or SchedulerSettings()
    runner = build_runner(core, poster, metrics) if poster is not None else None
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True})
    add_jobs(scheduler, runner, core.service.sweep, settings)
    if not isinstance(core.standup.prompter, NullPrompter):
        # standups need someone to ask people: only cores built with a surface's prompter run them
        add_standup_job(scheduler, StandupScheduler(core.standup))
    scheduler.start()
    for job in scheduler.get_jobs():
        upcoming = job.next_run_time.isoformat() if job.next_run_time else None
        log.info("scheduled", extra={"job": job.id, "trigger": str(job.trigger), "next_run": upcoming})
    return scheduler


def describe(results: list[RunResult]) -> str:
    """'sent 3, skipped 1, failed 0' for logs and the CLI."""
    counts = {
        name: sum(1 for r in results if r.result == name) for name in ("sent", "skipped", "failed", "gave_up")
    }
    return ", ".join(f"{name} {count}" for name, count in counts.items())
