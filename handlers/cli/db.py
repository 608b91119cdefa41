"""`rolebot db migrate | check | copy`: the database's schema, and moving from SQLite to PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from bot.config import ConfigError, redact_url
from bot.storage.backends import copy_database, is_postgres, schema_status
from bot.storage.schema_status import SchemaStatus
from handlers.cli.context import load_config, print_json


def _target(url: str | None) -> Path | str:
    if url:
        return sqlite_path(url) if not is_postgres(url) else url
    try:
        return load_config().database
    except ConfigError as exc:
        _fail(str(exc), 2)


def sqlite_path(url: str) -> Path:
    """sqlite:///relative.db, sqlite:////absolute.db, or a plain path."""
    return Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else Path(url)


def _report(status: SchemaStatus, as_json: bool) -> None:
    if as_json:
        print_json(vars(status))
    elif status.problem:
        click.echo(f"{status.target} ({status.backend}): {status.problem}", err=True)
    else:
        pending = f", pending: {', '.join(status.pending)}" if status.pending else ", none pending"
        click.echo(f"{status.target} ({status.backend}): {len(status.applied)} migrations applied{pending}")
    if status.problem or status.pending:
        sys.exit(1)


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


URL_HELP = "postgresql://… or sqlite:///file.db (default: ROLEBOT_DATABASE_URL, else ROLEBOT_DB)."


@click.group("db")
def db() -> None:
    """The database: apply migrations, check the schema, move from SQLite to PostgreSQL."""


@db.command("migrate")
@click.option("--url", help=URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def migrate(url: str | None, as_json: bool) -> None:
    """Apply pending migrations (safe while other replicas start: they wait for each other)."""
    _report(schema_status(_target(url), migrate=True), as_json)


@db.command("check")
@click.option("--url", help=URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def check(url: str | None, as_json: bool) -> None:
    """Exit 0 when the database is reachable and fully migrated; 1 (naming what is wrong) otherwise."""
    _report(schema_status(_target(url), migrate=False), as_json)


@db.command("copy")
@click.option("--from", "source", required=True, help="The SQLite file: sqlite:///rolebot.db")
@click.option("--to", "target", required=True, help="An empty PostgreSQL database: postgresql://…")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def copy(source: str, target: str, as_json: bool) -> None:
    """Copy every table in one transaction; row counts and the audit log are compared before it
    commits. Stop the bot first: writes made during the copy would not be carried over."""
    if not is_postgres(target):
        _fail("--to must be a postgresql:// URL", 2)
    try:
        rows, digest = copy_database(sqlite_path(source), target)
    except Exception as exc:  # CopyError or the driver's: either way nothing was committed
        _fail(f"copy failed, nothing committed: {exc}")
    if as_json:
        print_json({"rows": rows, "audit_digest": digest})
        return
    for table, count in rows.items():
        click.echo(f"{table}: {count}")
    where = redact_url(target)
    click.echo(
        f"copied {sum(rows.values())} rows to {where}; counts and audit log verified (sha256 {digest[:16]}…)"
    )


def register(cli: click.Group) -> None:
    cli.add_command(db)
