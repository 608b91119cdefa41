"""SQLite storage: connection settings, migrations (fresh and in-place upgrade), schema rules, feedback."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.storage.clock import from_iso, to_iso
from bot.storage.feedback import normalize_question
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.feedback import SqliteFeedbackStore
from bot.storage.sqlite.migrations import migrations

TABLES = {
    "escalations",
    "audit_log",
    "processed_requests",
    "routing_feedback",
    "unrouted_questions",
    "conversation_refs",
    "digest_runs",
    "message_refs",
}
NOW = "2024-06-03T10:00:00.000000Z"


def _insert_escalation(db: Database, summary: str = "printer on fire") -> int:
    cursor = db.execute(
        "INSERT INTO escalations (summary, requester_platform, requester_user, team, priority, state,"
        " created_at, updated_at) VALUES (?, 'slack', 'U1', 'it', 'P2', 'open', ?, ?)",
        [summary, NOW, NOW],
    )
    db.conn.commit()
    return int(cursor.lastrowid or 0)


def test_open_database_sets_wal_foreign_keys_busy_timeout_and_full_sync(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    pragma = {
        name: db.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10_000, "synchronous": 2}
    assert set(db.table_names()) >= TABLES


def test_migrations_are_recorded_once_and_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_database(path).close()
    db = open_database(path)
    names = [row["name"] for row in db["_sqlite_migrations"].rows]
    assert names[:3] == ["m001_initial", "m002_feedback", "m003_adapters"]
    assert names == [m.name for m in migrations.pending(Database(memory=True))]  # all, once, in order
    assert migrations.pending(db) == []


def test_an_old_database_upgrades_in_place_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_feedback")
    assert "routing_feedback" not in old.table_names()
    escalation_id = _insert_escalation(old, "from version one")
    old.close()

    db = open_database(path)
    assert set(db.table_names()) >= TABLES
    assert (
        db.execute("SELECT summary FROM escalations WHERE id = ?", [escalation_id]).fetchone()[0]
        == "from version one"
    )
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _open_and_count(path: str) -> int:
    db = open_database(path)
    return int(db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0])


def test_processes_starting_together_migrate_exactly_once(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        counts = pool.map(_open_and_count, [path] * 3)
    assert counts == [len(migrations.pending(Database(memory=True)))] * 3


def test_audit_log_is_append_only(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    escalation_id = _insert_escalation(db)
    db.execute(
        "INSERT INTO audit_log (escalation_id, at, actor, action) VALUES (?, ?, 'cli:ada', 'created')",
        [escalation_id, NOW],
    )
    db.conn.commit()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET action = 'forged'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")
    assert db.execute("SELECT action FROM audit_log").fetchall() == [("created",)]


def test_foreign_keys_and_checks_are_enforced(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute(
            "INSERT INTO audit_log (escalation_id, at, actor, action) VALUES (999, ?, 'x', 'y')", [NOW]
        )
    db.conn.rollback()
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(
            "INSERT INTO escalations (summary, requester_platform, requester_user, team, priority,"
            " state, created_at, updated_at) VALUES ('s', 'p', 'u', 't', 'P2', 'limbo', ?, ?)",
            [NOW, NOW],
        )


def test_escalation_ids_are_never_reused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    first = _insert_escalation(db)
    db.execute("DELETE FROM escalations WHERE id = ?", [first])
    db.conn.commit()
    assert _insert_escalation(db) == first + 1


def test_timestamps_are_fixed_width_utc_text_that_sorts_like_time() -> None:
    stockholm = datetime(2024, 3, 31, 3, 30, tzinfo=UTC).astimezone()
    early = datetime(2024, 1, 1, 9, 0, 0, 5, tzinfo=UTC)
    late = early + timedelta(hours=11)
    assert to_iso(early) == "2024-01-01T09:00:00.000005Z"
    assert from_iso(to_iso(stockholm)) == stockholm
    assert sorted([to_iso(late), to_iso(early)]) == [to_iso(early), to_iso(late)]
    with pytest.raises(ValueError, match="naive"):
        to_iso(datetime(2024, 1, 1))


def test_corrections_are_stored_and_read_back(tmp_path: Path) -> None:
    store = SqliteFeedbackStore(open_database(tmp_path / "a.db"))
    store.record_correction(
        "Vem hanterar returer?", "sv", "warehouse", None, "customer-service", "cs-agent", "slack", "U0ZED"
    )
    store.record_correction("'; DROP TABLE routing_feedback; --", "en", None, None, "it", None, "cli", "ada")
    first, second = store.corrections()
    assert (
        first.question,
        first.normalized_question,
        first.routed_team,
        first.corrected_team,
        first.corrected_role,
    ) == ("Vem hanterar returer?", "vem hanterar returer", "warehouse", "customer-service", "cs-agent")
    assert second.question == "'; DROP TABLE routing_feedback; --"


def test_unrouted_questions_group_by_normalised_text_since_a_time(tmp_path: Path) -> None:
    clock_now = [datetime(2024, 6, 3, 8, tzinfo=UTC)]
    store = SqliteFeedbackStore(open_database(tmp_path / "a.db"), clock=lambda: clock_now[0])
    store.record_unrouted("Who orders the coffee?", "en", "slack", "U1")  # before the window
    clock_now[0] += timedelta(days=1)
    for text in ("Who orders the coffee?", "who orders the COFFEE", "誰負責咖啡？", "誰負責咖啡?"):
        store.record_unrouted(text, "en", "slack", "U2", near_team="ecommerce")
    store.record_unrouted("Parking spots?", "en", "teams", "29:x")
    store.record_unrouted("   ", "en", "teams", "29:x")  # empty: not a gap

    since = datetime(2024, 6, 4, tzinfo=UTC)
    # Most asked first; ties: most recently asked first; the latest wording is shown.
    assert store.unrouted_since(since) == [
        ("誰負責咖啡?", 2),
        ("who orders the COFFEE", 2),
        ("Parking spots?", 1),
    ]
    assert store.unrouted_since(since, team="ecommerce") == [("誰負責咖啡?", 2), ("who orders the COFFEE", 2)]
    assert store.unrouted_since(since - timedelta(days=2))[0] == ("who orders the COFFEE", 3)
    assert normalize_question("Ｗho  orders!") == "who orders"


def test_an_urgent_write_waits_out_another_process_lock_and_keeps_the_busy_timeout(tmp_path: Path) -> None:
    """An ack's commit (urgent) while another connection (the Slack work process) holds the write lock:
    it goes through once the lock is released, and the connection keeps its busy time-out after."""
    import threading

    from bot.storage.sqlite.database import BUSY_TIMEOUT_MS, write_transaction

    db = open_database(tmp_path / "rolebot.db")
    other = sqlite3.connect(tmp_path / "rolebot.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO inbox (platform, key, route, payload, state, created_at) VALUES"
        " ('slack', 'other', NULL, '', 'done', '2026-01-01T00:00:00.000000Z')"
    )
    released = threading.Timer(0.3, other.execute, ["COMMIT"])
    released.start()
    with write_transaction(db, urgent=True):
        db.execute(
            "INSERT INTO inbox (platform, key, route, payload, state, created_at) VALUES"
            " ('slack', 'mine', NULL, '', 'done', '2026-01-01T00:00:01.000000Z')"
        )
    released.join()
    keys = [row[0] for row in db.execute("SELECT key FROM inbox ORDER BY created_at")]
    assert keys == ["other", "mine"]  # after the other process's commit, not instead of it
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    with pytest.raises(sqlite3.IntegrityError), write_transaction(db, urgent=True):  # other errors: at once
        db.execute("INSERT INTO inbox (platform, key, state) VALUES ('slack', 'mine', 'done')")
    other.close()
