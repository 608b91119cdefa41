"""Escalation workflow through the real service on a SQLite file: transitions, authorisation,
idempotency and bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from bot.directory import Directory
from bot.escalations.models import Actor, EscalationError, ListFilter, State
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase
from bot.router import Router
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore

if TYPE_CHECKING:
    from conftest import EscClock, RecordingNotifier

ZED = Actor("slack", "U0ZED")  # requester, in no team
ZED_ON_TEAMS = Actor("teams", "29:zed-unknown", person_id="zed")
DAAN = Actor("slack", "U0DAAN")  # customer-service owner
HUGO = Actor("slack", "U0HUGO")  # customer-service member
FELIX = Actor("slack", "U0FELIX")  # it owner
ADA = Actor("slack", "U0ADA")  # admin
STRANGER = Actor("slack", "U0NOBODY")  # not in the directory


def actions(service: EscalationService, ref: str) -> list[tuple[str, str | None, str | None]]:
    return [(e.action, e.from_state, e.to_state) for e in service.history(ref)]


def expect_error(code: str, call: object, *args: object, **kwargs: object) -> EscalationError:
    assert callable(call)
    with pytest.raises(EscalationError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, str(info.value)
    return info.value


def test_create_stores_an_open_escalation_with_due_times_audit_and_notification(
    esc_service: EscalationService, esc_notifier: RecordingNotifier
) -> None:
    outcome = esc_service.create(
        ZED,
        "  Refund stuck for order 1234  ",
        team="CS",
        priority="p1",
        details="customer called twice",
        source_channel="C123",
        message_link="https://x.slack.com/archives/C123/p1",
        language="sv-SE",
    )
    esc = outcome.escalation
    assert (outcome.action, esc.ref, esc.state, esc.team, esc.priority, esc.level) == (
        "created",
        "ESC-1",
        State.OPEN,
        "customer-service",
        "P1",
        0,
    )
    assert esc.summary == "Refund stuck for order 1234" and esc.language == "sv"
    assert esc.requester.person_id == "zed" and esc.requester.display_name == "Zed Outsider"
    # P1 counts around the clock: 30 minutes after creation.
    assert esc.ack_due == datetime(2024, 6, 3, 10, 30, tzinfo=UTC)
    assert esc_service.get("esc-1") == esc == esc_service.get("1") == esc_service.get("#1")
    assert actions(esc_service, "ESC-1") == [("created", None, "open")]
    assert [(o.action, o.escalation.ref, o.notify_level) for o in esc_notifier.outcomes] == [
        ("created", "ESC-1", 0)
    ]


def test_full_lifecycle_is_audited_in_order(esc_service: EscalationService, esc_clock: EscClock) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    esc_clock.advance(minutes=5)
    acked = esc_service.acknowledge(ref, HUGO).escalation
    assert acked.state is State.ACKNOWLEDGED and acked.acknowledged_at == esc_clock.now
    esc_service.comment(ref, ZED, "any news?")
    resolved = esc_service.resolve(ref, DAAN, "refund sent").escalation
    assert resolved.state is State.RESOLVED and resolved.resolved_at == esc_clock.now
    esc_clock.advance(hours=1)
    reopened = esc_service.reopen(ref, ZED)
    assert reopened.escalation.state is State.OPEN and reopened.notify_level == 0
    assert reopened.escalation.resolved_at is None and reopened.escalation.acknowledged_at is None
    assert reopened.escalation.ack_due == datetime(2024, 6, 3, 15, 5, tzinfo=UTC)  # 4 working hours later
    esc_service.cancel(ref, ZED)
    assert actions(esc_service, ref) == [
        ("created", None, "open"),
        ("acknowledged", "open", "acknowledged"),
        ("commented", "acknowledged", "acknowledged"),
        ("resolved", "acknowledged", "resolved"),
        ("reopened", "resolved", "open"),
        ("cancelled", "open", "cancelled"),
    ]
    assert esc_service.history(ref)[3].comment == "refund sent"


@pytest.mark.parametrize(
    ("setup", "action", "state"),
    [
        (["acknowledge"], "acknowledge", "acknowledged"),
        (["resolve"], "acknowledge", "resolved"),
        (["resolve"], "resolve", "resolved"),
        (["cancel"], "resolve", "cancelled"),
        ([], "reopen", "open"),
        (["acknowledge"], "reopen", "acknowledged"),
        (["resolve"], "cancel", "resolved"),
        (["cancel"], "bump", "cancelled"),
        (["resolve"], "reassign", "resolved"),
    ],
)
def test_illegal_transitions_are_refused_with_the_state(
    esc_service: EscalationService, setup: list[str], action: str, state: str
) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    for step in setup:
        getattr(esc_service, step)(ref, ADA)
    before = actions(esc_service, ref)
    extra = ("it",) if action == "reassign" else ()
    error = expect_error("wrong_state", getattr(esc_service, action), ref, ADA, *extra)
    assert error.key == "error-wrong-state"
    assert error.args_for_message["state"] == state and error.args_for_message["ref"] == ref
    assert actions(esc_service, ref) == before  # nothing logged, nothing changed
    assert esc_service.get(ref).state.value == state


@pytest.mark.parametrize(
    ("actor", "action"),
    [
        (ZED, "acknowledge"),
        (STRANGER, "resolve"),
        (FELIX, "acknowledge"),
        (HUGO, "cancel"),
        (FELIX, "bump"),
        (ZED, "reassign"),
        (FELIX, "reopen"),
    ],
)
def test_unauthorised_actions_are_refused_and_logged(
    esc_service: EscalationService, actor: Actor, action: str
) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    if action == "reopen":
        esc_service.resolve(ref, DAAN)
    state = esc_service.get(ref).state
    extra = ("it",) if action == "reassign" else ()
    error = expect_error("forbidden", getattr(esc_service, action), ref, actor, *extra)
    assert error.args_for_message["action"] == action and error.key == "error-forbidden"
    last = esc_service.history(ref)[-1]
    assert (last.action, last.actor, last.from_state, last.to_state) == (
        "refused",
        actor.key,
        state.value,
        state.value,
    )
    assert last.comment.startswith(f"{action}: only")
    assert esc_service.get(ref).state is state


def test_who_may_do_what(esc_service: EscalationService) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    esc_service.comment(ref, STRANGER, "me too")  # anyone may comment
    esc_service.acknowledge(ref, ADA)  # admins may do anything
    esc_service.cancel(ref, ZED_ON_TEAMS)  # the same requester on another platform
    esc_service.reopen(ref, HUGO)  # team members may reopen
    assert esc_service.get(ref).state is State.OPEN


def test_reassign_moves_to_the_new_team_and_restarts_its_chain(esc_service: EscalationService) -> None:
    ref = esc_service.create(ZED, "Site is down", team="customer-service").escalation.ref
    esc_service.acknowledge(ref, HUGO)
    outcome = esc_service.reassign(ref, HUGO, "tech", "it is a bug")
    esc = outcome.escalation
    assert (esc.team, esc.state, esc.level, outcome.previous_team, outcome.notify_level) == (
        "it",
        State.OPEN,
        0,
        "customer-service",
        0,
    )
    assert esc_service.history(ref)[-1].comment == "customer-service -> it: it is a bug"
    expect_error("forbidden", esc_service.acknowledge, ref, HUGO)  # no longer his team
    esc_service.acknowledge(ref, FELIX)
    expect_error("invalid", esc_service.reassign, ref, FELIX, "it")
    expect_error("unknown_team", esc_service.reassign, ref, FELIX, "wearhouse")


def test_bump_by_hand_climbs_one_level_until_the_top(
    esc_service: EscalationService, esc_notifier: RecordingNotifier
) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    assert esc_service.bump(ref, HUGO).notify_level == 1
    assert esc_service.bump(ref, HUGO).escalation.level == 2
    error = expect_error("wrong_state", esc_service.bump, ref, HUGO)
    assert "top" in str(error)
    assert [o.notify_level for o in esc_notifier.outcomes] == [0, 1, 2]


def test_a_retried_request_returns_the_first_result_and_changes_nothing(
    esc_service: EscalationService, esc_notifier: RecordingNotifier, esc_clock: EscClock
) -> None:
    first = esc_service.create(ZED, "Parcel lost", team="customer-service", request_id="Ev01")
    esc_clock.advance(minutes=1)
    again = esc_service.create(ZED, "Parcel lost (edited)", team="it", request_id="Ev01")
    assert again.replayed and not first.replayed
    assert again.escalation == first.escalation
    ack = esc_service.acknowledge("ESC-1", HUGO, request_id="Ev02")
    esc_service.resolve("ESC-1", HUGO, request_id="Ev03")
    replayed_ack = esc_service.acknowledge("ESC-1", HUGO, request_id="Ev02")
    assert replayed_ack.replayed and replayed_ack.escalation == ack.escalation
    assert len(esc_service.list(ListFilter(scope="all"))) == 1
    assert [e.action for e in esc_service.history("ESC-1")] == ["created", "acknowledged", "resolved"]
    assert len(esc_notifier.outcomes) == 3  # replays notify nobody
    expect_error("invalid", esc_service.cancel, "ESC-1", HUGO, request_id="Ev02")  # id of another action
    # request ids are scoped by who acts: Zed's "Ev02" is a new request of Zed's, not a replay of Hugo's
    expect_error("wrong_state", esc_service.cancel, "ESC-1", ZED, request_id="Ev02")


def test_a_retried_refusal_is_refused_again_but_logged_once(esc_service: EscalationService) -> None:
    ref = esc_service.create(ZED, "Parcel lost", team="customer-service").escalation.ref
    for _ in range(3):
        expect_error("forbidden", esc_service.acknowledge, ref, ZED, request_id="Ev09")
    assert [e.action for e in esc_service.history(ref)] == ["created", "refused"]


def test_a_failing_notifier_never_loses_the_escalation(
    esc_world: tuple[KnowledgeBase, Directory],
    esc_clock: EscClock,
    esc_db_path: object,
    esc_notifier: RecordingNotifier,
) -> None:
    kb, directory = esc_world
    failing = esc_notifier
    failing.fail = True
    service = EscalationService(
        SqliteEscalationStore(open_database(str(esc_db_path))),
        kb,
        directory,
        notifier=failing,
        clock=esc_clock,
    )
    outcome = service.create(ZED, "Parcel lost", team="customer-service")
    assert service.get(outcome.escalation.ref).state is State.OPEN
    assert len(failing.outcomes) == 1


@pytest.mark.parametrize("ref", ["ESC-999", "banana", "esc-0", "", "ESC-1; DROP TABLE escalations", "-1"])
def test_unknown_or_malformed_ids_are_not_found(esc_service: EscalationService, ref: str) -> None:
    esc_service.create(ZED, "Parcel lost", team="customer-service")
    for call in (esc_service.get, esc_service.history):
        assert expect_error("not_found", call, ref).key == "error-not-found"
    expect_error("not_found", esc_service.acknowledge, ref, ADA)
    assert esc_service.get("ESC-1").state is State.OPEN


def test_unknown_team_suggests_the_closest_one(esc_service: EscalationService) -> None:
    error = expect_error("unknown_team", esc_service.create, ZED, "Parcel lost", team="custmer service")
    assert error.args_for_message == {"team": "custmer service", "suggestion": "customer-service"}
    assert "did you mean customer-service" in str(error)
    nothing = expect_error("unknown_team", esc_service.create, ZED, "x", team="'; DROP TABLE escalations")
    assert nothing.args_for_message["suggestion"] == ""
    assert esc_service.create(ZED, "Parcel lost", team="Kundtjänst").escalation.team == "customer-service"
    assert esc_service.create(ZED, "Parcel lost", team="倉庫").escalation.team == "warehouse"


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"summary": ""}, "error-invalid"),
        ({"summary": " \n\t "}, "error-invalid"),
        ({"summary": "x" * 4001}, "error-too-long"),
        ({"summary": "ok", "priority": "P9"}, "error-invalid"),
        ({"summary": "ok", "details": "d" * 40_001}, "error-too-long"),
        ({"summary": "ok", "role": "logistics-manager"}, "error-invalid"),  # a warehouse role, not it's
    ],
)
def test_bad_create_input_is_refused_and_stores_nothing(
    esc_service: EscalationService, kwargs: dict[str, str], key: str
) -> None:
    kwargs = dict(kwargs)  # the parametrize dict is shared by both backends' runs
    summary = kwargs.pop("summary")
    code = "too_long" if key == "error-too-long" else "invalid"
    error = expect_error(code, esc_service.create, ZED, summary, team="it", **kwargs)
    assert error.key == key
    assert esc_service.list(ListFilter(scope="all")) == []


def test_text_at_the_limit_is_kept_and_over_it_refused(esc_service: EscalationService) -> None:
    ref = esc_service.create(ZED, "s" * 4000, team="it").escalation.ref
    esc_service.comment(ref, ZED, "c" * 4000)
    error = expect_error("too_long", esc_service.comment, ref, ZED, "c" * 4001)
    assert error.args_for_message == {"field": "comment", "limit": 4000, "length": 4001}
    expect_error("too_long", esc_service.resolve, ref, FELIX, "n" * 4001)
    expect_error("invalid", esc_service.comment, ref, ZED, "   ")
    assert [e.action for e in esc_service.history(ref)] == ["created", "commented"]


@pytest.mark.parametrize(
    "text",
    [
        "Robert'); DROP TABLE escalations;--",
        '100% off "sale" \\ _ % ; --',
        "退貨流程壞了 🙈🔥",
        "반품 처리가 안 돼요",
        "Ångström ÅÄÖ café naïve",
        "zero\u200bwidth and RTL \u202e text",
        "emoji 👩🏽‍💻 ZWJ",
    ],
)
def test_sql_metacharacters_and_unicode_round_trip(esc_service: EscalationService, text: str) -> None:
    ref = esc_service.create(ZED, text, team="warehouse", details=text).escalation.ref
    esc_service.comment(ref, ZED, text)
    stored = esc_service.get(ref)
    assert stored.summary == text.strip() and stored.details == text.strip()
    assert esc_service.history(ref)[-1].comment == text.strip()
    assert esc_service.list(ListFilter(scope="team", team="warehouse"))[0].summary == text.strip()


def test_create_without_a_team_is_routed_or_refused(
    esc_world: tuple[KnowledgeBase, Directory], esc_clock: EscClock, esc_db_path: object
) -> None:
    kb, directory = esc_world
    store = SqliteEscalationStore(open_database(str(esc_db_path)))
    routed = EscalationService(store, kb, directory, router=Router(kb), clock=esc_clock)
    esc = routed.create(ZED, "Carrier contract").escalation
    assert (esc.team, esc.role) == ("warehouse", "logistics-manager")
    error = expect_error("unroutable", routed.create, ZED, "qwzx plorf blarg")
    assert error.key == "error-unroutable"
    unrouted = EscalationService(store, kb, directory, clock=esc_clock)
    expect_error("unroutable", unrouted.create, ZED, "Parcel lost")
    assert len(routed.list(ListFilter(scope="all"))) == 1


def test_list_scopes(esc_service: EscalationService, esc_clock: EscClock) -> None:
    a = esc_service.create(ZED, "a", team="customer-service").escalation.ref
    b = esc_service.create(FELIX, "b", team="customer-service", priority="P1").escalation.ref
    c = esc_service.create(ZED, "c", team="it").escalation.ref
    d = esc_service.create(HUGO, "d", team="warehouse").escalation.ref
    esc_service.resolve(d, ADA)

    def refs(**kwargs: object) -> list[str]:
        return [e.ref for e in esc_service.list(ListFilter(**kwargs))]  # type: ignore[arg-type]

    assert refs(scope="open") == [c, b, a]
    assert refs(scope="all") == [d, c, b, a]
    assert refs(scope="all", states=(State.RESOLVED,)) == [d]
    assert refs(scope="team", team="CS") == [b, a]
    assert refs(scope="mine", actor=ZED) == [c, a]
    assert refs(scope="mine", actor=HUGO) == [b, a]  # his team's open ones (his own is resolved)
    assert refs(scope="open", limit=1) == [c]
    esc_clock.advance(hours=1)  # only the P1 (30 minutes to acknowledge) is overdue
    assert refs(scope="overdue") == [b]
    esc_clock.advance(days=1)
    assert refs(scope="overdue") == [b, a, c]  # most overdue first
    assert refs(scope="overdue", team="it") == [c]
    expect_error("unknown_team", esc_service.list, ListFilter(scope="team", team="nope"))
    expect_error("invalid", esc_service.list, ListFilter(scope="team"))
    expect_error("invalid", esc_service.list, ListFilter(scope="mine"))
    expect_error("invalid", esc_service.list, ListFilter(scope="everything"))
