"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from clocks import ManualClock

from bot.directory import Directory, load_directory
from bot.escalations.models import Outcome
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.storage.escalations import EscalationStore
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore

pytest_plugins = ["postgres_server"]  # the throwaway PostgreSQL cluster and its fixtures

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


# ---- escalation workflow fixtures: a small organisation written as YAML files, loaded for real ----

ESC_TEAMS_YAML = {
    "customer-service": """
id: customer-service
names: {en: Customer Service, sv: Kundtjänst, nl: Klantenservice, ko: 고객 서비스, zh-TW: 客服}
aliases: {en: [CS, support, customer care]}
summary: {en: Answers customers.}
responsibilities:
  - {id: returns, text: {en: Returns and refunds}, terms: {en: [return, refund]}}
roles:
  - id: cs-agent
    names: {en: Customer service agent}
    summary: {en: Talks to customers.}
    responsibilities: [{id: tickets, text: {en: Customer tickets}, terms: {en: [ticket]}}]
""",
    "warehouse": """
id: warehouse
names: {en: Warehouse, sv: Lager, ko: 물류 창고, zh-TW: 倉庫}
aliases: {en: [logistics]}
summary: {en: Stores and ships goods.}
responsibilities: [{id: shipping, text: {en: Shipping parcels}, terms: {en: [shipping, parcel]}}]
roles:
  - id: logistics-manager
    names: {en: Logistics manager}
    summary: {en: Runs logistics.}
    responsibilities: [{id: carriers, text: {en: Carrier contracts}, terms: {en: [carrier]}}]
""",
    "it": """
id: it
names: {en: IT, sv: IT-avdelningen}
aliases: {en: [tech, developers]}
summary: {en: Builds and runs the web shop.}
responsibilities: [{id: outage, text: {en: Site outages}, terms: {en: [outage, down, error]}}]
""",
    "ecommerce": """
id: ecommerce
names: {en: E-commerce}
summary: {en: Owns the web shop.}
responsibilities: [{id: checkout, text: {en: Checkout flow}, terms: {en: [checkout]}}]
""",
    "marketing": """
id: marketing
names: {en: Marketing, sv: Marknadsföring}
summary: {en: Campaigns.}
responsibilities: [{id: campaigns, text: {en: Campaigns}, terms: {en: [campaign, newsletter]}}]
""",
}

ESC_DIRECTORY_YAML = """
admins: [ada]
fallback: {name: Digital office}
defaults:
  timezone: UTC
  working_hours: "09:00-17:00"
  working_days: [mon, tue, wed, thu, fri]
  escalation:
    chain:
      - {name: team channel, notify: channel}
      - {name: team lead, notify: "role:lead"}
      - {name: Head of Digital, notify: "role:head-of-digital"}
    ack: {P1: 30m, P2: 4h, P3: 16h}
    resolve: {P1: 4h, P2: 16h, P3: 40h}
    around_the_clock: [P1]
    repeat: 0
people:
  ada: {name: Ada Lind, slack: U0ADA, teams: "29:ada"}
  bo: {name: Bo Chen, slack: U0BO}
  cecilia: {name: Cecilia Berg, slack: U0CECIL}
  daan: {name: Daan de Vries, slack: U0DAAN, teams: "29:daan"}
  hugo: {name: Hugo Sand, slack: U0HUGO}
  eun: {name: Eun-ji Park, slack: U0EUN}
  ines: {name: Ines Vos, slack: U0INES}
  felix: {name: Felix Ek, slack: U0FELIX}
  greta: {name: Greta Holm, slack: U0GRETA}
  zed: {name: Zed Outsider, slack: U0ZED}
teams:
  ecommerce: {slack_channel: "#ecommerce", owners: [ada], members: [ada, bo],
              leads: {lead: ada, head-of-digital: ada}}
  marketing: {slack_channel: "#marketing", owners: [cecilia], members: [cecilia], leads: {lead: cecilia}}
  it:
    slack_channel: "#it-dev"
    owners: [felix]
    members: [felix, greta]
    leads: {lead: felix}
    escalation: {ack: {P1: 15m}, repeat: 1}
  customer-service:
    slack_channel: "#customer-service"
    teams_channel: "19:cs@thread.tacv2"
    owners: [daan]
    members: [daan, hugo]
    leads: {lead: daan}
    timezone: Europe/Amsterdam
    working_hours: "08:00-18:00"
  warehouse:
    slack_channel: "#warehouse"
    owners: [eun]
    members: [eun, ines]
    leads: {lead: eun, logistics-manager: eun}
    timezone: Asia/Seoul
    working_days: [mon, tue, wed, thu, fri, sat]
"""


