"""/healthz tells the truth about the database: gone, replaced, or refusing writes is 503."""

from __future__ import annotations

import json
import shutil
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from slack_harness import SlackHarness

from bot.config import Config
from bot.runtime import build_core
from bot.storage.sqlite.database import SchemaTooNew, open_database
from bot.storage.sqlite.migrations import migrations
from handlers.cli.main import cli as cli_group


def healthz(slack: SlackHarness) -> tuple[int, dict[str, object]]:
    url = slack.server.url.removesuffix("/slack/events") + "/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_healthz_fails_when_the_database_file_is_deleted(slack: SlackHarness) -> None:
    assert healthz(slack)[0] == 200
    for suffix in ("", "-wal", "-shm"):
        Path(f"{slack.config.db_path}{suffix}").unlink(missing_ok=True)
    status, body = healthz(slack)
    assert status == 503 and body["checks"]["database"] == "error: file gone"  # type: ignore[index]


def test_healthz_fails_when_the_database_file_is_replaced(slack: SlackHarness, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(slack.config.db_path, copy)
    copy.replace(slack.config.db_path)  # a restore from backup under a running server
    status, body = healthz(slack)
    assert status == 503 and body["checks"]["database"] == "error: file replaced"  # type: ignore[index]


def test_healthz_writes_a_probe(slack: SlackHarness) -> None:
    assert healthz(slack)[0] == 200
    probe = slack.runtime.core.stores.health.db.execute("SELECT COUNT(*) FROM health_probe").fetchone()[0]
    assert probe == 1  # reading alone would pass on a read-only file or a full disk


def test_a_database_from_a_newer_rolebot_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "rolebot.db"
    db = open_database(path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('rolebot', 'm099_future', 'x')"
    )
    db.conn.commit()
    db.close()
    with pytest.raises(SchemaTooNew) as refused:
        build_core(Config(db_path=path))
    message = str(refused.value)
    newest = migrations._migrations[-1].name
    assert "\n" not in message and "m099_future" in message and f"knows up to {newest}" in message
    cli = CliRunner().invoke(cli_group, ["escalations", "list"], env={"ROLEBOT_DB": str(path)})
    assert cli.exit_code != 0 and cli.output.count("\n") == 1 and "m099_future" in cli.output
    before = sqlite3.connect(path).execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()[0]
    with pytest.raises(SchemaTooNew):
        open_database(path, migrate=False)
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()[0] == before
