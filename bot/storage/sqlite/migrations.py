"""Every schema migration of the SQLite backend, in the order open_database applies them."""

from __future__ import annotations

from sqlite_utils import Migrations

from bot.storage.sqlite import m_channels, m_core, m_digest, m_standup

# The order is the history of the schema: append new steps at the end, never reorder or rename
# (a step's function name is what _sqlite_migrations records as applied).
STEPS = (
    m_core.m001_initial,
    m_core.m002_feedback,
    m_core.m003_adapters,
    m_digest.m004_digest_asked_questions,
    m_core.m005_list_indexes,
    m_standup.m006_standup,
    m_core.m007_platform_identities,
    m_core.m008_requester_email,
    m_channels.m009_listen_channels,
    m_channels.m010_escalation_watchers,
    m_core.m011_sla_breaches,
    m_core.m012_outbox,
    m_core.m013_health_probe,
    m_core.m014_inbox,
    m_core.m015_inbox_lease,
)

migrations = Migrations("rolebot")
for _step in STEPS:
    migrations()(_step)