EscClock = ManualClock  # the workflow tests' name for it


class RecordingNotifier:
    """The Notifier port's recording fake: keeps every outcome it was told about."""

    def __init__(self, fail: bool = False) -> None:
        self.outcomes: list[Outcome] = []
        self.fail = fail

    def notify(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if self.fail:
            raise ConnectionError("chat API is down")


def write_escalation_world(base: Path) -> tuple[Path, Path]:
    """Write the test organisation (team files + directory) under `base`; returns (knowledge, directory)."""
    teams = base / "knowledge" / "teams"
    teams.mkdir(parents=True, exist_ok=True)
    for team_id, text in ESC_TEAMS_YAML.items():
        (teams / f"{team_id}.yaml").write_text(text, encoding="utf-8")
    directory = base / "directory.yaml"
    directory.write_text(ESC_DIRECTORY_YAML, encoding="utf-8")
    return base / "knowledge", directory


@pytest.fixture()
def esc_world(tmp_path: Path) -> tuple[KnowledgeBase, Directory]:
    knowledge, directory = write_escalation_world(tmp_path)
    return load_knowledge(knowledge), load_directory(directory)


@pytest.fixture()
def esc_clock() -> EscClock:
    return EscClock(datetime(2024, 6, 3, 10, 0, tzinfo=UTC))  # a Monday, inside working hours


@pytest.fixture()
def esc_notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture()
def esc_db_path(tmp_path: Path) -> Path:
    return tmp_path / "rolebot.db"


@pytest.fixture(params=["sqlite", "postgres"])
def esc_store(request: pytest.FixtureRequest, esc_db_path: Path) -> Iterator[EscalationStore]:
    """The escalation store on each backend: the workflow tests run against both."""
    if request.param == "postgres":
        from bot.storage.postgres.escalations import PostgresEscalationStore

        yield PostgresEscalationStore(request.getfixturevalue("pg_pool"))
        return
    db = open_database(esc_db_path)
    yield SqliteEscalationStore(db)
    db.close()


@pytest.fixture()
def esc_service(
    esc_world: tuple[KnowledgeBase, Directory],
    esc_clock: EscClock,
    esc_notifier: RecordingNotifier,
    esc_store: EscalationStore,
) -> EscalationService:
    kb, directory = esc_world
    return EscalationService(esc_store, kb, directory, notifier=esc_notifier, clock=esc_clock)


@pytest.fixture(scope="session")
def bundled_kb():  # type: ignore[no-untyped-def]
    from bot.knowledge import load_knowledge

    return load_knowledge()


@pytest.fixture(scope="session")
def router(bundled_kb):  # type: ignore[no-untyped-def]
    """One router over the bundled knowledge, shared read-only by tests that do not teach it."""
    from bot.router import Router

    return Router(bundled_kb)


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    """The fake Slack Web API (tests/slack_fake_api.py), running for the test, recording every call."""
    from slack_fake_api import FakeSlackApi

    api = FakeSlackApi().start()
    yield api
    api.stop()


@pytest.fixture
def slack(tmp_path: Path, fake):  # type: ignore[no-untyped-def]
    """The Slack app's real HTTP server on loopback, its Web API pointed at a recording fake."""
    from slack_harness import SlackHarness

    harness = SlackHarness(tmp_path / "rolebot.db", fake)
    yield harness
    harness.close()
