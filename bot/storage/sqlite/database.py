"""Opening the rolebot SQLite file: WAL, foreign keys, busy timeout, durable commits, migrations."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from bot.storage.clock import to_iso, utc_now
from bot.storage.sqlite.migrations import migrations

BUSY_TIMEOUT_MS = 10_000
URGENT_RETRY_SECONDS = 0.0005  # an urgent writer's wait between tries for another process's write lock
_LOCKS: weakref.WeakKeyDictionary[Database, threading.RLock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()
_IDENTITY: weakref.WeakKeyDictionary[Database, tuple[str, int, int]] = weakref.WeakKeyDictionary()


class WriteGate:
    """One writer at a time per file in this process, queued here rather than in SQLite, whose busy
    handler makes a waiting connection sleep 1, 2, 5, 10 ... 100 ms between tries: under a burst that
    costs far more than the writes. Urgent writers (a request's commit before its ack) go before the
    others (the work behind earlier acks, outbox bookkeeping). Re-entrant per thread."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._owner: int | None = None
        self._depth = 0
        self._urgent = 0  # urgent writers waiting

    @contextmanager
    def held(self, urgent: bool = False) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:
                self._depth += 1
            else:
                self._urgent += urgent
                deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
                try:
                    while self._owner is not None or (self._urgent and not urgent):
                        # as SQLite would after its busy time-out (never a deadlock with a connection lock)
                        if not self._cond.wait(deadline - time.monotonic()):
                            raise sqlite3.OperationalError("database is locked (waited for a writer)")
                finally:
                    self._urgent -= urgent
                self._owner, self._depth = me, 1
        try:
            yield
        finally:
            with self._cond:
                self._depth -= 1
                if not self._depth:
                    self._owner = None
                    self._cond.notify_all()


_WRITERS: dict[object, WriteGate] = {}


def open_database(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at `path` and bring its schema up to date.

    The connection may be shared between threads (callers serialise its use with connection_lock).
    synchronous=FULL: under WAL, NORMAL only syncs at checkpoints, so a
    power cut or OS crash can roll back transactions that were already reported as committed; FULL
    fsyncs the WAL on every commit, which is what "every acknowledged write is committed" needs.
    """
    # isolation_level "" keeps Python's legacy transaction handling that sqlite-utils expects;
    # our own writes open transactions explicitly with BEGIN IMMEDIATE.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    if str(path) != ":memory:":
        stat = os.stat(path)
        with _LOCKS_GUARD:
            _IDENTITY[db] = (str(path), stat.st_dev, stat.st_ino)
    if migrate:
        apply_migrations(db)
    else:
        check_schema(db)
    return db


def file_problem(db: Database) -> str | None:
    """Why the file `db` was opened from is no longer the database (gone, replaced), or None. SQLite
    keeps writing to a deleted or renamed file's inode: those writes would be lost at the next start."""
    with _LOCKS_GUARD:
        identity = _IDENTITY.get(db)
    if identity is None:
        return None
    path, device, inode = identity
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return "gone"
    except OSError as exc:
        return f"unreadable: {type(exc).__name__}"
    return None if (stat.st_dev, stat.st_ino) == (device, inode) else "replaced"


def probe_write(db: Database) -> None:
    """Write and commit one row (raises when the file is read-only, the disk full, or locked for long)."""
    with write_transaction(db):
        db.execute("INSERT OR REPLACE INTO health_probe (id, at) VALUES (1, ?)", [to_iso(utc_now())])


class SchemaTooNew(sqlite3.DatabaseError):
    """The database has migrations this version does not know: a newer rolebot wrote it."""


def check_schema(db: Database) -> None:
    """Refuse a database with migrations unknown to this version, naming them and the ones known."""
    known = [migration.name for migration in migrations._migrations]
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise SchemaTooNew(
            f"the database was written by a newer rolebot: it has migration {', '.join(unknown)},"
            f" this version knows up to {known[-1]}; upgrade rolebot or use another database"
        )


def apply_migrations(db: Database) -> None:
    """Apply pending migrations under a write lock, so processes starting together do not race."""
    check_schema(db)
    if not migrations.pending(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        # Re-checked inside the lock: another process may have migrated while we waited.
        check_schema(db)
        migrations.apply(db)
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def connection_lock(db: Database) -> threading.RLock:
    """The one lock every store on `db` shares: a sqlite3 connection must not interleave threads."""
    with _LOCKS_GUARD:
        lock = _LOCKS.get(db)
        if lock is None:
            lock = _LOCKS[db] = threading.RLock()
        return lock


def _writer(db: Database) -> WriteGate:
    with _LOCKS_GUARD:
        identity = _IDENTITY.get(db)
        key: object = identity[1:] if identity is not None else id(db)  # the file (device, inode)
        gate = _WRITERS.get(key)
        if gate is None:
            gate = _WRITERS[key] = WriteGate()
        return gate


def _begin_immediate(db: Database) -> None:
    """BEGIN IMMEDIATE for a writer someone waits on, while another process may hold the write lock
    (the Slack work process): retried every URGENT_RETRY_SECONDS, where SQLite's busy handler would
    sleep 1, 2, 5 ... 100 ms between tries, which an ack would wait out in full."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    db.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(URGENT_RETRY_SECONDS)
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextmanager
def write_transaction(db: Database, *, urgent: bool = False) -> Iterator[Database]:
    """BEGIN IMMEDIATE ... COMMIT under the connection lock; rolled back on any error.

    IMMEDIATE takes the write lock up front, so a read-check-write cannot interleave with another
    process (a DEFERRED transaction could fail to upgrade with SQLITE_BUSY mid-way).
    urgent: someone waits for this commit (an HTTP request before its ack): it goes first.
    The gate is taken before the connection's lock: a writer waiting its turn does not hold up the
    readers of its connection (some read on the event loop)."""
    with _writer(db).held(urgent), connection_lock(db):
        _begin_immediate(db) if urgent else db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        db.execute("COMMIT")
