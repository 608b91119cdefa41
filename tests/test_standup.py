"""Standups on a real SQLite file: settings, asking once, answers, skips, reminders, reports, restarts."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from standup_fixtures import (
    ASK,
    REMIND,
    REPORT,
    CrashAfter,
    RecordingPrompter,
    World,
    make_world,
    standup_directory_raw,
)

from bot.directory import DirectoryError, directory_from_dict
from bot.escalations.models import Actor
from bot.knowledge import KnowledgeBase
from bot.router import Router
from bot.standup.calendar import standup_times
from bot.standup.config import load_standups, standup_settings
from bot.standup.models import StandupError
from bot.standup.schedule import StandupScheduler, standup_jobs
from bot.storage.sqlite.database import open_database

DAY = date(2024, 6, 4)


@pytest.fixture()
def world(tmp_path: Path, bundled_kb: KnowledgeBase, router: Router) -> World:
    return make_world(tmp_path, bundled_kb, router)


def cli(person: str) -> Actor:
    return Actor("cli", person)


# ---------------------------------------------------------------- settings
def test_settings_default_to_the_team_and_its_digest_time() -> None:
    raw = standup_directory_raw()
    directory = directory_from_dict(raw)
    it = standup_settings(raw, "it", directory)
    assert it.enabled and it.ask_time == time(7, 30) and it.report_time == time(9, 0)
    assert it.participants == ("felix", "greta")
    assert [q.key for q in it.questions] == ["yesterday", "today", "blockers"]
    assert [q.blocker for q in it.questions] == [False, False, True]
    assert it.schedule.timezone == "Europe/Stockholm" and it.schedule.holiday_country == "SE"
    ecommerce = standup_settings(raw, "ecommerce", directory)
    assert ecommerce.ask_time == time(7, 30)  # 90 minutes before the 09:00 digest by default
    assert not standup_settings(raw, "marketing", directory).enabled


def test_settings_custom_questions_participants_days_and_holidays() -> None:
    raw = standup_directory_raw(
        participants=["greta"],
        working_days=["mon", "wed"],
        holidays=["2024-06-05"],
        timezone="Asia/Seoul",
        questions=[
            "today",
            {"key": "risks", "text": {"en": "Any risks?", "sv": "Några risker?"}, "blocker": True},
        ],
        remind_before="10m",
    )
    raw["defaults"]["standup"] = {"enabled": False}
    directory = directory_from_dict(raw)
    settings = load_standups(directory, raw=raw)
    it = settings["it"]
    assert it.participants == ("greta",) and it.schedule.days == frozenset({0, 2})
    assert "2024-06-05" in it.schedule.holidays and it.schedule.timezone == "Asia/Seoul"
    assert [(q.key, q.blocker) for q in it.questions] == [("today", False), ("risks", True)]
    assert it.remind_before.total_seconds() == 600
    assert not settings["marketing"].enabled and settings["ecommerce"].enabled
    jobs = standup_jobs(settings, ASK)  # Tuesday: not one of it's days any more
    assert [job.team for job in jobs] == ["ecommerce"]


@pytest.mark.parametrize(
    "block, message",
    [
        ({"ask_time": "09:30"}, "before the digest time"),
        ({"participants": ["nobody"]}, "unknown people nobody"),
        ({"questions": [{"key": "mood"}]}, "needs a text"),
        ({"questions": ["today", "today"]}, "unique"),
        ({"timezone": "Mars/Base"}, "unknown time zone"),
    ],
)
def test_bad_settings_name_the_entry(block: dict[str, Any], message: str) -> None:
    raw = standup_directory_raw(**block)
    with pytest.raises(DirectoryError, match=message):
        standup_settings(raw, "it", directory_from_dict(raw))


def test_no_standup_on_weekends_and_holidays() -> None:
    raw = standup_directory_raw(holidays=["2024-06-04"])
    settings = load_standups(directory_from_dict(raw), raw=raw)
    assert [job.team for job in standup_jobs(settings, ASK)] == ["ecommerce"]
    saturday = ASK.replace(day=8)
    assert standup_jobs(settings, saturday) == []
    national_day = ASK.replace(day=6)  # a Swedish public holiday (holiday_country SE)
    assert standup_jobs(settings, national_day) == []
    times = standup_times(settings["ecommerce"], DAY)
    assert (times.ask_at, times.remind_at, times.report_at) == (ASK, REMIND, REPORT)


# ---------------------------------------------------------------- asking and answering
def test_everyone_is_asked_once(world: World) -> None:
    prompter = RecordingPrompter()
    scheduler = StandupScheduler(world.service(prompter))
    world.clock.now = ASK.replace(minute=0)
    assert all(not tick.asked for tick in scheduler.run_due())  # before the ask time
    world.clock.now = ASK
    scheduler.run_due()
    scheduler.run_due()
    StandupScheduler(world.service(prompter)).run_due()  # a second process / replica
    assert sorted(p for p, *_ in prompter.asked) == ["ada", "bo", "felix", "greta"]
    felix = next(a for a in prompter.asked if a[0] == "felix")
    assert "What did you get done yesterday?" in felix[2]
    bo = next(a for a in prompter.asked if a[0] == "bo")
    assert bo[3] == "zh-TW" and "昨天" in bo[2]  # each person in their own language


def test_failed_dm_is_retried_and_not_lost(world: World) -> None:
    flaky = RecordingPrompter(fail_for=("greta",))
    assert world.service(flaky).ask("it") == ["felix"]
    healed = RecordingPrompter()
    assert world.service(healed).ask("it") == ["greta"]


def test_answers_in_several_messages_with_edits_and_additions(world: World) -> None:
    svc = world.service()
    first = svc.record_answer("felix", "fixed the cart bug")
    assert first.saved == ("yesterday",) and first.next_question == "today"
    assert "What are you working on today?" in first.text
    svc.record_answer("felix", "release notes")
    svc.record_answer("felix", "+ and the deploy checklist")  # adds to the last answer
    svc.record_answer("felix", "yesterday: fixed the cart and the coupon bug")  # an edit
    done = svc.record_answer("felix", "none")
    assert done.complete and "09:00" in done.text
    again = svc.record_answer("felix", "more chatter")
    assert again.saved == () and "answered every question" in again.text
    member = next(m for m in svc.report("it", DAY).members if m.person == "felix")
    assert {a.key: a.text for a in member.answers} == {
        "yesterday": "fixed the cart and the coupon bug",
        "today": "release notes\nand the deploy checklist",
        "blockers": "none",
    }
    assert svc.report("it", DAY).blockers == ()  # "none" is not a blocker


def test_one_message_can_answer_every_question_in_any_language(world: World) -> None:
    svc = world.service()
    reply = svc.record_answer(
        "greta", "igår: testade kassan\nidag: regressionstester\nhinder: inga", language="sv"
    )
    assert reply.complete and reply.saved == ("yesterday", "today", "blockers")
    assert "Tack" in reply.text
    with pytest.raises(StandupError) as empty:
        svc.record_answer("greta", "   ")
    assert empty.value.code == "empty"
    with pytest.raises(StandupError) as outsider:
        svc.record_answer("cecilia", "hello")
    assert outsider.value.code == "not_participant"


def test_skip_means_not_asked_not_reminded_and_listed_away(world: World) -> None:
    prompter = RecordingPrompter()
    svc = world.service(prompter)
    world.clock.now = ASK.replace(minute=0)
    assert "away" in svc.skip("greta").text
    world.clock.now = ASK
    StandupScheduler(svc).run_due()
    assert "greta" not in [p for p, *_ in prompter.asked]
    world.clock.now = REMIND
    StandupScheduler(svc).run_due()
    assert "greta" not in [p for p, *_ in prompter.reminded]
    report = svc.report("it", DAY)
    assert report.skipped == ("greta",) and report.missing == ("felix",)
    svc.skip("greta", undo=True)
    assert svc.report("it", DAY).missing == ("felix", "greta")


def test_one_reminder_before_the_deadline_for_unfinished_answers(world: World) -> None:
    prompter = RecordingPrompter()
    scheduler = StandupScheduler(world.service(prompter))
    scheduler.run_due()
    svc = world.service(prompter)
    svc.record_answer("felix", "yesterday: a\ntoday: b\nblockers: none")
    svc.record_answer("greta", "tests")
    world.clock.now = REMIND.replace(minute=10)
    scheduler.run_due()
    assert prompter.reminded == []  # not yet
    world.clock.now = REMIND
    scheduler.run_due()
    world.clock.advance(minutes=10)
    scheduler.run_due()
    reminded = {person: text for person, team, text, _ in prompter.reminded if team == "it"}
    assert list(reminded) == ["greta"] and "What are you working on today?" in reminded["greta"]
    assert sorted(p for p, *_ in prompter.reminded) == ["ada", "bo", "greta"]


def test_answers_close_at_the_report_time(world: World) -> None:
    svc = world.service()
    svc.record_answer("felix", "done")
    world.clock.now = REPORT
    ticks = StandupScheduler(svc).run_due()
    assert {t.team: t.closed for t in ticks}["it"] == (DAY,)
    with pytest.raises(StandupError) as closed:
        svc.record_answer("felix", "today: too late")
    assert closed.value.code == "closed"
    assert svc.report("it", DAY).state == "reported"
    assert next(m for m in svc.report("it", DAY).members if m.person == "felix").answers[0].text == "done"


# ---------------------------------------------------------------- reports and blockers
def test_report_routes_blockers_and_shows_who_is_missing(world: World) -> None:
    svc = world.service()
    svc.record_answer(
        "felix", "yesterday: cart\ntoday: release\nblockers: the payment gateway keeps timing out"
    )
    report = svc.report("it", DAY)
    assert report.missing == ("greta",)
    (blocker,) = report.blockers
    assert (blocker.routing.team, blocker.routing.role) == ("it", "developer")
    assert blocker.routing.matched and "payment" in blocker.routing.matched.lower()
    assert blocker.person == "felix" and blocker.key.startswith("SB")


def test_blockers_for_another_team_appear_there_as_blocking_others(world: World) -> None:
    svc = world.service()
    svc.record_answer("ada", "blockers: the payment gateway keeps timing out\n- none", team="ecommerce")
    own = svc.report("ecommerce", DAY)
    assert [b.routing.team for b in own.blockers] == ["it"]
    it = svc.report("it", DAY)
    assert it.blockers == () and [b.person for b in it.blocking_others] == ["ada"]
    assert it.blocking_others[0].team == "ecommerce"
    assert svc.report("ecommerce", DAY).blocking_others == ()  # its own blockers are not "others"


def test_one_click_escalation_acts_once(world: World) -> None:
    svc = world.service()
    svc.record_answer("felix", "blockers: the payment gateway keeps timing out")
    key = svc.report("it", DAY).blockers[0].key
    first = svc.escalate_blocker(key, cli("felix"))
    second = world.service().escalate_blocker(key, cli("greta"))  # double click, another process
    assert first.escalation.ref == second.escalation.ref and second.replayed and not first.replayed
    assert (first.escalation.team, first.escalation.role) == ("it", "developer")
    assert "Felix Ek" in first.escalation.details
    count = open_database(world.path).execute("SELECT COUNT(*) FROM escalations").fetchone()[0]
    assert count == 1
    assert svc.report("it", DAY).blockers[0].escalation == first.escalation.ref
    svc.record_answer("felix", "blockers: waiting for the new API key")  # edited: the old one is gone
    with pytest.raises(StandupError) as gone:
        svc.escalate_blocker(key, cli("felix"))
    assert gone.value.code == "blocker_gone"


def test_reports_are_visible_to_the_team_and_admins_only(world: World) -> None:
    svc = world.service()
    svc.record_answer("felix", "blockers: the payment gateway keeps timing out")
    assert svc.report_for("it", DAY, cli("greta")).team == "it"
    assert svc.report_for("it", DAY, Actor("slack", "U0ADA")).team == "it"  # ada is an admin
    for outsider in (cli("cecilia"), Actor("slack", "U0NOBODY")):
        with pytest.raises(StandupError) as refused:
            svc.report_for("it", DAY, outsider)
        assert refused.value.code == "forbidden"
    key = svc.report("it", DAY).blockers[0].key
    with pytest.raises(StandupError) as refused:
        svc.escalate_blocker(key, cli("cecilia"))
    assert refused.value.code == "forbidden"


# ---------------------------------------------------------------- restarts
def test_restart_mid_standup_loses_no_answer_and_asks_nobody_twice(world: World) -> None:
    crashing = CrashAfter(count=1)
    with pytest.raises(SystemExit):
        world.service(crashing).ask("it")  # asked felix, died before greta
    world.service().record_answer("felix", "fixed the cart")
    restarted = RecordingPrompter()
    world.clock.advance(minutes=1)
    StandupScheduler(world.service(restarted)).run_due()
    StandupScheduler(world.service(restarted)).run_due()
    asked = [p for p, *_ in crashing.asked] + [p for p, team, *_ in restarted.asked if team == "it"]
    # greta's question was being sent when the process died: it may have arrived, so it is not
    # sent again; her reminder carries the question instead.
    assert asked == ["felix"]
    world.clock.now = REMIND
    StandupScheduler(world.service(restarted)).run_due()
    reminded = {person: text for person, team, text, _ in restarted.reminded if team == "it"}
    assert sorted(reminded) == ["felix", "greta"]  # felix answered one question of three
    assert "What did you get done yesterday?" in reminded["greta"]
    assert "What are you working on today?" in reminded["felix"]
    member = next(m for m in world.service().report("it", DAY).members if m.person == "felix")
    assert member.answers[0].text == "fixed the cart"
