"""Standup scheduling: today's ask / reminder / report times per team, and `run_due` for the scheduler."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot.standup.calendar import StandupTimes, is_standup_day, local_date, standup_times
from bot.standup.config import StandupSettings

if TYPE_CHECKING:
    from bot.standup.service import StandupService

log = logging.getLogger(__name__)
TICK_SECONDS = 60.0


def standup_jobs(settings: Mapping[str, StandupSettings], now: datetime) -> list[StandupTimes]:
    """Each enabled team's standup times for its local date at `now`, when that is a working day."""
    jobs = []
    for team in sorted(settings):
        own = settings[team]
        day = local_date(own, now)
        if is_standup_day(own, day):
            jobs.append(standup_times(own, day))
    return jobs


@dataclass(frozen=True)
class StandupTick:
    """What one `run_due` did for one team."""

    team: str
    run_date: date
    asked: tuple[str, ...] = ()
    reminded: tuple[str, ...] = ()
    closed: tuple[date, ...] = ()


class StandupScheduler:
    """Idempotent: call `run_due` as often as you like (every minute); every step is claimed in
    SQLite first, so restarts, double triggers and a second replica ask and remind nobody twice."""

    def __init__(self, service: StandupService) -> None:
        self.service = service

    def run_due(self, now: datetime | None = None) -> list[StandupTick]:
        """Close past runs, ask everyone due (catching up after downtime until the report time),
        remind once after the reminder time."""
        now = now or self.service.clock()
        ticks = []
        for team in self.service.enabled_teams():
            tick = self._team(team, now)
            if tick.asked or tick.reminded or tick.closed:
                log.info(
                    "standup",
                    extra={
                        "team": team,
                        "run_date": tick.run_date.isoformat(),
                        "asked": len(tick.asked),
                        "reminded": len(tick.reminded),
                        "closed": len(tick.closed),
                    },
                )
            ticks.append(tick)
        return ticks

    def _team(self, team: str, now: datetime) -> StandupTick:
        svc = self.service
        settings = svc.settings[team]
        day = local_date(settings, now)
        times = standup_times(settings, day)
        closed = tuple(
            run.run_date
            for run in svc.store.open_runs([team])
            if (run.run_date < day or now >= times.report_at) and svc.close(team, run.run_date)
        )
        if not is_standup_day(settings, day) or not times.ask_at <= now < times.report_at:
            return StandupTick(team, day, closed=closed)
        asked = tuple(svc.ask(team, day))
        reminded = tuple(svc.remind(team, day)) if now >= times.remind_at else ()
        return StandupTick(team, day, asked, reminded, closed)


def add_standup_job(scheduler: Any, standups: StandupScheduler, seconds: float = TICK_SECONDS) -> None:
    """Register the standup tick on an APScheduler scheduler (runs once right away: catch-up)."""

    def tick() -> None:
        try:
            standups.run_due()
        except Exception:  # one failed tick must not unschedule the job; the next one tries again
            log.exception("scheduled job failed", extra={"job": "standup"})

    scheduler.add_job(
        tick,
        "interval",
        seconds=seconds,
        id="standup",
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now().astimezone(),
        replace_existing=True,
    )
