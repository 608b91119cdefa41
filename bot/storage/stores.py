"""The set of stores a process works with (bot/storage/backends.py opens one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.storage.channels import ChannelStore, WatcherStore
from bot.storage.delivery import InboxStore, OutboxStore
from bot.storage.digest import AskedQuestionStore, DigestQueryStore, DigestRunStore
from bot.storage.escalations import EscalationStore
from bot.storage.feedback import FeedbackStore
from bot.storage.health import HealthStore
from bot.storage.identities import IdentityStore
from bot.storage.refs import SlackRefStore, TeamsRefStore
from bot.storage.standup import StandupStore


@dataclass(frozen=True)
class Stores:
    """Every store on one connection to one database; `close` ends that connection."""

    escalations: EscalationStore
    outbox: OutboxStore
    inbox: Callable[[str], InboxStore]  # platform -> its inbox
    feedback: FeedbackStore
    asked: AskedQuestionStore
    digest_queries: DigestQueryStore
    digest_runs: DigestRunStore
    standups: StandupStore
    identities: IdentityStore
    channels: ChannelStore
    watchers: WatcherStore
    slack_refs: SlackRefStore
    teams_refs: TeamsRefStore
    health: HealthStore
    close: Callable[[], None]
