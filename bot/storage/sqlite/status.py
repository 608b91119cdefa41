"""Migration status of a SQLite file for `rolebot db check | migrate`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.storage.schema_status import SchemaStatus
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.migrations import migrations


def status(path: Path, *, migrate: bool) -> SchemaStatus:
    found = SchemaStatus(str(path), "sqlite")
    if not migrate and not path.exists():
        found.problem = "no such file"
        return found
    try:
        db = open_database(path, migrate=migrate)
        found.applied = [m.name for m in migrations.applied(db)]
        found.pending = [m.name for m in migrations.pending(db)]
        db.close()
    except (sqlite3.Error, OSError) as exc:
        found.problem = str(exc)
    return found
