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


class FanoutNotifier:
    """Tells several surfaces (Slack and Teams in one process); one failing never silences the others."""

    def __init__(self, notifiers: list[Notifier]) -> None:
        self.notifiers = notifiers

    def notify(self, outcome: Outcome) -> None:
        import logging

        for notifier in self.notifiers:
            try:
                notifier.notify(outcome)
            except Exception:  # the escalation is committed; a chat API failure must not undo that
                logging.getLogger(__name__).exception("notifier %s failed", type(notifier).__name__)
