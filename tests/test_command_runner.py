"""CommandRunner against the real EscalationService on a temporary SQLite file, in all five languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from escalation_org import org_directory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.language import VERBS, Command
from bot.commands.runner import CommandResult, CommandRunner
from bot.directory import Directory, directory_from_dict
from bot.escalations.models import Actor, State
from bot.escalations.service import EscalationService
from bot.i18n import message_ids
from bot.knowledge import KnowledgeBase, team_from_dict
from bot.languages import LANGUAGES
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore

START = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
LOCALES = Path(__file__).resolve().parent.parent / "bot" / "locales"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _team(team_id: str, names: dict[str, str], aliases: list[str] = ()) -> dict:  # type: ignore[assignment]
    return {
        "id": team_id,
        "names": names,
        "summary": {"en": team_id},
        "aliases": {"en": list(aliases)},
        "responsibilities": [{"id": "r", "text": {"en": "things"}}],
    }


def make_kb() -> KnowledgeBase:
    teams = [
        _team(
            "warehouse",
            {"en": "Warehouse", "zh-TW": "倉儲團隊", "sv": "Lager", "ko": "물류팀", "nl": "Magazijn"},
            ["logistics"],
        ),
        _team(
            "customer-service",
            {
                "en": "Customer Service",
                "zh-TW": "客服團隊",
                "sv": "Kundtjänst",
                "ko": "고객 서비스팀",
                "nl": "Klantenservice",
            },
        ),
        _team("it", {"en": "IT"}),
    ]
    return KnowledgeBase(teams={t["id"]: team_from_dict(t) for t in teams})


def make_directory() -> Directory:
    return directory_from_dict(
        org_directory(
            ack_p1="30m",
            people={"daan": {"name": "Daan de Vries"}},
            customer_service={"owners": ["daan"], "members": ["daan"]},
        )
    )


BO = Actor(platform="cli", user_id="bo", person_id="bo")
EUN = Actor(platform="cli", user_id="eun", person_id="eun")
DAAN = Actor(platform="cli", user_id="daan", person_id="daan")
ADA = Actor(platform="cli", user_id="ada", person_id="ada")


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def service(tmp_path: Path, clock: Clock) -> EscalationService:
    store = SqliteEscalationStore(open_database(tmp_path / "rolebot.db"))
    return EscalationService(store, make_kb(), make_directory(), clock=clock)


@pytest.fixture()
def runner(service: EscalationService) -> CommandRunner:
    return CommandRunner(service, service.kb, service.directory)


def run(
    runner: CommandRunner, text: str, actor: Actor = BO, language: str = "en", **kw: str
) -> CommandResult:
    return runner.run_text(text, actor, language=language, **kw)


# --- the workflow through commands --------------------------------------------------------------


def test_escalate_ack_resolve_show(runner: CommandRunner, service: EscalationService, clock: Clock) -> None:
    created = run(runner, "escalate warehouse Parcels stuck at the dock P1")
    assert (created.ok, created.kind, created.error_code) == (True, "created", None)
    esc = created.escalation
    assert esc is not None and created.outcome is not None
    assert (esc.team, esc.priority, esc.summary, esc.state) == (
        "warehouse",
        "P1",
        "Parcels stuck at the dock",
        State.OPEN,
    )
    assert service.get(esc.ref) == esc
    assert created.text.splitlines() == [
        f"Saved as {esc.ref} (P1) for Warehouse. I'll let you know as soon as the team has it.",
        "Acknowledgement due in 30 minutes.",
    ]

    clock.advance(minutes=10)
    acked = run(runner, f"ack {esc.ref.lower()}", EUN)
    assert (acked.ok, acked.kind) == (True, "updated")
    assert acked.text.splitlines()[0] == f"{esc.ref} acknowledged by Eun-ji Park."
    assert "acknowledged · Warehouse · 10 minutes ago: Parcels stuck at the dock" in acked.text
    assert service.get(esc.ref).state is State.ACKNOWLEDGED

    resolved = run(runner, f"resolve {esc.id} Moved to dock 2", EUN)
    assert resolved.ok and service.get(esc.ref).state is State.RESOLVED

    shown = run(runner, f"show {esc.ref}")
    assert shown.kind == "show" and shown.escalation == service.get(esc.ref)
    assert [e.action for e in shown.history] == ["created", "acknowledged", "resolved"]
    assert "Requested by Bo Chen 10 minutes ago" in shown.text
    assert re.search(r"Eun-ji Park · resolved: Moved to dock 2$", shown.text, re.MULTILINE)


def test_refusal_is_clear_and_changes_nothing(runner: CommandRunner, service: EscalationService) -> None:
    ref = run(runner, "escalate warehouse Pallet blocked").escalation.ref  # type: ignore[union-attr]
    refused = run(runner, f"ack {ref}", BO)
    assert (refused.ok, refused.kind, refused.error_code) == (False, "error", "forbidden")
    assert refused.text == f"You cannot acknowledge {ref}: only members of Warehouse or an admin can."
    assert service.get(ref).state is State.OPEN
    cancel = run(runner, f"cancel {ref}", EUN)
    assert cancel.text == f"You cannot cancel {ref}: only the person who raised it or an admin can."
    assert run(runner, f"ack {ref}", ADA).ok  # admins may act on anything


def test_unknown_id_wrong_state_and_parse_errors(runner: CommandRunner) -> None:
    missing = run(runner, "ack ESC-999", EUN)
    assert (missing.ok, missing.error_code) == (False, "not_found")
    assert missing.text.startswith("There is no escalation ESC-999.")
    ref = run(runner, "escalate warehouse Dock door stuck").escalation.ref  # type: ignore[union-attr]
    assert run(runner, f"cancel {ref}").ok
    wrong = run(runner, f"resolve {ref}", EUN)
    assert (wrong.error_code, wrong.text) == ("wrong_state", f"{ref} is cancelled, so you cannot resolve it.")
    bad = run(runner, "reassign 1 cs")
    assert (bad.ok, bad.kind, bad.error_code) == (False, "error", "unknown_team")
    assert bad.text.splitlines()[0] == "unknown team 'cs' - did you mean customer-service?"
    usage = run(runner, "ack")
    assert usage.error_code == "usage" and "Usage: ack ID" in usage.text


def test_escalate_without_team_and_without_router_is_unroutable(runner: CommandRunner) -> None:
    result = run(runner, "escalate Something odd happened")
    assert (result.ok, result.error_code) == (False, "unroutable")
    assert "escalate warehouse Something odd happened" in result.text


def test_retried_request_replays_and_creates_nothing(runner: CommandRunner) -> None:
    first = run(runner, "escalate it VPN down", request_id="Ev123")
    again = run(runner, "escalate it VPN down", request_id="Ev123")
    assert first.escalation is not None and again.escalation is not None
    assert again.escalation.ref == first.escalation.ref
    assert again.outcome is not None and again.outcome.replayed
    assert again.text.endswith("This request was already handled; nothing changed.")
    assert len(run(runner, "list all").escalations) == 1


def test_reassign_comment_bump(runner: CommandRunner, service: EscalationService) -> None:
    ref = run(runner, "escalate warehouse Customer asks about a missing parcel").escalation.ref  # type: ignore
    moved = run(runner, f"reassign {ref} customer-service It is a customer question", EUN)
    assert moved.text.splitlines()[0] == f"{ref} moved from Warehouse to Customer Service by Eun-ji Park."
    assert service.get(ref).team == "customer-service"
    assert run(runner, f"comment {ref} Any news?", BO).ok  # anyone may comment
    bumped = run(runner, f"bump {ref}", DAAN)
    assert bumped.text.splitlines()[0] == f"{ref} escalated to level 2 (team lead)."
    top = run(runner, f"bump {ref}", DAAN)
    assert (top.ok, top.text) == (False, f"{ref} is already at the top of its escalation chain.")
    actions = [e.action for e in service.history(ref)]
    assert actions == ["created", "reassigned", "commented", "bumped"]


def test_list_scopes(runner: CommandRunner, clock: Clock) -> None:
    wh = run(runner, "escalate warehouse Forklift broken P1").escalation.ref  # type: ignore[union-attr]
    cs = run(runner, "escalate customer-service Chat queue long", DAAN).escalation.ref  # type: ignore
    assert run(runner, "list").text.splitlines()[0] == "2 escalations (open):"
    team = run(runner, "list team logistics")
    assert [e.ref for e in team.escalations] == [wh]
    assert team.text.startswith("One escalation (team Warehouse):")
    mine = run(runner, "list mine", DAAN)
    assert [e.ref for e in mine.escalations] == [cs]
    assert run(runner, "list overdue").text == "No escalations (overdue)."
    clock.advance(hours=1)  # P1 must be acknowledged within 30 minutes
    overdue = run(runner, "list overdue")
    assert [e.ref for e in overdue.escalations] == [wh]
    line = overdue.text.splitlines()[1].strip()
    assert line.startswith(f"OVERDUE {wh} · P1 · open · Warehouse · 1 hour ago")


def test_help_lists_every_command(runner: CommandRunner) -> None:
    result = run(runner, "help")
    assert (result.ok, result.kind) == (True, "help")
    for verb in VERBS:
        assert re.search(rf"^  {verb}\b", result.text, re.MULTILINE), verb
    one = run(runner, "help reassign").text
    assert one.splitlines()[0].strip() == "reassign ID TEAM [REASON]" and "escalate" not in one


def test_run_takes_a_parsed_command_and_source(runner: CommandRunner) -> None:
    result = runner.run(
        Command(name="escalate", team="it", text="Printer on fire", details="Floor 2"),
        BO,
        language="sv",
        source_channel="C123",
        message_link="https://x.slack.com/p1",
    )
    esc = result.escalation
    assert esc is not None
    assert (esc.details, esc.source_channel, esc.message_link, esc.language, esc.priority) == (
        "Floor 2",
        "C123",
        "https://x.slack.com/p1",
        "sv",
        "P2",
    )
    assert result.text.startswith(f"Sparat som {esc.ref} (P2) för IT.")


def test_json_shape(runner: CommandRunner) -> None:
    created = run(runner, "escalate it Mail down").as_dict()
    assert created["id"].startswith("ESC-") and created["action"] == "created" and created["state"] == "open"
    shown = run(runner, f"show {created['id']}").as_dict()
    assert shown["history"][0]["action"] == "created" and shown["history"][0]["actor"] == "cli:bo"
    assert run(runner, "list").as_dict() == {
        "escalations": [{k: v for k, v in shown.items() if k != "history"}]
    }
    assert run(runner, "ack 99", EUN).as_dict() == {
        "error": "not_found",
        "message": "There is no escalation ESC-99. Check the id, or type list to see open escalations.",
    }


# --- localisation ------------------------------------------------------------------------------

AGES = {
    "en": "3 hours ago",
    "zh-TW": "3 小時前",
    "sv": "för 3 timmar sedan",
    "ko": "3시간 전",
    "nl": "3 uur geleden",
}
FORBIDDEN = {
    "en": "You cannot acknowledge",
    "zh-TW": "您無法確認受理",
    "sv": "Du kan inte kvittera",
    "ko": "접수할 수 없습니다",
    "nl": "niet bevestigen",
}
TEAM = {"en": "Warehouse", "zh-TW": "倉儲團隊", "sv": "Lager", "ko": "물류팀", "nl": "Magazijn"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_renders_lines_errors_and_help(
    language: str, runner: CommandRunner, clock: Clock
) -> None:
    ref = run(runner, "escalate warehouse Parcels stuck", language=language).escalation.ref  # type: ignore
    clock.advance(hours=3)
    listing = run(runner, "list", language=language).text
    assert f"{TEAM[language]} · {AGES[language]}" in listing
    refused = run(runner, f"ack {ref}", BO, language=language)
    assert FORBIDDEN[language] in refused.text and TEAM[language] in refused.text
    parse_error = run(runner, "akc 1", language=language)
    help_text = run(runner, "help", language=language).text
    shown = run(runner, f"show {ref}", language=language).text
    for text in (listing, refused.text, parse_error.text, help_text, shown):
        assert "{" not in text and "cmd-" not in text and "esc-" not in text, text
    if language != "en":
        english = run(runner, "help").text
        assert help_text != english and parse_error.text != run(runner, "akc 1").text


def _ids(language: str, concern: str) -> set[str]:
    lines = (LOCALES / language / f"{concern}.ftl").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0].strip() for line in lines if line and line[0].isalpha() and "=" in line}


@pytest.mark.parametrize("concern", ["commands", "escalations"])
def test_catalogs_define_the_same_messages(concern: str) -> None:
    english = _ids("en", concern)
    assert len(english) > 30
    for language in LANGUAGES:
        assert _ids(language, concern) == english, language
        assert english <= message_ids(language)


def test_every_service_error_key_has_text() -> None:
    keys = {
        "error-not-found",
        "error-wrong-state",
        "error-forbidden",
        "error-unknown-team",
        "error-invalid",
        "error-unroutable",
        "error-too-long",
    }
    assert keys <= _ids("en", "escalations")


def test_too_long_comment_from_the_service_is_localised(runner: CommandRunner) -> None:
    ref = run(runner, "escalate it Disk full").escalation.ref  # type: ignore[union-attr]
    result = runner.run(Command(name="comment", ref=ref, text="x" * 5000), BO, language="nl")
    assert (result.ok, result.error_code) == (False, "too_long")
    assert result.text == "De opmerking is te lang (5.000 tekens); de limiet is 4.000."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.text(max_size=80),
        st.tuples(st.sampled_from(VERBS), st.text(max_size=40)).map(" ".join),
    ),
    language=st.sampled_from(LANGUAGES),
)
def test_run_text_always_answers(text: str, language: str, runner: CommandRunner) -> None:
    result = run(runner, text, ADA, language=language)
    assert result.text.strip()
    assert result.ok == (result.error_code is None)
