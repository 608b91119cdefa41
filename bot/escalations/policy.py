"""SLA clocks: due times counted in a team's working hours (see working_time), who each level notifies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.directory import Directory, EscalationPolicy, Level
from bot.escalations.models import Escalation
from bot.knowledge import KnowledgeBase
from bot.working_time import add_working_time


@dataclass(frozen=True)
class SlaClock:
    """Computes due times for one directory (policy + schedule per team)."""

    directory: Directory

    def _due(self, team: str, priority: str, start: datetime, table: str) -> datetime:
        policy = self.directory.policy(team)
        durations = policy.ack if table == "ack" else policy.resolve
        return add_working_time(
            start,
            durations[priority],
            self.directory.contact(team).schedule,
            around_the_clock=priority in policy.around_the_clock,
        )

    def ack_due(self, team: str, priority: str, start: datetime) -> datetime:
        return self._due(team, priority, start, "ack")

    def resolve_due(self, team: str, priority: str, start: datetime) -> datetime:
        return self._due(team, priority, start, "resolve")

    def ack_window(self, team: str, priority: str) -> timedelta:
        return self.directory.policy(team).ack[priority]


def format_duration(value: timedelta) -> str:
    """'30m', '4h', '1h30m': how audit comments name a policy duration."""
    minutes = int(value.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours}h{mins}m"
    return f"{hours}h" if hours else f"{mins}m"


@dataclass(frozen=True)
class NextLevel:
    """Where the sweep moves an overdue escalation: a new level/cycle, or nowhere (chain exhausted)."""

    level: int
    cycle: int
    exhausted: bool


def next_level(level: int, cycle: int, policy: EscalationPolicy) -> NextLevel:
    """One step up the chain; from the top, back to level 0 while repeats are left."""
    top = max(len(policy.chain) - 1, 0)
    if level < top:
        return NextLevel(level + 1, cycle, False)
    if cycle < policy.repeat:
        return NextLevel(0, cycle + 1, False)
    return NextLevel(level, cycle, True)


@dataclass(frozen=True)
class Recipients:
    """Who a chain level reaches: resolved directory person ids and/or the team's channel(s)."""

    level: Level
    team: str
    person_ids: tuple[str, ...]
    slack_channel: str | None = None
    teams_channel: str | None = None


def level_recipients(
    escalation: Escalation, directory: Directory, kb: KnowledgeBase | None = None, level: int | None = None
) -> Recipients:
    """Resolve escalation.level (or `level`) of its team's chain into people and channels."""
    policy = directory.policy(escalation.team)
    chain = policy.chain or (Level(name="team channel", notify="channel"),)
    index = min(escalation.level if level is None else level, len(chain) - 1)
    step = chain[index]
    kind, _, target = step.notify.partition(":")
    contact = directory.contact(escalation.team)
    resolvers: dict[str, Callable[[], Recipients]] = {
        "channel": lambda: Recipients(
            step, escalation.team, (), contact.slack_channel, contact.teams_channel
        ),
        "role": lambda: Recipients(
            step, escalation.team, _role_holders(directory, escalation.team, target, kb)
        ),
        "person": lambda: Recipients(step, escalation.team, (target,) if target in directory.people else ()),
        "team": lambda: Recipients(
            step,
            target,
            directory.contact(target).owners,
            directory.contact(target).slack_channel,
            directory.contact(target).teams_channel,
        ),
    }
    resolver = resolvers.get(kind)
    if resolver is None:
        return Recipients(step, escalation.team, (), contact.slack_channel, contact.teams_channel)
    return resolver()


def _role_holders(directory: Directory, team: str, role: str, kb: KnowledgeBase | None) -> tuple[str, ...]:
    """Who holds `role`: the team's lead for it, else any team's (e.g. head-of-digital), else owners."""
    contact = directory.contact(team)
    if role in contact.leads:
        return (contact.leads[role],)
    for other in directory.teams.values():
        if role in other.leads:
            return (other.leads[role],)
    if kb is not None and role in kb.roles:
        owner_team = kb.roles[role].team
        return directory.contact(owner_team).owners
    return contact.owners
