"""The one notification policy: who is told what for every outcome, the same on Slack and on Teams."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from clocks import ManualClock
from conftest import ESC_DIRECTORY_YAML, write_escalation_world

from bot.directory import Directory, load_directory
from bot.escalations.models import Actor, Outcome
from bot.escalations.notices import PLATFORMS, Notice, notices_for
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore
from bot.storage.sqlite.outbox import STATES, SqliteOutbox


def make_world(base: Path, clock: ManualClock) -> tuple[EscalationService, Directory, KnowledgeBase]:
    """The test organisation with every person and team reachable on both platforms."""
    knowledge, directory_path = write_escalation_world(base)
    raw = yaml.safe_load(ESC_DIRECTORY_YAML)
    for person_id, person in raw["people"].items():
        person["teams"] = f"29:{person_id}"
    for team_id, team in raw["teams"].items():
        team["teams_channel"] = f"19:{team_id}@thread.tacv2"
    directory_path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    kb, directory = load_knowledge(knowledge), load_directory(directory_path)
    db = open_database(base / "rolebot.db")
    return EscalationService(SqliteEscalationStore(db), kb, directory, clock=clock), directory, kb


@pytest.fixture()
def world(tmp_path: Path, esc_clock: ManualClock) -> tuple[EscalationService, Directory, KnowledgeBase]:
    return make_world(tmp_path, esc_clock)


def who(notice: Notice, directory: Directory) -> str:
    """The person or team a notice reaches, whatever the platform's ids."""
    if notice.kind in ("requester", "person", "lead", "not_reached"):
        person = directory.person_for(notice.platform, notice.to)
        return f"person:{person.id if person else notice.to}"
    for team_id, contact in directory.teams.items():
        if notice.to in (contact.slack_channel, contact.teams_channel):
            return f"team:{team_id}"
    return f"channel:{notice.to}"


def recipients(outcome: Outcome, directory: Directory, kb: KnowledgeBase) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {platform: [] for platform in PLATFORMS}
    for notice in notices_for(outcome, directory, kb):
        found[notice.platform].append((notice.kind, who(notice, directory)))
    return found


def actor(directory: Directory, person_id: str, platform: str = "slack") -> Actor:
    person = directory.people[person_id]
    user = person.slack if platform == "slack" else person.ms_teams
    return Actor(platform, user or "", person.name, person_id)


def scenario(service: EscalationService, directory: Directory, clock: ManualClock, on: str) -> list[Outcome]:
    """Every kind of outcome, by people acting from the chat `on`."""
    bo, daan, eun, hugo = (actor(directory, p, on) for p in ("bo", "daan", "eun", "hugo"))
    outcomes = [service.create(bo, "parcel lost", team="customer-service", priority="P1")]
    outcomes.append(service.comment("ESC-1", hugo, "looking"))
    outcomes.append(service.comment("ESC-1", bo, "thanks"))  # the requester's own comment
    clock.advance(hours=2)
    outcomes += service.sweep()
    outcomes.append(service.bump("ESC-1", daan))
    outcomes.append(service.acknowledge("ESC-1", daan))
    outcomes.append(service.reassign("ESC-1", daan, "warehouse"))
    outcomes.append(service.resolve("ESC-1", eun))
    outcomes.append(service.reopen("ESC-1", bo))
    outcomes.append(service.cancel("ESC-1", bo))
    return outcomes


def test_the_same_outcome_tells_the_same_people_on_slack_and_on_teams(tmp_path: Path) -> None:
    runs = {}
    for platform in PLATFORMS:
        clock = ManualClock(datetime(2024, 6, 3, 10, 0, tzinfo=UTC))
        service, directory, kb = make_world(tmp_path / platform, clock)
        outcomes = scenario(service, directory, clock, platform)
        runs[platform] = [(o.action, recipients(o, directory, kb)) for o in outcomes]
    assert [a for a, _ in runs["slack"]] == [
        "created",
        "commented",
        "commented",
        "bumped",
        "bumped",
        "acknowledged",
        "reassigned",
        "resolved",
        "reopened",
        "cancelled",
    ]
    for (action, on_slack), (_, on_teams) in zip(runs["slack"], runs["teams"], strict=True):
        # what happened on Slack is told on Slack exactly as the same thing on Teams is told on Teams
        assert on_slack["slack"] == on_teams["teams"], action
    slack = [told["slack"] for _, told in runs["slack"]]
    # created: the card, and the requester is told it was saved
    assert slack[0] == [("card", "team:customer-service"), ("requester", "person:bo")]
    # someone else's comment reaches the requester; their own does not
    assert ("requester", "person:bo") in slack[1] and ("requester", "person:bo") not in slack[2]
    # a sweep bump: the card changes, the requester and the level-1 lead (Daan) are told
    assert slack[3] == [
        ("card", "team:customer-service"),
        ("requester", "person:bo"),
        ("person", "person:daan"),
    ]
    # reassigned: a card for the new team is the notice; no level people on top of it
    assert slack[6] == [("card", "team:warehouse"), ("requester", "person:bo")]
    # the requester cancelling tells nobody but the card
    assert slack[9] == [("card", "team:warehouse")]
    # the other chat shows the same cards and tells the level's people there too, never the requester
    teams_side = [told["teams"] for _, told in runs["slack"]]
    assert all(kind != "requester" for told in teams_side for kind, _ in told)
    assert teams_side[3] == [("card", "team:customer-service"), ("person", "person:daan")]


def test_notices_are_committed_with_the_change_and_replays_add_none(
    world: tuple[EscalationService, Directory, KnowledgeBase],
) -> None:
    service, directory, _kb = world
    bo = actor(directory, "bo")
    service.create(bo, "parcel lost", team="customer-service", request_id="r1")
    service.create(bo, "parcel lost", team="customer-service", request_id="r1")  # a retry
    outbox = SqliteOutbox(service.store.db)  # type: ignore[attr-defined]
    rows = outbox.listing(STATES)
    assert [(r.platform, r.kind) for r in rows] == [
        ("slack", "card"),
        ("teams", "card"),
        ("slack", "requester"),
    ]
    assert all(r.state == "pending" and r.escalation_id == 1 for r in rows)


def test_a_refused_action_writes_no_notice(world: tuple[EscalationService, Directory, KnowledgeBase]) -> None:
    service, directory, _kb = world
    service.create(actor(directory, "bo"), "parcel lost", team="customer-service")
    outbox = SqliteOutbox(service.store.db)  # type: ignore[attr-defined]
    before = len(outbox.listing(STATES))
    with pytest.raises(Exception, match="may not"):
        service.acknowledge("ESC-1", actor(directory, "zed"))
    assert len(outbox.listing(STATES)) == before
