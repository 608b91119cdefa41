"""Outbound ports: small Protocols the core calls and each chat adapter implements."""

from __future__ import annotations

from typing import Protocol

from bot.escalations.models import Outcome


class Notifier(Protocol):
    """Tells people about escalation changes (team channel card, requester DM, next level on a bump)."""

    def notify(self, outcome: Outcome) -> None: ...


class NullNotifier:
    """Tells nobody: the CLI and tests that do not care about notifications."""

    def notify(self, outcome: Outcome) -> None:
        return None
