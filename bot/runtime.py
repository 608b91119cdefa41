"""Composition root: knowledge, directory, database, router, service and assistant from a Config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.config import Config
from bot.corrections import CorrectionMemory
from bot.directory import Directory, load_directory
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.router import Router

if TYPE_CHECKING:
    from sqlite_utils import Database

    from bot.assistant import Assistant
    from bot.channels import ChannelListener
    from bot.escalations.delivery import Deliverer, DeliverySettings, Doorbell, OutboxWorker
    from bot.escalations.service import EscalationService
    from bot.identities import Identities
    from bot.observability import Metrics
    from bot.ports import Notifier
    from bot.standup.ports import StandupPrompter
    from bot.standup.service import StandupService
    from bot.watchers import Watchers


def load_kb_for(config: Config) -> KnowledgeBase:
    return load_knowledge(config.knowledge_dir)


def load_directory_for(config: Config) -> Directory:
    return load_directory(config.directory_path)


def corrections_from(db: Database) -> CorrectionMemory:
    """Every stored correction, oldest first so the newest wins."""
    from bot.feedback import SqliteFeedbackStore

    memory = CorrectionMemory()
    for row in SqliteFeedbackStore(db).corrections():
        memory.add(row.question, row.corrected_team, row.corrected_role)
    return memory


def load_router(config: Config, warn: Callable[[str], None] | None = None) -> Router:
    """The router for `rolebot ask`: corrections are read only when the database already exists,
    so a plain question never creates a database file (and stays fast to start). Answering needs no
    database, so one that cannot be read is reported to `warn` and the question answered without it."""
    import sqlite3

    from bot.index_cache import load_indexed

    kb, index = load_indexed(config.knowledge_dir, config.cache_dir)
    if config.db_path.exists():
        from bot.storage import open_database

        try:
            return Router(kb, corrections_from(open_database(config.db_path)), index)
        except (sqlite3.Error, OSError) as exc:
            if warn is not None:
                warn(f"{config.db_path}: {exc}; answering without its routing corrections")
    return Router(kb, index=index)


@dataclass
class Core:
    """Everything a surface needs, built once per process and shared by its adapters."""

    config: Config
    kb: KnowledgeBase
    directory: Directory
    db: Database
    router: Router
    service: EscalationService
    assistant: Assistant
    doorbell: Doorbell
    standup: StandupService
    identities: Identities | None = None  # platform ids learned by email (None: the file's ids only)
    channels: ChannelListener | None = None  # request channels and message escalations
    watchers: Watchers | None = None  # teams looped in on escalations

    def outbox_worker(self, deliverer: Deliverer, settings: DeliverySettings | None = None) -> OutboxWorker:
        """A worker delivering `deliverer.platform`'s outbox on a connection of its own (not started)."""
        from bot.escalations.delivery import OutboxWorker
        from bot.observability import default_metrics
        from bot.storage import open_database
        from bot.storage.outbox import SqliteOutbox

        outbox = SqliteOutbox(open_database(self.config.db_path))
        observe = default_metrics().observe_delivery
        return OutboxWorker(outbox, deliverer, self.directory, self.doorbell, settings, observe)


def build_core(
    config: Config,
    notifier: Notifier | None = None,
    db: Database | None = None,
    *,
    prompter: StandupPrompter | None = None,
    clock: Callable[[], datetime] | None = None,
    metrics: Metrics | None = None,
) -> Core:
    """Open the database (migrating it), load knowledge and directory, and build every object once
    with what it needs: router, escalation service, standups, assistant, channels, watchers.

    notifier: rung after each escalation change (default: the Doorbell waking this process's outbox
    workers). prompter: asks people their standup questions (a chat platform's; None: nobody is asked,
    and the scheduler runs no standups). clock: the escalations' and standups' "now" (tests, the CLI).
    metrics: where questions are counted (default: the process's default_metrics())."""
    from bot.escalations.delivery import Doorbell
    from bot.escalations.service import EscalationService
    from bot.escalations.store import SqliteEscalationStore
    from bot.storage import open_database
    from bot.storage.database import utc_now

    kb = load_kb_for(config)
    directory = load_directory_for(config)
    database = db if db is not None else open_database(config.db_path)
    router = Router(kb, corrections_from(database))
    doorbell = Doorbell()  # rings this process's outbox workers after each commit
    store = SqliteEscalationStore(database)
    now = clock or utc_now
    service = EscalationService(store, kb, directory, router=router, notifier=notifier or doorbell, clock=now)
    return _assemble(config, kb, directory, database, router, service, doorbell, prompter, metrics)


def _assemble(
    config: Config,
    kb: KnowledgeBase,
    directory: Directory,
    database: Database,
    router: Router,
    service: EscalationService,
    doorbell: Doorbell,
    prompter: StandupPrompter | None,
    metrics: Metrics | None,
) -> Core:
    """Standups, the assistant (with the standup commands and the question observer), watchers."""
    from bot.assistant import Assistant
    from bot.command_runner import CommandRunner
    from bot.digest.topics import AskedQuestionLog
    from bot.feedback import SqliteFeedbackStore
    from bot.identities import Identities, SqliteIdentityStore
    from bot.observability import default_metrics, question_observer
    from bot.standup.chat import StandupChat, build_standup
    from bot.storage.channel_store import SqliteChannelStore, SqliteWatcherStore
    from bot.watchers import Watchers

    standup = build_standup(database, directory, kb, router, config.directory_path, service, prompter)
    runner = CommandRunner(service, kb, directory)
    chat = StandupChat(standup, service, runner)
    identities = Identities(directory, SqliteIdentityStore(database))
    assistant = Assistant(
        router,
        kb,
        directory,
        SqliteFeedbackStore(database),
        runner,
        service,
        identities=identities,
        # every surface counts questions (metrics) and records routed topics for the team digests
        observers=[question_observer(metrics or default_metrics(), AskedQuestionLog(database))],
        text_commands=[chat.command],
        # a plain DM during one's standup answers it; in channels and mentions it stays a question
        direct_commands=[chat.answer],
        channel_store=SqliteChannelStore(database),
    )
    watchers = Watchers(service, router, kb, SqliteWatcherStore(database))
    return Core(
        config,
        kb,
        directory,
        database,
        router,
        service,
        assistant,
        doorbell,
        standup,
        identities=identities,
        channels=assistant.channels,
        watchers=watchers,
    )


def build_assistant(config: Config) -> Assistant:
    return build_core(config).assistant
