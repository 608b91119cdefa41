"""The exceptions a storage backend raises when the database fails (callers catch these, not a driver's)."""

from __future__ import annotations

import sqlite3


class StorageError(Exception):
    """A database failure of a backend whose driver is not imported up front (PostgreSQL: psycopg
    takes ~0.1-0.7 s to import, which `rolebot ask` must not pay); the driver's error is its cause."""


# A backend adds its driver's base error here, or raises StorageError.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, StorageError)
# Opening a database can also fail in the file system (a missing folder, no permission).
OPEN_ERRORS: tuple[type[Exception], ...] = (*DATABASE_ERRORS, OSError)
