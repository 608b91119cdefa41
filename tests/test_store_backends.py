"""The store test-suite, run against each backend: the same calls give the same answers on SQLite and
PostgreSQL (open_stores picks the backend from the location, as the running bot does)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import EscClock

from bot.directory import Directory
from bot.escalations.models import Actor
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase
from bot.storage.backends import open_stores
from bot.storage.identities import Identity
from bot.storage.refs import LATEST
from bot.storage.stores import Stores

T0 = datetime(2024, 6, 3, 10, 0, tzinfo=UTC)
ZED = Actor("slack", "U0ZED", "Zed")
HUGO = Actor("slack", "U0HUGO", "Hugo")


@pytest.fixture(params=["sqlite", "postgres"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    location = request.getfixturevalue("pg_url") if request.param == "postgres" else tmp_path / "r.db"
    opened = open_stores(location, clock=lambda: T0)
    yield opened
    opened.close()


def test_feedback_corrections_and_knowledge_gaps(stores: Stores) -> None:
    feedback = stores.feedback
    feedback.record_correction(
        "Who does REFUNDS?", "en", "it", None, "customer-service", "cs-agent", "slack", "U1"
    )
    feedback.record_correction("  returns  ", "sv", None, None, "warehouse", None, "teams", "29:x")
    found = feedback.corrections()
    assert [(c.question, c.normalized_question, c.corrected_team, c.user) for c in found] == [
        ("Who does REFUNDS?", "who does refunds", "customer-service", "U1"),
        ("returns", "returns", "warehouse", "29:x"),
    ]
    assert found[0].created_at == T0
    for question in ("Where is the printer?", "where is the PRINTER", "Coffee?", "   "):
        feedback.record_unrouted(
            question, "en", "slack", "U1", near_team="it" if "printer" in question.lower() else None
        )
    assert feedback.unrouted_since(T0) == [("where is the PRINTER", 2), ("Coffee?", 1)]
    assert feedback.unrouted_since(T0, team="it") == [("where is the PRINTER", 2)]
    assert feedback.unrouted_since(T0 + timedelta(seconds=1)) == []


def test_asked_topics_are_counted_per_team_and_window(stores: Stores) -> None:
    for minutes, topic in ((0, "returns"), (1, "returns"), (2, "tickets"), (90, "returns")):
        stores.asked.record("customer-service", None, topic, "en", "slack", T0 + timedelta(minutes=minutes))
    stores.asked.record("it", None, "outage", "en", "slack", T0)
    window = (T0, T0 + timedelta(hours=1))
    assert stores.asked.top_topics("customer-service", *window) == [("returns", 2), ("tickets", 1)]
    assert stores.asked.top_topics("customer-service", *window, limit=1) == [("returns", 2)]


def test_identities_are_kept_per_platform_and_user(stores: Stores) -> None:
    ids = stores.identities
    ids.save(Identity("teams", "29:b", "b@x.se", "B", None))
    ids.save(Identity("slack", "U2", None, "Two", None))
    ids.save(Identity("slack", "U1", "a@x.se", "A", None))
    ids.save(Identity("slack", "U1", "a@x.se", "Ada", "ada"))  # seen again: updated, not doubled
    assert [(i.platform, i.user_id, i.name, i.person_id) for i in ids.all()] == [
        ("slack", "U1", "Ada", "ada"),
        ("slack", "U2", "Two", None),
        ("teams", "29:b", "B", None),
    ]
    ids.forget("slack", "U2")
    assert [i.user_id for i in ids.all("slack")] == ["U1"]


def test_request_channels_and_watchers_answer_once(stores: Stores, esc_service_on: EscalationService) -> None:
    assert stores.channels.claim_thread("slack", "C1", "1.1", "it", T0) is True
    assert stores.channels.claim_thread("slack", "C1", "1.1", "it", T0) is False
    assert stores.channels.claim_thread("teams", "C1", "1.1", None, T0) is True
    assert stores.channels.enabled("slack", "C1") is None
    stores.channels.switch("slack", "C1", False, "ada", T0)
    assert stores.channels.enabled("slack", "C1") is False
    stores.channels.switch("slack", "C1", True, "ada", T0)
    assert stores.channels.enabled("slack", "C1") is True
    esc = esc_service_on.create(ZED, "Down", team="it").escalation
    assert stores.watchers.add(esc.id, "warehouse", "ada", T0) is True
    assert stores.watchers.add(esc.id, "warehouse", "bo", T0) is False
    assert stores.watchers.add(esc.id, "marketing", "bo", T0) is True
    assert stores.watchers.teams(esc.id) == ["warehouse", "marketing"]


def test_card_references_are_found_again(stores: Stores, esc_service_on: EscalationService) -> None:
    esc = esc_service_on.create(ZED, "Down", team="it").escalation
    stores.slack_refs.save(esc.id, "C1", "1.1")
    stores.slack_refs.save(esc.id, "C2", "2.2")
    stores.slack_refs.save(esc.id, "C1", "1.9")  # reposted in C1: the new card replaces the old
    assert stores.slack_refs.cards(esc.id) == [("C1", "1.9"), ("C2", "2.2")]
    teams = stores.teams_refs
    teams.save_message(esc.id, "19:cs", "m1")
    assert teams.message(esc.id, "19:cs") == "m1" and teams.message(esc.id, "19:x") is None
    assert teams.messages(esc.id) == [("19:cs", "m1")]
    in_channel = {"conversation": {"id": "19:cs;messageid=1"}, "teamId": "T1", "serviceUrl": "https://s"}
    personal = {"conversation": {"id": "a:1"}, "serviceUrl": "https://s"}
    teams.save_reference(["channel:19:cs", LATEST], in_channel)
    teams.save_reference(["user:29:ada"], personal)
    assert teams.reference("user:29:ada") == personal and teams.reference(LATEST) == in_channel
    assert teams.team_ids() == ["T1"]
    assert teams.forget("other", team_id="T1") == 1  # the bot left team T1: its channel goes
    assert teams.reference("channel:19:cs") is None and teams.reference(LATEST) == in_channel
    assert teams.removed("19:cs;messageid=1") and teams.removed("other")
    teams.save_reference(["channel:19:cs"], in_channel)  # added back
    assert not teams.removed("19:cs;messageid=1")
    assert teams.forget("a:1") == 1 and teams.reference("user:29:ada") is None


def test_a_digest_run_is_claimed_by_one_caller(stores: Stores) -> None:
    runs = stores.digest_runs
    day = date(2024, 6, 3)
    first = runs.claim("it", day, "team", "a", T0, lambda run: False)
    assert first is not None and (first.state, first.attempts, first.claimed_by) == ("pending", 1, "a")
    assert runs.claim("it", day, "team", "b", T0, lambda run: False) is None
    runs.finish(first, "failed", "boom", None)
    retried = runs.claim("it", day, "team", "b", T0, lambda run: run.state == "failed")
    assert retried is not None and (retried.attempts, retried.claimed_by) == (2, "b")
    runs.finish(retried, "sent", None, T0 + timedelta(minutes=1))
    assert runs.last_sent("it", "team") == T0 + timedelta(minutes=1)
    assert runs.last_sent("it", "team", before=day) is None
    assert [(r.team, r.state) for r in runs.recent()] == [("it", "sent")]

    def claim(owner: str) -> object:
        return runs.claim("it", day + timedelta(days=1), "team", owner, T0, lambda run: False)

    with ThreadPoolExecutor(6) as pool:  # six replicas' schedulers at the same minute
        winners = [r for r in pool.map(claim, "abcdef") if r is not None]
    assert len(winners) == 1


def test_digest_reads(stores: Stores, esc_service_on: EscalationService, esc_clock: EscClock) -> None:
    service = esc_service_on
    a = service.create(ZED, "a", team="it", priority="P1").escalation
    b = service.create(ZED, "b", team="it").escalation
    c = service.create(ZED, "c", team="warehouse").escalation
    service.acknowledge(b.ref, Actor("slack", "U0FELIX"))
    esc_clock.advance(hours=1)
    service.resolve(c.ref, Actor("slack", "U0EUN"))
    now = esc_clock()
    day = (now - timedelta(days=1), now)
    reads = stores.digest_queries
    created, total = reads.created("it", *day, limit=1)
    assert [e.id for e in created] == [a.id] and total == 2
    assert ([e.id for e in reads.active("it", 10)[0]], reads.active("it", 10)[1]) == ([a.id, b.id], 2)
    overdue, late = reads.overdue(None, now, 10)
    assert [e.id for e in overdue] == [a.id] and late == 1  # P1 unacknowledged for an hour
    assert reads.overdue(["warehouse"], now, 10) == ([], 0)
    assert [e.id for e in reads.resolved("warehouse", *day, 10)[0]] == [c.id]
    loads = reads.load_by_team(now)
    assert (loads["it"].open, loads["it"].acknowledged, loads["it"].overdue) == (1, 1, 1)
    assert loads["it"].oldest == a.created_at and set(loads) == {"it"}
    assert reads.window_counts(*day) == {"it": (2, 0, 0), "warehouse": (1, 1, 0)}


def test_a_standup_run_from_asking_to_report(stores: Stores) -> None:
    store = stores.standups
    run, created = store.open_run("it", date(2024, 6, 3), T0)
    assert created and store.open_run("it", date(2024, 6, 3), T0) == (run, False)
    store.add_participants(run.id, {"felix": "en", "greta": "sv"})
    store.add_participants(run.id, {"felix": "ko"})  # already in: unchanged
    assert {p.person: p.language for p in store.prompts(run.id).values()} == {"felix": "en", "greta": "sv"}
    assert store.claim_ask(run.id, "felix", T0) and not store.claim_ask(run.id, "felix", T0)
    store.finish_ask(run.id, "felix", sent=True)
    assert store.claim_ask(run.id, "greta", T0)
    store.finish_ask(run.id, "greta", sent=False)  # the DM was refused: asked again later
    assert store.prompts(run.id)["greta"].ask_state == "pending"
    assert store.claim_remind(run.id, "felix", T0) and not store.claim_remind(run.id, "felix", T0)
    assert store.stamp_run(run.id, "asked_at", T0) and not store.stamp_run(run.id, "asked_at", T0)
    assert store.set_skipped(run.id, "greta", "sv", T0)
    assert store.prompts(run.id)["greta"].skipped_at == T0
    assert store.save_answers(run.id, "felix", "en", [("yesterday", "fixed it", False)], T0)
    assert store.save_answers(run.id, "felix", "en", [("yesterday", "and more", True)], T0)
    assert store.save_answers(run.id, "hugo", "en", [("today", "joined", False)], T0)  # unasked
    assert [(a.person, a.text) for a in store.answers(run.id)] == [
        ("felix", "fixed it\nand more"),
        ("hugo", "joined"),
    ]
    assert store.prompts(run.id)["hugo"].ask_state == "answering"
    assert [r.id for r in store.open_runs(["it", "marketing"])] == [run.id]
    assert store.close_run(run.id, T0) and not store.close_run(run.id, T0)
    assert not store.save_answers(run.id, "felix", "en", [("today", "late", False)], T0)
    assert store.run("it", date(2024, 6, 3)) == store.run_by_id(run.id)
    assert [r.state for r in store.runs_on(date(2024, 6, 3))] == ["reported"]
    assert store.open_runs(["it"]) == []


def test_health_probe_and_gauges(
    stores: Stores, esc_service_on: EscalationService, esc_clock: EscClock
) -> None:
    stores.health.probe()
    stores.health.probe()
    assert stores.health.problem() is None
    esc_service_on.create(ZED, "Down", team="it", priority="P1")
    esc_clock.advance(hours=1)
    gauges = stores.health.gauges(esc_clock())
    assert gauges.by_state == {"open": 1} and gauges.overdue == 1
    assert sum(gauges.outbox.values()) >= 1


@pytest.fixture()
def esc_service_on(
    stores: Stores, esc_world: tuple[KnowledgeBase, Directory], esc_clock: EscClock
) -> EscalationService:
    kb, directory = esc_world
    return EscalationService(stores.escalations, kb, directory, clock=esc_clock)


def test_undelivered_notices_for_the_digest(
    stores: Stores, esc_service_on: EscalationService, esc_clock: EscClock
) -> None:
    service = esc_service_on
    it = service.create(ZED, "printer", team="it").escalation
    service.create(ZED, "pallet", team="warehouse")
    now = esc_clock()
    rows = stores.outbox.listing(["pending"], limit=100)
    mine = [r for r in rows if r.escalation_id == it.id]
    assert len(mine) >= 2  # the create told several people on each platform
    stores.outbox.settle(mine[0].id, "failed", now, error="channel_not_found")
    stores.outbox.retry(mine[1].id, now + timedelta(minutes=1), error="timeout")
    day = (now - timedelta(days=1), now + timedelta(minutes=5))
    notices, total = stores.digest_queries.undelivered("it", *day, limit=1)
    assert total == 2 and [n.escalation_id for n in notices] == [it.id]
    assert notices[0].state == "failed" and notices[0].error == "channel_not_found"
    assert stores.digest_queries.undelivered("warehouse", *day, limit=10) == ([], 0)
    late = (now + timedelta(minutes=10), now + timedelta(days=1))  # a failure before the window is old news
    assert [n.state for n in stores.digest_queries.undelivered("it", *late, limit=10)[0]] == ["pending"]


def test_unfinished_requests_are_leased_and_taken_over_once_the_lease_runs_out(stores: Stores) -> None:
    inbox = stores.inbox("slack")
    lease = timedelta(seconds=30)
    assert inbox.accept("Ev1", "command:/escalate", {"text": "a"})
    assert inbox.accept("Ev2", "command:/escalate", {"text": "b"})
    now = datetime.now(UTC)  # accept stamps wall time
    assert inbox.claim("B", now, lease) == []  # both leased to their acceptor, A
    inbox.renew("A", ["Ev1"], now + 2 * lease)  # A still works on Ev1; it died before renewing Ev2
    later = now + lease + timedelta(seconds=1)
    [taken] = inbox.claim("B", later, lease)
    assert (taken.key, taken.route, taken.payload, taken.attempts) == (
        "Ev2",
        "command:/escalate",
        {"text": "b"},
        0,
    )
    assert inbox.claim("C", later, lease) == []  # Ev2 is B's now, Ev1 still A's
    inbox.renew("A", ["Ev2"], later + 10 * lease)  # A cannot renew what B took over
    after_both = later + 2 * lease
    assert [(r.key, r.attempts) for r in inbox.claim("C", after_both, lease)] == [("Ev1", 0), ("Ev2", 1)]
    inbox.renew("C", ["Ev1", "Ev2"], after_both - timedelta(seconds=1))  # C stops: hands them back
    assert [r.key for r in inbox.claim("D", after_both, lease, limit=1)] == ["Ev1"]
    assert [r.key for r in inbox.claim("E", now, lease, everything=True)] == ["Ev1", "Ev2"]
    inbox.finish("Ev1")
    inbox.finish("Ev2", "failed")
    assert inbox.claim("F", after_both + 10 * lease, lease, everything=True) == []
    assert inbox.unfinished() == [] and inbox.pending() == 0


def test_an_expired_request_is_taken_over_by_one_of_many_claimers(stores: Stores) -> None:
    inbox = stores.inbox("slack")
    for n in range(12):
        assert inbox.accept(f"Ev{n}", "command:/escalate", {"n": n})
    later = datetime.now(UTC) + timedelta(minutes=5)

    def claim(owner: str) -> list[str]:
        return [row.key for row in stores.inbox("slack").claim(owner, later, timedelta(seconds=30), limit=5)]

    with ThreadPoolExecutor(4) as pool:  # four replicas' take-over ticks at the same moment
        taken = [key for keys in pool.map(claim, "abcd") for key in keys]
    assert sorted(taken) == sorted(f"Ev{n}" for n in range(12))
