"""The exceptions a storage backend raises when the database fails (callers catch these, not a driver's)."""

from __future__ import annotations

import sqlite3

# A backend adds its driver's base error here (e.g. psycopg.Error for PostgreSQL).
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)
# Opening a database can also fail in the file system (a missing folder, no permission).
OPEN_ERRORS: tuple[type[Exception], ...] = (*DATABASE_ERRORS, OSError)
