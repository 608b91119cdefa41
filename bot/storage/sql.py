"""SQL both backends run, written once with SQLite's `?` and `:name` marks; for_postgres() adapts it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.escalations.models import Actor

_NAMED = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


def for_postgres(sql: str) -> str:
    """`?` as `%s` and `:name` as `%(name)s`, psycopg's marks; a `::type` cast stays (the shared SQL has
    no literal `?`, `%` or `:word`)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("?", "%s"))


# ---------------------------------------------------------------- escalations
GET_ESCALATION = "SELECT * FROM escalations WHERE id = ?"
INSERT_AUDIT = (
    "INSERT INTO audit_log (escalation_id, at, actor, action, from_state, to_state, comment)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
HISTORY = (
    "SELECT escalation_id, at, actor, action, from_state, to_state, comment"
    " FROM audit_log WHERE escalation_id = ? ORDER BY id"
)
PROCESSED = "SELECT action, result FROM processed_requests WHERE request_id = ?"
REMEMBER = (
    "INSERT INTO processed_requests (request_id, action, escalation_id, result, created_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
ACK_OVERDUE = (
    "SELECT * FROM escalations WHERE state = 'open' AND ack_due <= ? AND chain_exhausted = 0"
    " ORDER BY ack_due LIMIT ?"
)
RESOLVE_OVERDUE_UNFLAGGED = (
    "SELECT * FROM escalations WHERE state = 'acknowledged' AND resolve_due <= ?"
    " AND resolve_overdue_flagged = 0 ORDER BY resolve_due LIMIT ?"
)


def who_branches(teams: Sequence[str] | None, requester: Actor | None) -> list[tuple[str, list[Any]]]:
    """The alternatives a listing matches (OR): each team, the requester's platform id and person."""
    if teams is None and requester is None:
        return [("TRUE", [])]
    branches: list[tuple[str, list[Any]]] = [("team = ?", [team]) for team in dict.fromkeys(teams or ())]
    if requester is not None:
        branches.append(
            ("requester_platform = ? AND requester_user = ?", [requester.platform, requester.user_id])
        )
        if requester.person_id:
            branches.append(("requester_person = ?", [requester.person_id]))
    return branches


def overdue_branch(state: str, column: str, who: str) -> str:
    """One index range of the most-overdue listing: `state`'s rows past `column`, earliest first."""
    return (
        f"SELECT * FROM escalations WHERE state = '{state}' AND {column} <= ?"
        f" AND {who} ORDER BY {column} LIMIT ?"
    )


# Active escalations past a deadline, for the health gauges (the same rows as BREACHED).
LATE_COUNT = (
    "SELECT COUNT(*) FROM escalations WHERE (state = 'open' AND ack_due <= ?)"
    " OR (state = 'acknowledged' AND resolve_due <= ?)"
    " OR (state IN ('open', 'acknowledged') AND breached_at IS NOT NULL)"
)
STATE_COUNTS = "SELECT state, COUNT(*) FROM escalations GROUP BY state"

# ---------------------------------------------------------------- outbox
OUTBOX_COLUMNS = "id, escalation_id, platform, kind, payload, state, attempts, created_at, error"
INSERT_OUTBOX = (
    "INSERT INTO outbox (escalation_id, platform, kind, payload, next_at, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
# The first pending row of each escalation on a platform that may be tried now, oldest first.
OUTBOX_DUE = (
    f"SELECT {OUTBOX_COLUMNS} FROM outbox o WHERE platform = ? AND state = 'pending'"
    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.platform = o.platform"
    " AND p.state = 'pending' AND p.escalation_id = o.escalation_id AND p.id < o.id)"
    " AND next_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?"
)

# ---------------------------------------------------------------- feedback
# "user" quoted: a reserved word in PostgreSQL, an ordinary (quoted) name in SQLite.
INSERT_CORRECTION = (
    "INSERT INTO routing_feedback (question, normalized_question, language, routed_team, routed_role,"
    ' corrected_team, corrected_role, platform, "user", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
)
CORRECTIONS = (
    "SELECT question, normalized_question, language, routed_team, routed_role, corrected_team,"
    ' corrected_role, platform, "user", created_at FROM routing_feedback ORDER BY id'
)
INSERT_UNROUTED = (
    'INSERT INTO unrouted_questions (question, language, platform, "user", near_team, created_at)'
    " VALUES (?, ?, ?, ?, ?, ?)"
)
UNROUTED_SINCE = "SELECT question FROM unrouted_questions WHERE created_at >= ?"
UNROUTED_NEAR = " AND near_team = ?"

# ---------------------------------------------------------------- digest reads (:name parameters)
ACTIVE = "state IN ('open', 'acknowledged')"
# Past ack_due while open, past resolve_due while acknowledged (with BREACHED: Escalation.overdue()).
OVERDUE = "((state = 'open' AND ack_due <= :now) OR (state = 'acknowledged' AND resolve_due <= :now))"
# A breach stays reported until resolved: overdue now, or a deadline missed before (the sweep moves
# the escalation up its chain with a fresh clock, which must not hide the miss).
BREACHED = f"({ACTIVE} AND (breached_at IS NOT NULL OR {OVERDUE}))"
FIRST_MISSED = "COALESCE(breached_at, CASE state WHEN 'open' THEN ack_due ELSE resolve_due END)"
RESOLVED_LATE = (
    "state = 'resolved' AND breached_at IS NOT NULL AND resolved_at >= :since AND resolved_at <= :until"
)


def page(where: str, order: str) -> tuple[str, str]:
    """The escalations matching `where`, `:limit` of them in `order`, and the count of all of them."""
    return (
        f"SELECT * FROM escalations WHERE {where} ORDER BY {order} LIMIT :limit",
        f"SELECT COUNT(*) FROM escalations WHERE {where}",
    )


CREATED = page("team = :team AND created_at >= :since AND created_at <= :until", "created_at")
RESOLVED = page(
    "team = :team AND resolved_at >= :since AND resolved_at <= :until AND state = 'resolved'",
    "resolved_at DESC",
)
# One index range per state keeps "oldest first" an ordered index walk, not a sort.
ACTIVE_IN_STATE = (
    "SELECT * FROM escalations WHERE team = :team AND state = :state ORDER BY created_at LIMIT :limit"
)
ACTIVE_COUNT = f"SELECT COUNT(*) FROM escalations WHERE team = :team AND {ACTIVE}"


def overdue_page(scope: str, resolved_late: bool) -> tuple[str, str]:
    """Breaches (with `resolved_late`, and those resolved late between :since and :until), most overdue
    first; `scope` narrows them (" AND team IN (...)", or "")."""
    where = f"({BREACHED} OR ({RESOLVED_LATE}))" if resolved_late else BREACHED
    return page(f"{where}{scope}", f"state = 'resolved', {FIRST_MISSED}")


LOAD_BY_STATE = (
    f"SELECT team, state, COUNT(*), MIN(created_at) FROM escalations WHERE {ACTIVE} GROUP BY team, state"
)
BREACHED_BY_TEAM = f"SELECT team, COUNT(*) FROM escalations WHERE {BREACHED} GROUP BY team"
# Per team between :since and :until: (created, resolved, resolved late).
WINDOW_COUNTS = tuple(
    f"SELECT team, COUNT(*) FROM escalations WHERE {where} GROUP BY team"
    for where in (
        "created_at >= :since AND created_at <= :until",
        "resolved_at >= :since AND resolved_at <= :until AND state = 'resolved'",
        RESOLVED_LATE,
    )
)
_NOTICES = (
    " FROM outbox o JOIN escalations e ON e.id = o.escalation_id WHERE e.team = :team"
    " AND ((o.state = 'failed' AND o.done_at >= :since AND o.done_at <= :until)"
    " OR (o.state = 'pending' AND o.attempts > 0))"
)
UNDELIVERED = (
    f"SELECT o.escalation_id, o.platform, o.kind, o.state, o.error{_NOTICES} ORDER BY o.id LIMIT :limit",
    f"SELECT COUNT(*){_NOTICES}",
)

# ---------------------------------------------------------------- digest runs
DIGEST_RUN_COLUMNS = (
    "team, run_date, kind, state, attempts, error, created_at, sent_at, claimed_by, claimed_at"
)
_RUN_KEY = "team = ? AND run_date = ? AND kind = ?"
GET_DIGEST_RUN = f"SELECT {DIGEST_RUN_COLUMNS} FROM digest_runs WHERE {_RUN_KEY}"
CREATE_DIGEST_RUN = (
    "INSERT INTO digest_runs (team, run_date, kind, state, created_at, attempts, claimed_by, claimed_at)"
    " VALUES (?, ?, ?, 'pending', ?, 1, ?, ?)"
)
TAKE_DIGEST_RUN = (
    "UPDATE digest_runs SET state = 'pending', attempts = attempts + 1, claimed_by = ?, claimed_at = ?"
    f" WHERE {_RUN_KEY}"
)
FINISH_DIGEST_RUN = f"UPDATE digest_runs SET state = ?, sent_at = ?, error = ? WHERE {_RUN_KEY}"
LAST_SENT = "SELECT MAX(sent_at) FROM digest_runs WHERE team = ? AND kind = ? AND state = 'sent'"
LAST_SENT_BEFORE = f"{LAST_SENT} AND run_date < ?"
RECENT_DIGEST_RUNS = f"SELECT {DIGEST_RUN_COLUMNS} FROM digest_runs ORDER BY run_date DESC, id DESC LIMIT ?"

# ---------------------------------------------------------------- standups
STANDUP_RUN_COLUMNS = "id, team, run_date, state, created_at, asked_at, reminded_at, reported_at"
STANDUP_RUN = f"SELECT {STANDUP_RUN_COLUMNS} FROM standup_runs WHERE team = ? AND run_date = ?"
STANDUP_RUN_BY_ID = f"SELECT {STANDUP_RUN_COLUMNS} FROM standup_runs WHERE id = ?"
STANDUP_RUNS_ON = f"SELECT {STANDUP_RUN_COLUMNS} FROM standup_runs WHERE run_date = ? ORDER BY team"
CLOSE_STANDUP_RUN = (
    "UPDATE standup_runs SET state = 'reported', reported_at = ? WHERE id = ? AND state = 'open'"
)


def open_standup_runs(in_teams: str) -> str:
    """Open runs of the teams `in_teams` keeps (the backend's list match), newest date first."""
    return (
        f"SELECT {STANDUP_RUN_COLUMNS} FROM standup_runs WHERE state = 'open' AND {in_teams}"
        " ORDER BY run_date DESC, id DESC"
    )


def stamp_standup_run(column: str) -> str:
    """Set `column` (asked_at / reminded_at) of a run once: it changes a row only while still empty."""
    if column not in ("asked_at", "reminded_at"):
        raise ValueError(column)
    return f"UPDATE standup_runs SET {column} = ? WHERE id = ? AND {column} IS NULL"


STANDUP_PROMPTS = (
    "SELECT person, ask_state, asked_at, reminded_at, skipped_at, language FROM standup_prompts"
    " WHERE run_id = ? ORDER BY id"
)
_PROMPT = "WHERE run_id = ? AND person = ?"
CLAIM_STANDUP_ASK = (
    f"UPDATE standup_prompts SET ask_state = 'sending', asked_at = ? {_PROMPT} AND ask_state = 'pending'"
)
STANDUP_ASKED = f"UPDATE standup_prompts SET ask_state = 'asked' {_PROMPT} AND ask_state = 'sending'"
STANDUP_NOT_ASKED = (
    f"UPDATE standup_prompts SET ask_state = 'pending', asked_at = NULL {_PROMPT} AND ask_state = 'sending'"
)
CLAIM_STANDUP_REMINDER = f"UPDATE standup_prompts SET reminded_at = ? {_PROMPT} AND reminded_at IS NULL"
SKIP_STANDUP = f"UPDATE standup_prompts SET skipped_at = ? {_PROMPT}"
# Answering lifts a skip, and someone answering before being asked is not asked any more.
START_ANSWERING = (
    "UPDATE standup_prompts SET skipped_at = NULL, ask_state = CASE ask_state"
    f" WHEN 'pending' THEN 'answering' ELSE ask_state END {_PROMPT}"
)
STANDUP_ANSWERS = "SELECT person, question, text, updated_at FROM standup_answers WHERE run_id = ?"
STANDUP_ANSWERS_OF = f"{STANDUP_ANSWERS} AND person = ?"
