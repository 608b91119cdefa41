"""`rolebot db migrate | check | copy` through the CLI, on real SQLite files and a real PostgreSQL."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import EscClock

from bot.directory import Directory
from bot.escalations.models import Actor, ListFilter
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase
from bot.storage.postgres.copy import audit_digest
from bot.storage.postgres.escalations import PostgresEscalationStore
from bot.storage.postgres.migrate import migration_names
from bot.storage.postgres.pool import connect, open_pool
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore
from bot.storage.sqlite.feedback import SqliteFeedbackStore
from handlers.cli.main import cli

_NAMES = itertools.count()
ZED = Actor("slack", "U0ZED", "Zed")
HUGO = Actor("slack", "U0HUGO", "Hugo")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    base = {"ROLEBOT_DATABASE_URL": "", "ROLEBOT_DB": ""}
    return CliRunner().invoke(cli, list(args), env={**base, **(env or {})})


@pytest.fixture()
def empty_pg(postgres_server: Any) -> str:
    """A database with nothing in it, not even the schema."""
    name = f"empty_{os.getpid()}_{next(_NAMES)}"
    with connect(postgres_server.url) as conn:
        conn.autocommit = True
        conn.execute(f"CREATE DATABASE {name}")
    return str(postgres_server.url_for(name))


def test_migrate_and_check_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "rolebot.db"
    missing = run("db", "check", env={"ROLEBOT_DB": str(path)})
    assert missing.exit_code == 1 and "no such file" in missing.output
    done = run("db", "migrate", env={"ROLEBOT_DB": str(path)})
    assert done.exit_code == 0, done.output
    assert f"{len(migration_names())} migrations applied, none pending" in done.output
    checked = run("db", "check", "--json", env={"ROLEBOT_DB": str(path)})
    assert checked.exit_code == 0 and json.loads(checked.output)["backend"] == "sqlite"


def test_check_names_pending_migrations_until_migrate_applies_them(empty_pg: str) -> None:
    before = run("db", "check", "--json", env={"ROLEBOT_DATABASE_URL": empty_pg})
    assert before.exit_code == 1
    assert json.loads(before.output)["pending"] == migration_names()
    assert run("db", "migrate", "--url", empty_pg).exit_code == 0
    after = run("db", "check", env={"ROLEBOT_DATABASE_URL": empty_pg})
    assert after.exit_code == 0 and "(postgresql)" in after.output and "none pending" in after.output


def test_check_reports_an_unreachable_server_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://rolebot:s3cret@/rolebot?host={tmp_path}&port=1"
    result = run("db", "check", "--url", url)
    assert result.exit_code == 1
    assert "s3cret" not in result.output and "rolebot:***@" in result.output


def test_a_database_url_that_is_not_postgresql_is_refused() -> None:
    result = run("db", "check", env={"ROLEBOT_DATABASE_URL": "mysql://x/y"})
    assert result.exit_code == 2 and "ROLEBOT_DATABASE_URL" in result.output


def _installation(path: Path, world: tuple[KnowledgeBase, Directory], clock: EscClock) -> list[str]:
    """A SQLite installation with history: escalations in every state, audit, outbox, feedback."""
    kb, directory = world
    db = open_database(path)
    service = EscalationService(SqliteEscalationStore(db), kb, directory, clock=clock)
    refs = [
        service.create(ZED, f"Parcel {n} lost 🙈 'quoted'", team="customer-service").escalation.ref
        for n in range(6)
    ]
    service.acknowledge(refs[0], HUGO, request_id="Ev1")
    service.resolve(refs[1], HUGO, "found it")
    service.comment(refs[2], ZED, "any news? 100% urgent")
    service.cancel(refs[3], ZED)
    clock.advance(days=2)
    service.sweep()
    SqliteFeedbackStore(db).record_unrouted("where is the printer", "en", "slack", "U0ZED", None)
    db.close()
    return refs


def test_copy_moves_an_installation_and_verifies_it(
    tmp_path: Path, empty_pg: str, esc_world: tuple[KnowledgeBase, Directory], esc_clock: EscClock
) -> None:
    source = tmp_path / "rolebot.db"
    refs = _installation(source, esc_world, esc_clock)
    result = run("db", "copy", "--from", f"sqlite:///{source}", "--to", empty_pg, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert rows["escalations"] == 6 and rows["audit_log"] > 6 and rows["outbox"] > 0
    assert rows["unrouted_questions"] == 1
    kb, directory = esc_world
    before = SqliteEscalationStore(open_database(source))
    pool = open_pool(empty_pg)
    try:
        after = EscalationService(PostgresEscalationStore(pool), kb, directory, clock=esc_clock)
        for ref in refs:
            number = int(ref.split("-")[1])
            assert after.get(ref) == before.get(number)
            assert after.history(ref) == before.history(number)
        assert after.acknowledge(refs[0], HUGO, request_id="Ev1").replayed  # processed requests came too
        assert after.create(ZED, "New one", team="it").escalation.id == 7  # numbering continues
        assert len(after.list(ListFilter(scope="all"))) == 7
    finally:
        pool.close()
    again = run("db", "copy", "--from", str(source), "--to", empty_pg)
    assert again.exit_code == 1 and "not empty" in again.output


def test_copy_refuses_a_file_that_is_not_migrated(tmp_path: Path, empty_pg: str) -> None:
    result = run("db", "copy", "--from", f"sqlite:///{tmp_path / 'none.db'}", "--to", empty_pg)
    assert result.exit_code == 1 and "no such SQLite file" in result.output
    assert run("db", "copy", "--from", "x.db", "--to", "sqlite:///y.db").exit_code == 2


def test_the_audit_digest_sees_any_changed_record() -> None:
    row = (1, 1, "2024-06-03T10:00:00.000000Z", "slack:U0ZED", "created", None, "open", "")
    same = (1, 1, "2024-06-03T10:00:00+00:00", "slack:U0ZED", "created", None, "open", "")
    assert audit_digest([row]) == audit_digest([same])
    for changed in ((*row[:5], "", *row[6:]), (*row[:7], "x"), (2, *row[1:])):
        assert audit_digest([row]) != audit_digest([changed])


def test_the_cli_keeps_escalations_in_postgresql_when_the_url_is_set(tmp_path: Path, pg_url: str) -> None:
    from conftest import write_escalation_world

    knowledge, directory = write_escalation_world(tmp_path)
    env = {
        "ROLEBOT_DATABASE_URL": pg_url,
        "ROLEBOT_DB": str(tmp_path / "not-used.db"),
        "ROLEBOT_KNOWLEDGE": str(knowledge),
        "ROLEBOT_DIRECTORY": str(directory),
        "ROLEBOT_USER": "zed",
    }
    made = run("escalate", "it", "Checkout", "is", "down", "--priority", "P1", "--json", env=env)
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["id"] == "ESC-1"
    listed = run("escalations", "list", "--json", env=env)
    assert listed.exit_code == 0 and "Checkout is down" in listed.stdout
    with connect(pg_url) as conn:
        assert conn.execute("SELECT summary FROM escalations").fetchall() == [("Checkout is down",)]
    assert not (tmp_path / "not-used.db").exists()
