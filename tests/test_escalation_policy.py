"""SLA policy: due times in working hours (weekends, holidays, time zones, DST, 24/7 P1), chain levels,
and the sweep that moves overdue escalations up their chain."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from bot.directory import Directory, EscalationPolicy, Level, Schedule
from bot.escalations.models import Actor, ListFilter, State
from bot.escalations.policy import (
    SlaClock,
    format_duration,
    level_recipients,
    next_level,
)
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase
from bot.working_time import add_working_time

if TYPE_CHECKING:
    from conftest import EscClock, RecordingNotifier

OFFICE = Schedule(timezone="UTC")  # 09:00-17:00, Monday to Friday
ZED = Actor("slack", "U0ZED")
HUGO = Actor("slack", "U0HUGO")


def utc(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (utc(3, 10), 4, utc(3, 14)),  # Monday, well inside the day
        (utc(3, 6), 1, utc(3, 10)),  # before opening: the clock starts at 09:00
        (utc(3, 20), 1, utc(4, 10)),  # after closing: next morning
        (utc(7, 16), 4, utc(10, 12)),  # Friday 16:00 + 4h: one hour Friday, three on Monday
        (utc(8, 12), 2, utc(10, 11)),  # raised on Saturday: Monday 11:00
        (utc(3, 10), 16, utc(5, 10)),  # two full working days
        (utc(3, 17), 8, utc(4, 17)),  # exactly at closing time
    ],
)
def test_working_hours_skip_nights_and_weekends(start: datetime, hours: float, due: datetime) -> None:
    assert add_working_time(start, timedelta(hours=hours), OFFICE) == due


def test_listed_and_country_holidays_are_skipped() -> None:
    listed = Schedule(timezone="UTC", holidays=frozenset({"2024-06-04"}))
    assert add_working_time(utc(3, 16), timedelta(hours=2), listed) == utc(5, 10)
    sweden = Schedule(timezone="Europe/Stockholm", holiday_country="SE")
    # Wednesday 5 June 16:00 CEST + 2h: Thursday 6 June is Sweden's National Day -> Friday 10:00 CEST.
    start = datetime(2024, 6, 5, 16, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert add_working_time(start, timedelta(hours=2), sweden) == datetime(
        2024, 6, 7, 10, tzinfo=ZoneInfo("Europe/Stockholm")
    )
    unknown_country = Schedule(timezone="UTC", holiday_country="XX")
    assert add_working_time(utc(3, 16), timedelta(hours=2), unknown_country) == utc(4, 10)


def test_the_team_time_zone_decides_what_working_hours_are() -> None:
    seoul = Schedule(timezone="Asia/Seoul", days=frozenset(range(6)))  # Monday to Saturday
    # Monday 10:00 UTC is 19:00 in Seoul: after hours, so Tuesday 10:00 KST = 01:00 UTC.
    assert add_working_time(utc(3, 10), timedelta(hours=1), seoul) == utc(4, 1)
    # Saturday counts in Seoul: Friday 16:00 KST + 2h -> Saturday 10:00 KST.
    start = datetime(2024, 6, 7, 16, tzinfo=ZoneInfo("Asia/Seoul"))
    saturday = datetime(2024, 6, 8, 10, tzinfo=ZoneInfo("Asia/Seoul"))
    assert add_working_time(start, timedelta(hours=2), seoul) == saturday


def test_a_daylight_saving_change_over_the_weekend_is_counted_in_local_hours() -> None:
    amsterdam = Schedule(timezone="Europe/Amsterdam", start=time(8), end=time(18))
    # Friday 29 March 17:30 CET + 1h: 30 minutes on Friday, then Monday 08:30 CEST (DST began Sunday).
    start = datetime(2024, 3, 29, 16, 30, tzinfo=UTC)
    assert add_working_time(start, timedelta(hours=1), amsterdam) == datetime(2024, 4, 1, 6, 30, tzinfo=UTC)


def test_around_the_clock_and_degenerate_schedules_count_plain_time() -> None:
    saturday_night = utc(8, 3)
    assert add_working_time(saturday_night, timedelta(minutes=30), OFFICE, around_the_clock=True) == utc(
        8, 3, 30
    )
    assert add_working_time(saturday_night, timedelta(hours=2), Schedule(days=frozenset())) == utc(8, 5)
    overnight = Schedule(start=time(22), end=time(6))
    assert add_working_time(saturday_night, timedelta(hours=2), overnight) == utc(8, 5)
    with pytest.raises(ValueError, match="aware"):
        add_working_time(datetime(2024, 6, 3, 10), timedelta(hours=1), OFFICE)


def test_sla_clock_uses_each_team_policy(esc_world: tuple[KnowledgeBase, Directory]) -> None:
    _, directory = esc_world
    sla = SlaClock(directory)
    monday = utc(3, 10)
    assert sla.ack_due("it", "P1", monday) == utc(3, 10, 15)  # it overrides P1 to 15 minutes
    assert sla.ack_due("marketing", "P1", monday) == utc(3, 10, 30)
    assert sla.ack_due("customer-service", "P2", monday) == utc(3, 14)  # 12:00-16:00 in Amsterdam
    # P3 resolve 40h from Friday 17:00 CEST: 1h Friday, 10h Mon-Wed, 9h Thursday -> Thu 17:00 CEST.
    assert sla.resolve_due("customer-service", "P3", utc(7, 15)) == utc(13, 15)
    assert format_duration(timedelta(minutes=90)) == "1h30m" and format_duration(timedelta(hours=4)) == "4h"


def test_next_level_walks_the_chain_then_repeats_then_stops() -> None:
    chain = (Level("a", "channel"), Level("b", "role:lead"), Level("c", "person:ada"))
    once = EscalationPolicy(chain=chain, ack={}, resolve={}, repeat=0)
    twice = EscalationPolicy(chain=chain, ack={}, resolve={}, repeat=1)
    assert (next_level(0, 0, once).level, next_level(1, 0, once).level) == (1, 2)
    assert next_level(2, 0, once).exhausted
    assert (next_level(2, 0, twice).level, next_level(2, 0, twice).cycle) == (0, 1)
    assert next_level(2, 1, twice).exhausted


def test_level_recipients_resolve_channels_roles_and_people(
    esc_service: EscalationService, esc_world: tuple[KnowledgeBase, Directory]
) -> None:
    kb, directory = esc_world
    esc = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation
    channel = level_recipients(esc, directory, kb)
    assert (channel.level.notify, channel.slack_channel, channel.teams_channel, channel.person_ids) == (
        "channel",
        "#customer-service",
        "19:cs@thread.tacv2",
        (),
    )
    assert level_recipients(esc, directory, kb, level=1).person_ids == ("daan",)  # the team's lead
    # head-of-digital is nobody's in customer-service: whoever holds that role elsewhere.
    assert level_recipients(esc, directory, kb, level=2).person_ids == ("ada",)
    assert level_recipients(esc, directory, kb, level=9).level.name == "Head of Digital"


def _audit(service: EscalationService, ref: str) -> list[tuple[str, str]]:
    return [(e.action, e.comment) for e in service.history(ref)]


def test_sweep_bumps_each_overdue_escalation_once_per_window_until_the_chain_is_exhausted(
    esc_service: EscalationService, esc_clock: EscClock, esc_notifier: RecordingNotifier
) -> None:
    ref = esc_service.create(ZED, "Checkout broken", team="ecommerce").escalation.ref  # Mon 10:00, P2: 4h
    assert esc_service.sweep(utc(3, 13, 59)) == []
    first = esc_service.sweep(utc(3, 14))
    assert [(o.action, o.notify_level, o.escalation.level) for o in first] == [("bumped", 1, 1)]
    assert first[0].escalation.ack_due == utc(4, 10)  # 4 working hours from 14:00: 3 today, 1 tomorrow
    assert esc_service.sweep(utc(3, 14)) == []  # twice in a row: nothing more
    assert [o.escalation.level for o in esc_service.sweep(utc(4, 10))] == [2]
    exhausted = esc_service.sweep(utc(4, 14))
    assert [(o.action, o.notify_level) for o in exhausted] == [("exhausted", None)]
    assert esc_service.sweep(utc(5, 14)) == [] and esc_service.sweep(utc(20, 14)) == []
    assert _audit(esc_service, ref)[1:] == [
        ("bumped", "not acknowledged within 4h (P2); escalated to team lead"),
        ("bumped", "not acknowledged within 4h (P2); escalated to Head of Digital"),
        ("exhausted", "not acknowledged within 4h (P2); escalation chain exhausted"),
    ]
    assert all(e.actor == "system:sweep" for e in esc_service.history(ref)[1:])
    esc_clock.now = utc(20, 14)
    assert [e.ref for e in esc_service.list(ListFilter(scope="overdue"))] == [ref]  # still overdue
    assert [o.action for o in esc_notifier.outcomes] == ["created", "bumped", "bumped", "exhausted"]


def test_a_repeating_chain_starts_over_from_level_zero(esc_service: EscalationService) -> None:
    ref = esc_service.create(ZED, "Site down", team="it", priority="P1").escalation.ref  # 15m, repeat 1
    seen = []
    now = utc(3, 10)
    for _ in range(7):
        now += timedelta(minutes=15)
        seen += [(o.action, o.escalation.level, o.escalation.cycle) for o in esc_service.sweep(now)]
    assert seen == [
        ("bumped", 1, 0),
        ("bumped", 2, 0),
        ("bumped", 0, 1),
        ("bumped", 1, 1),
        ("bumped", 2, 1),
        ("exhausted", 2, 1),
    ]
    assert "(round 2)" in _audit(esc_service, ref)[3][1]


def test_acknowledging_stops_the_bumps_and_late_resolution_is_flagged_once(
    esc_service: EscalationService,
) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    esc_service.acknowledge(ref, HUGO)
    assert esc_service.sweep(utc(4, 10)) == []  # acknowledged in time: no bump
    late = esc_service.sweep(utc(4, 16))  # resolve due: 16 working hours (10h days in Amsterdam)
    assert [(o.action, o.escalation.state) for o in late] == [("overdue", State.ACKNOWLEDGED)]
    assert esc_service.sweep(utc(5, 16)) == []
    assert _audit(esc_service, ref)[-1] == ("overdue", "not resolved within 16h (P2)")


def test_reopen_and_reassign_restart_the_clock_and_the_chain(
    esc_service: EscalationService, esc_clock: EscClock
) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    esc_service.sweep(utc(3, 14))
    esc_clock.now = utc(3, 15)
    moved = esc_service.reassign(ref, HUGO, "warehouse").escalation
    assert (moved.level, moved.team) == (0, "warehouse")
    assert moved.ack_due == utc(4, 4)  # Seoul: next morning 09:00 KST + 4h = 13:00 KST
    assert esc_service.sweep(utc(4, 3, 59)) == []
    assert [o.escalation.level for o in esc_service.sweep(utc(4, 4))] == [1]
