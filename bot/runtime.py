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
    from bot.conversation.assistant import Assistant
    from bot.conversation.channels import ChannelListener
    from bot.conversation.watchers import Watchers
    from bot.escalations.delivery import Deliverer, DeliverySettings, Doorbell, OutboxWorker
    from bot.escalations.service import EscalationService
    from bot.identities import Identities
    from bot.observability import Metrics
    from bot.ports import Notifier
    from bot.standup.ports import StandupPrompter
    from bot.standup.service import StandupService
    from bot.storage.feedback import FeedbackStore
    from bot.storage.stores import Stores


def load_kb_for(config: Config) -> KnowledgeBase:
    return load_knowledge(config.knowledge_dir)


def load_directory_for(config: Config) -> Directory:
    return load_directory(config.directory_path)


def corrections_from(feedback: FeedbackStore) -> CorrectionMemory:
    """Every stored correction, oldest first so the newest wins."""
    memory = CorrectionMemory()
    for row in feedback.corrections():
        memory.add(row.question, row.corrected_team, row.corrected_role)
    return memory


def load_router(config: Config, warn: Callable[[str], None] | None = None) -> Router:
    """The router for `rolebot ask`: corrections are read only when the database already exists,
    so a plain question never creates a database file (and stays fast to start). Answering needs no
    database, so one that cannot be read is reported to `warn` and the question answered without it."""
    from bot.index_cache import load_indexed
    from bot.storage.errors import OPEN_ERRORS

    kb, index = load_indexed(config.knowledge_dir, config.cache_dir)
    if config.has_database():
        from bot.storage.backends import open_stores

        try:
            return Router(kb, corrections_from(open_stores(config.database).feedback), index)
        except OPEN_ERRORS as exc:
            if warn is not None:
                warn(f"{config.database_name}: {exc}; answering without its routing corrections")
    return Router(kb, index=index)


@dataclass
class Core:
    """Everything a surface needs, built once per process and shared by its adapters."""

    config: Config
    kb: KnowledgeBase
    directory: Directory
    stores: Stores
    router: Router
    service: EscalationService
    assistant: Assistant
    doorbell: Doorbell
    standup: StandupService
    identities: Identities  # the directory plus the platform ids learned by email
    channels: ChannelListener | None = None  # request channels and message escalations
    watchers: Watchers | None = None  # teams looped in on escalations

    def outbox_worker(self, deliverer: Deliverer, settings: DeliverySettings | None = None) -> OutboxWorker:
        """A worker delivering `deliverer.platform`'s outbox on a connection of its own (not started)."""
        from bot.escalations.delivery import DeliverySettings, OutboxWorker
        from bot.observability import default_metrics
        from bot.storage.backends import open_stores

        outbox = open_stores(self.config.database).outbox
        observe = default_metrics().observe_delivery
        settings = settings or DeliverySettings(lease=self.config.outbox_lease)
        return OutboxWorker(outbox, deliverer, self.directory, self.doorbell, settings, observe)


def open_identities(config: Config, stores: Stores) -> Identities:
    """The directory file and the platform ids learned by email: what the chat platforms' ports (which
    find people by email) and the core share, so an entry point builds them before both."""
    from bot.identities import Identities

    return Identities(load_directory_for(config), stores.identities)


def build_core(
    config: Config,
    notifier: Notifier | None = None,
    stores: Stores | None = None,
    *,
    identities: Identities | None = None,
    prompter: StandupPrompter | None = None,
    clock: Callable[[], datetime] | None = None,
    metrics: Metrics | None = None,
) -> Core:
    """Open the stores (migrating the database), load knowledge and directory, and build every object
    once with what it needs: router, escalation service, standups, assistant, channels, watchers.

    notifier: rung after each escalation change (default: the Doorbell waking this process's outbox
    workers). stores: the storage backend (default: open_stores(config.database)). identities: the
    directory with the ids learned by email, from open_identities on `stores` (default: a new one; an
    entry point whose platform ports find people by email builds it first and passes it to both).
    prompter: asks people their standup questions (a chat platform's; None: nobody is asked, and the
    scheduler runs no standups). clock: the escalations' and standups' "now" (tests, the CLI).
    metrics: where questions are counted (default: the process's default_metrics())."""
    from bot.escalations.delivery import Doorbell
    from bot.escalations.service import EscalationService
    from bot.storage.backends import open_stores
    from bot.storage.clock import utc_now

    kb = load_kb_for(config)
    stores = stores if stores is not None else open_stores(config.database)
    identities = identities if identities is not None else open_identities(config, stores)
    directory = identities.directory
    router = Router(kb, corrections_from(stores.feedback))
    doorbell = Doorbell()  # rings this process's outbox workers after each commit
    now = clock or utc_now
    service = EscalationService(
        stores.escalations, kb, directory, router=router, notifier=notifier or doorbell, clock=now
    )
    return _assemble(config, kb, identities, stores, router, service, doorbell, prompter, metrics)


def _assemble(
    config: Config,
    kb: KnowledgeBase,
    identities: Identities,
    stores: Stores,
    router: Router,
    service: EscalationService,
    doorbell: Doorbell,
    prompter: StandupPrompter | None,
    metrics: Metrics | None,
) -> Core:
    """Standups, the assistant (with the standup commands and the question observer), watchers."""
    from bot.commands.runner import CommandRunner
    from bot.conversation.assistant import Assistant
    from bot.conversation.watchers import Watchers
    from bot.digest.topics import AskedQuestionLog
    from bot.observability import default_metrics, question_observer
    from bot.standup.chat import StandupChat, build_standup

    directory = identities.directory
    standup = build_standup(stores.standups, directory, kb, router, config.directory_path, service, prompter)
    runner = CommandRunner(service, kb, directory)
    chat = StandupChat(standup, service, runner)
    assistant = Assistant(
        router,
        kb,
        directory,
        stores.feedback,
        runner,
        service,
        identities=identities,
        # every surface counts questions (metrics) and records routed topics for the team digests
        observers=[question_observer(metrics or default_metrics(), AskedQuestionLog(stores.asked))],
        text_commands=[chat.command],
        # a plain DM during one's standup answers it; in channels and mentions it stays a question
        direct_commands=[chat.answer],
        channel_store=stores.channels,
    )
    watchers = Watchers(service, router, kb, stores.watchers)
    return Core(
        config,
        kb,
        directory,
        stores,
        router,
        service,
        assistant,
        doorbell,
        standup,
        identities,
        channels=assistant.channels,
        watchers=watchers,
    )


def build_assistant(config: Config) -> Assistant:
    return build_core(config).assistant
