"""Composition root: knowledge, directory, database, router, service and assistant from a Config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Config
from bot.corrections import CorrectionMemory
from bot.directory import Directory, load_directory
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.router import Router

if TYPE_CHECKING:
    from bot.assistant import Assistant
    from bot.channels import ChannelListener
    from bot.escalations.delivery import Deliverer, DeliverySettings, Doorbell, OutboxWorker
    from bot.escalations.service import EscalationService
    from bot.identities import Identities
    from bot.ports import Notifier
    from bot.standup.service import StandupService
    from bot.storage.feedback import FeedbackStore
    from bot.storage.stores import Stores
    from bot.watchers import Watchers


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
    standup: StandupService | None = None
    identities: Identities | None = None  # platform ids learned by email (None: the file's ids only)
    channels: ChannelListener | None = None  # request channels and message escalations
    watchers: Watchers | None = None  # teams looped in on escalations

    def outbox_worker(self, deliverer: Deliverer, settings: DeliverySettings | None = None) -> OutboxWorker:
        """A worker delivering `deliverer.platform`'s outbox on a connection of its own (not started)."""
        from bot.escalations.delivery import OutboxWorker
        from bot.observability import default_metrics
        from bot.storage.backends import open_stores

        outbox = open_stores(self.config.database).outbox
        observe = default_metrics().observe_delivery
        return OutboxWorker(outbox, deliverer, self.directory, self.doorbell, settings, observe)


def build_core(config: Config, notifier: Notifier | None = None, stores: Stores | None = None) -> Core:
    """Open the database (migrating it), load knowledge and directory, wire router, service and assistant."""
    from bot.assistant import Assistant
    from bot.command_runner import CommandRunner
    from bot.escalations.delivery import Doorbell
    from bot.escalations.service import EscalationService
    from bot.storage.backends import open_stores

    kb = load_kb_for(config)
    directory = load_directory_for(config)
    stores = stores if stores is not None else open_stores(config.database)
    router = Router(kb, corrections_from(stores.feedback))
    doorbell = Doorbell()  # rings this process's outbox workers after each commit
    service = EscalationService(
        stores.escalations, kb, directory, router=router, notifier=notifier or doorbell
    )
    runner = CommandRunner(service, kb, directory)
    assistant = Assistant(router, kb, directory, stores.feedback, runner, service)
    # every surface counts questions (metrics) and records routed topics for the team digests
    from bot.digest.topics import AskedQuestionLog
    from bot.observability import default_metrics, instrument_assistant

    instrument_assistant(assistant, default_metrics(), AskedQuestionLog(stores.asked))
    from bot.identities import Identities

    identities = Identities(directory, stores.identities)
    assistant.identities = identities
    core = Core(config, kb, directory, stores, router, service, assistant, doorbell, identities=identities)
    from bot.standup.chat import build_standup, handle_standup_dm, handle_standup_text

    core.standup = build_standup(core)
    from bot.channels import ChannelListener

    core.channels = ChannelListener(assistant, stores.channels)
    assistant.channel_commands.append(core.channels.command)
    from bot.watchers import Watchers

    core.watchers = Watchers(service, router, kb, stores.watchers)
    assistant.text_commands.append(lambda text, actor: handle_standup_text(text, actor, core))
    # a plain DM during one's standup answers it; in channels and mentions it stays a question
    assistant.direct_commands.append(lambda text, actor: handle_standup_dm(text, actor, core))
    return core


def build_assistant(config: Config) -> Assistant:
    return build_core(config).assistant
