"""The core schema steps (escalations, feedback, adapters, outbox, inbox); their order is in migrations.py."""

from __future__ import annotations

from sqlite_utils import Database


def run_statements(db: Database, *statements: str) -> None:
    # One statement at a time: executescript() would COMMIT the migration's transaction early.
    for statement in statements:
        db.execute(statement)


def m001_initial(db: Database) -> None:
    """Escalations, their append-only audit log, and processed request ids for idempotency."""
    run_statements(
        db,
        """CREATE TABLE escalations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            summary TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '',
            requester_platform TEXT NOT NULL,
            requester_user TEXT NOT NULL,
            requester_name TEXT NOT NULL DEFAULT '',
            requester_person TEXT,
            source_channel TEXT,
            message_link TEXT,
            team TEXT NOT NULL,
            role TEXT,
            priority TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3')),
            state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved', 'cancelled')),
            level INTEGER NOT NULL DEFAULT 0 CHECK (level >= 0),
            cycle INTEGER NOT NULL DEFAULT 0 CHECK (cycle >= 0),
            language TEXT NOT NULL DEFAULT 'en',
            created_at TEXT NOT NULL,
            acknowledged_at TEXT,
            resolved_at TEXT,
            ack_due TEXT,
            resolve_due TEXT,
            updated_at TEXT NOT NULL,
            chain_exhausted INTEGER NOT NULL DEFAULT 0,
            resolve_overdue_flagged INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX idx_escalations_team_state ON escalations (team, state)",
        "CREATE INDEX idx_escalations_state_ack_due ON escalations (state, ack_due)",
        "CREATE INDEX idx_escalations_state_resolve_due ON escalations (state, resolve_due)",
        "CREATE INDEX idx_escalations_requester ON escalations (requester_platform, requester_user)",
        "CREATE INDEX idx_escalations_requester_person ON escalations (requester_person)",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT,
            comment TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX idx_audit_log_escalation ON audit_log (escalation_id, id)",
        # Append-only is enforced by the database itself, not only by our code.
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
        """CREATE TABLE processed_requests (
            request_id TEXT PRIMARY KEY,
            action TEXT NOT NULL,
            escalation_id INTEGER REFERENCES escalations (id),
            result TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
    )


def m002_feedback(db: Database) -> None:
    """Routing corrections from users and questions the router could not place (knowledge gaps)."""
    run_statements(
        db,
        """CREATE TABLE routing_feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question TEXT NOT NULL,
            normalized_question TEXT NOT NULL,
            language TEXT NOT NULL,
            routed_team TEXT,
            routed_role TEXT,
            corrected_team TEXT NOT NULL,
            corrected_role TEXT,
            platform TEXT NOT NULL,
            user TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX idx_routing_feedback_question ON routing_feedback (normalized_question)",
        """CREATE TABLE unrouted_questions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question TEXT NOT NULL,
            language TEXT NOT NULL,
            platform TEXT NOT NULL,
            user TEXT NOT NULL,
            near_team TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX idx_unrouted_questions_created ON unrouted_questions (created_at)",
    )


def m003_adapters(db: Database) -> None:
    """What chat adapters keep: conversation references, digest runs and posted message ids."""
    run_statements(
        db,
        """CREATE TABLE conversation_refs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform TEXT NOT NULL,
            key TEXT NOT NULL,
            reference TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (platform, key)
        )""",
        """CREATE TABLE digest_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            team TEXT NOT NULL,
            run_date TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            UNIQUE (team, run_date, kind)
        )""",
        """CREATE TABLE message_refs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            platform TEXT NOT NULL,
            channel TEXT NOT NULL,
            message_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (escalation_id, platform, channel)
        )""",
        "CREATE INDEX idx_message_refs_message ON message_refs (platform, message_id)",
    )


def m005_list_indexes(db: Database) -> None:
    """Indexes whose order is (filter..., id), so each `list` branch reads its newest rows without a sort."""
    run_statements(
        db,
        "CREATE INDEX idx_escalations_state ON escalations (state)",
        "DROP INDEX idx_escalations_requester",
        "DROP INDEX idx_escalations_requester_person",
        "CREATE INDEX idx_escalations_requester_state ON escalations"
        " (requester_platform, requester_user, state)",
        "CREATE INDEX idx_escalations_requester_person_state ON escalations (requester_person, state)",
    )


def m007_platform_identities(db: Database) -> None:
    """Platform user ids seen at run time with the email the platform gave (bot/identities.py);
    person_id is null for people in no directory entry."""
    run_statements(
        db,
        """CREATE TABLE platform_identities (
            platform TEXT NOT NULL,
            user_id TEXT NOT NULL,
            email TEXT,
            name TEXT NOT NULL DEFAULT '',
            person_id TEXT,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (platform, user_id)
        )""",
        "CREATE INDEX idx_platform_identities_email ON platform_identities (email)",
    )


def m008_requester_email(db: Database) -> None:
    """The requester's email on each escalation, so people in no directory entry can be found later."""
    run_statements(db, "ALTER TABLE escalations ADD COLUMN requester_email TEXT")


def m011_sla_breaches(db: Database) -> None:
    """The first missed SLA deadline and the chain levels that missed one: a breach stays on record."""
    run_statements(
        db,
        "ALTER TABLE escalations ADD COLUMN breached_at TEXT",
        "ALTER TABLE escalations ADD COLUMN breach_levels TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX idx_escalations_state_breached ON escalations (state, breached_at)",
    )


def m012_outbox(db: Database) -> None:
    """Notices written in the same transaction as the change they tell about, delivered per platform."""
    run_statements(
        db,
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            platform TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at TEXT NOT NULL,
            lease_until TEXT,
            error TEXT,
            created_at TEXT NOT NULL,
            done_at TEXT
        )""",
        "CREATE INDEX idx_outbox_pending ON outbox (platform, state, escalation_id, id)",
    )


def m013_health_probe(db: Database) -> None:
    """One row /healthz rewrites: proof that the database still takes writes."""
    run_statements(db, "CREATE TABLE health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)")


def m014_inbox(db: Database) -> None:
    """Chat requests taken in: committed before they are acknowledged, finished after a crash, and their
    keys kept so a platform's retry acts once, also after a restart."""
    run_statements(
        db,
        """CREATE TABLE inbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform TEXT NOT NULL,
            key TEXT NOT NULL,
            route TEXT,
            payload TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            done_at TEXT,
            UNIQUE (platform, key)
        )""",
        "CREATE INDEX idx_inbox_pending ON inbox (platform, state, id)",
    )


def m015_inbox_lease(db: Database) -> None:
    """A lease on each unfinished request: the replica working on it renews it, and when it runs out
    (the replica died) another takes the request over. NULL: leased by its acceptor from created_at."""
    run_statements(
        db,
        "ALTER TABLE inbox ADD COLUMN lease_until TEXT",
        "ALTER TABLE inbox ADD COLUMN leased_by TEXT",
    )
