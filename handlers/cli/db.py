"""`rolebot db migrate | check | copy`: the database's schema, and moving from SQLite to PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
import sys
from dataclasses import dataclass, field
from typing import NoReturn

import click

from bot.config import ConfigError
from handlers.cli.context import load_config, print_json


@dataclass
class Status:
    """What `db check` and `db migrate` report about one database."""

    target: str
    backend: str
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    problem: str | None = None


def redact(url: str) -> str:
    """The URL without its password, for output and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _target(url: str | None) -> str:
    if url:
        return url
    try:
        config = load_config()
    except ConfigError as exc:
        _fail(str(exc), 2)
    return config.database_url or f"sqlite:///{config.db_path}"


def _status(target: str, migrate: bool) -> Status:
    from bot.storage.postgres.pool import is_postgres_url

    if is_postgres_url(target):
        return _postgres_status(target, migrate)
    return _sqlite_status(target, migrate)


def _postgres_status(url: str, migrate: bool) -> Status:
    import psycopg

    from bot.storage.postgres import migrate as pg
    from bot.storage.postgres.pool import connect

    status = Status(redact(url), "postgresql")
    try:
        with connect(url) as conn:
            if migrate:
                pg.apply_migrations(conn)
            pg.check_schema(conn)
            status.applied, status.pending = pg.applied(conn), pg.pending(conn)
    except psycopg.Error as exc:
        status.problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return status


def _sqlite_status(url: str, migrate: bool) -> Status:
    from bot.storage.database import open_database
    from bot.storage.migrations import migrations
    from bot.storage.postgres.copy import sqlite_path

    path = sqlite_path(url)
    status = Status(str(path), "sqlite")
    if not migrate and not path.exists():
        status.problem = "no such file"
        return status
    try:
        db = open_database(path, migrate=migrate)
        status.applied = [m.name for m in migrations.applied(db)]
        status.pending = [m.name for m in migrations.pending(db)]
        db.close()
    except (sqlite3.Error, OSError) as exc:
        status.problem = str(exc)
    return status


def _report(status: Status, as_json: bool) -> None:
    if as_json:
        print_json(status.__dict__)
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
    _report(_status(_target(url), migrate=True), as_json)


@db.command("check")
@click.option("--url", help=URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def check(url: str | None, as_json: bool) -> None:
    """Exit 0 when the database is reachable and fully migrated; 1 (naming what is wrong) otherwise."""
    _report(_status(_target(url), migrate=False), as_json)


@db.command("copy")
@click.option("--from", "source", required=True, help="The SQLite file: sqlite:///rolebot.db")
@click.option("--to", "target", required=True, help="An empty PostgreSQL database: postgresql://…")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def copy(source: str, target: str, as_json: bool) -> None:
    """Copy every table in one transaction; row counts and the audit log are compared before it
    commits. Stop the bot first: writes made during the copy would not be carried over."""
    import psycopg

    from bot.storage.postgres.copy import CopyError, copy_sqlite_to_postgres, sqlite_path
    from bot.storage.postgres.pool import is_postgres_url

    if not is_postgres_url(target):
        _fail("--to must be a postgresql:// URL", 2)
    try:
        report = copy_sqlite_to_postgres(sqlite_path(source), target)
    except (CopyError, psycopg.Error, sqlite3.Error) as exc:
        _fail(f"copy failed, nothing committed: {exc}")
    if as_json:
        print_json({"rows": report.rows, "audit_digest": report.audit_digest})
        return
    for table, rows in report.rows.items():
        click.echo(f"{table}: {rows}")
    total = sum(report.rows.values())
    digest = report.audit_digest[:16]
    click.echo(f"copied {total} rows to {redact(target)}; counts and audit log verified (sha256 {digest}…)")


def register(cli: click.Group) -> None:
    cli.add_command(db)
