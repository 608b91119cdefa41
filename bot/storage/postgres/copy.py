"""Moving an installation from its SQLite file to PostgreSQL: one transaction, verified before commit."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from bot.storage.clock import from_iso, to_iso
from bot.storage.postgres.migrate import apply_migrations, migration_names
from bot.storage.postgres.schema import STATEMENTS


class CopyError(Exception):
    """The copy was refused or did not verify; nothing was committed to the target."""


@dataclass(frozen=True)
class CopyReport:
    rows: dict[str, int]  # table -> rows copied (equal on both sides: verified)
    audit_digest: str  # SHA-256 over every audit record in order, equal on both sides


def tables_in_order() -> list[str]:
    """Every table, in creation order: a table's foreign keys only name tables made before it."""
    names = []
    for name in migration_names():
        for statement in STATEMENTS[name]:
            found = re.match(r"\s*CREATE TABLE (\w+)", statement)
            if found:
                names.append(found.group(1))
    return names


def sqlite_path(url: str) -> Path:
    """sqlite:///relative.db, sqlite:////absolute.db, or a plain path."""
    return Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else Path(url)


def audit_digest(rows: Iterable[Sequence[Any]]) -> str:
    """The same digest for the same audit records whichever backend they were read from."""
    digest = hashlib.sha256()
    for row in rows:
        at = row[2] if isinstance(row[2], datetime) else from_iso(str(row[2]))
        assert at is not None
        fields = [str(row[0]), str(row[1]), to_iso(at), *(str(v) if v is not None else "\0" for v in row[3:])]
        digest.update("\x1f".join(fields).encode() + b"\x1e")
    return digest.hexdigest()


_AUDIT = (
    "SELECT id, escalation_id, at, actor, action, from_state, to_state, comment FROM audit_log ORDER BY id"
)


def _open_source(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise CopyError(f"{path}: no such SQLite file")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    applied = {r[0] for r in source.execute("SELECT name FROM _sqlite_migrations")}
    missing = [name for name in migration_names() if name not in applied]
    if missing:
        source.close()
        raise CopyError(
            f"{path} lacks migration {', '.join(missing)}: run `rolebot db migrate` on it first (ROLEBOT_DB)"
        )
    source.execute("BEGIN")  # one snapshot: counts and rows read from the same state
    return source


def _copy_table(source: sqlite3.Connection, target: psycopg.Connection, table: str) -> int:
    columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
    names = ", ".join(f'"{c}"' for c in columns)
    copied = 0
    with target.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in source.execute(f"SELECT {names} FROM {table}"):
            copy.write_row(row)  # ISO-8601 text is read as timestamptz by PostgreSQL itself
            copied += 1
    return copied


def _restart_identities(target: psycopg.Connection) -> None:
    """New rows (ESC numbers) continue after the copied ones."""
    rows = target.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND column_name = 'id' AND is_identity = 'YES'"
    ).fetchall()
    for (table,) in rows:
        target.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def copy_sqlite_to_postgres(source_path: Path, url: str) -> CopyReport:
    """Copy every table into an empty PostgreSQL database (migrated first), then check row counts and
    the audit log's digest on both sides before committing. The bot must not write to either meanwhile."""
    source = _open_source(source_path)
    tables = tables_in_order()
    try:
        with psycopg.connect(url, options="-c TimeZone=UTC") as target:
            apply_migrations(target)
            with target.transaction():
                filled = [t for t in tables if target.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
                if filled:
                    raise CopyError(f"the target database is not empty ({', '.join(filled)}): nothing copied")
                copied = {table: _copy_table(source, target, table) for table in tables}
                _restart_identities(target)
                return _verify(source, target, tables, copied)
    finally:
        source.close()


def _verify(
    source: sqlite3.Connection, target: psycopg.Connection, tables: Sequence[str], copied: dict[str, int]
) -> CopyReport:
    for table in tables:
        there = target.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        here = source.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        if not there or there[0] != here[0] or copied[table] != here[0]:
            raise CopyError(f"{table}: {here[0]} rows in SQLite, {there and there[0]} in PostgreSQL")
    before = audit_digest(source.execute(_AUDIT))
    after = audit_digest(target.execute(_AUDIT).fetchall())
    if before != after:
        raise CopyError("the audit log differs after the copy: nothing committed")
    return CopyReport(copied, after)
