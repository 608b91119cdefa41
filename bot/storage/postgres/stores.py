"""Every PostgreSQL store on one connection pool (ROLEBOT_DATABASE_URL=postgresql://…)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from bot.storage.clock import utc_now
from bot.storage.errors import StorageError
from bot.storage.postgres.digest import PostgresDigestQueries, PostgresDigestRuns
from bot.storage.postgres.escalations import PostgresEscalationStore
from bot.storage.postgres.inbox import PostgresInbox
from bot.storage.postgres.migrate import apply_migrations, check_schema
from bot.storage.postgres.outbox import PostgresOutbox
from bot.storage.postgres.pool import connect, shared_pool
from bot.storage.postgres.refs import PostgresSlackRefs, PostgresTeamsRefs
from bot.storage.postgres.small import (
    PostgresAskedQuestions,
    PostgresChannelStore,
    PostgresFeedbackStore,
    PostgresHealth,
    PostgresIdentityStore,
    PostgresWatcherStore,
)
from bot.storage.postgres.standup import PostgresStandupStore
from bot.storage.stores import Stores


def open_postgres_stores(
    url: str, *, migrate: bool = True, clock: Callable[[], datetime] = utc_now, max_size: int = 10
) -> Stores:
    """The schema brought up to date (or only checked), then one pool shared by every store."""
    import psycopg

    try:
        with connect(url) as conn:
            if migrate:
                apply_migrations(conn)
            else:
                check_schema(conn)
    except psycopg.Error as exc:
        raise StorageError(str(exc).strip() or type(exc).__name__) from exc
    pool = shared_pool(url, max_size=max_size)
    return Stores(
        escalations=PostgresEscalationStore(pool),
        outbox=PostgresOutbox(pool),
        inbox=partial(PostgresInbox, pool),
        feedback=PostgresFeedbackStore(pool, clock),
        asked=PostgresAskedQuestions(pool),
        digest_queries=PostgresDigestQueries(pool),
        digest_runs=PostgresDigestRuns(pool),
        standups=PostgresStandupStore(pool),
        identities=PostgresIdentityStore(pool, clock),
        channels=PostgresChannelStore(pool),
        watchers=PostgresWatcherStore(pool),
        slack_refs=PostgresSlackRefs(pool),
        teams_refs=PostgresTeamsRefs(pool),
        health=PostgresHealth(pool),
        close=lambda: None,  # the pool is the process's (shared_pool), not this set's
    )
