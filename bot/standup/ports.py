"""Outbound port for standups: each chat adapter asks and reminds people in a direct message."""

from __future__ import annotations

from typing import Protocol

from bot.directory import Person


class StandupPrompter(Protocol):
    """Sends standup messages to one person (Slack DM, Teams personal chat, CLI output).

    Raise on failure: the person is then asked again on the next scheduler tick."""

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None: ...

    def remind(self, person: Person, team: str, text: str, language: str) -> None: ...


class NullPrompter:
    """Tells nobody (the CLI preview and cores without a chat adapter)."""

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        return None

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        return None
