"""Every SQLite store on one connection (the connection lock serialises their use across threads)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlite_utils import Database

from bot.storage.clock import utc_now
from bot.storage.sqlite.asked import SqliteAskedQuestions
from bot.storage.sqlite.channels import SqliteChannelStore, SqliteWatcherStore
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.digest_queries import SqliteDigestQueries
from bot.storage.sqlite.digest_runs import SqliteDigestRuns
from bot.storage.sqlite.escalations import SqliteEscalationStore
from bot.storage.sqlite.feedback import SqliteFeedbackStore
from bot.storage.sqlite.health import SqliteHealth
from bot.storage.sqlite.identities import SqliteIdentityStore
from bot.storage.sqlite.inbox import SqliteInbox
from bot.storage.sqlite.outbox import SqliteOutbox
from bot.storage.sqlite.slack_refs import SqliteSlackRefs
from bot.storage.sqlite.standup import SqliteStandupStore
from bot.storage.sqlite.teams_refs import SqliteTeamsRefs
from bot.storage.stores import Stores


def open_sqlite_stores(
    path: Path | str, *, migrate: bool = True, clock: Callable[[], datetime] = utc_now
) -> Stores:
    return stores_on(open_database(path, migrate=migrate), clock)


def stores_on(db: Database, clock: Callable[[], datetime] = utc_now) -> Stores:
    """The stores on an open connection (`clock` stamps feedback and identities)."""
    return Stores(
        escalations=SqliteEscalationStore(db),
        outbox=SqliteOutbox(db),
        inbox=partial(SqliteInbox, db),
        feedback=SqliteFeedbackStore(db, clock),
        asked=SqliteAskedQuestions(db),
        digest_queries=SqliteDigestQueries(db),
        digest_runs=SqliteDigestRuns(db),
        standups=SqliteStandupStore(db),
        identities=SqliteIdentityStore(db, clock),
        channels=SqliteChannelStore(db),
        watchers=SqliteWatcherStore(db),
        slack_refs=SqliteSlackRefs(db),
        teams_refs=SqliteTeamsRefs(db),
        health=SqliteHealth(db),
        close=db.close,
    )
