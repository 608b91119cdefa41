"""Standup test helpers: an organisation with standups, a settable clock, a recording prompter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from clocks import ManualClock

from bot.directory import Directory, Person, bundled_directory_path, directory_from_dict
from bot.escalations.service import EscalationService
from bot.knowledge import KnowledgeBase
from bot.router import Router
from bot.standup.config import load_standups
from bot.standup.service import StandupService
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore
from bot.storage.sqlite.standup import SqliteStandupStore

# Tuesday 2024-06-04, Europe/Stockholm (UTC+2): ask 07:30, remind 08:30, report (digest) 09:00 local.
ASK = datetime(2024, 6, 4, 5, 30, tzinfo=UTC)
REMIND = datetime(2024, 6, 4, 6, 30, tzinfo=UTC)
REPORT = datetime(2024, 6, 4, 7, 0, tzinfo=UTC)


def standup_directory_raw(**it_block: Any) -> dict[str, Any]:
    """The bundled directory with standups for it (felix, greta) and ecommerce (ada, bo)."""
    raw: dict[str, Any] = yaml.safe_load(bundled_directory_path().read_text(encoding="utf-8"))
    raw["teams"]["it"]["standup"] = {"ask_time": "07:30", **it_block}
    raw["teams"]["ecommerce"]["standup"] = True
    return raw


Clock = ManualClock


class RecordingPrompter:
    """The StandupPrompter port's fake: records each DM; `fail_for` people's DMs raise."""

    def __init__(self, fail_for: tuple[str, ...] = ()) -> None:
        self.asked: list[tuple[str, str, str, str]] = []
        self.reminded: list[tuple[str, str, str, str]] = []
        self.fail_for = fail_for

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        if person.id in self.fail_for:
            raise ConnectionError("chat API down")
        self.asked.append((person.id, team, question_text, language))

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        self.reminded.append((person.id, team, text, language))


class CrashAfter(RecordingPrompter):
    """Dies (like a killed process) when asked to DM after `count` people."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        if len(self.asked) >= self.count:
            raise SystemExit("killed")
        super().ask(person, team, question_text, language)


@dataclass
class World:
    path: Path
    raw: dict[str, Any]
    directory: Directory
    kb: KnowledgeBase
    router: Router
    clock: Clock

    def service(self, prompter: Any = None) -> StandupService:
        """A fresh service on its own connection to the same file: what a restarted process builds."""
        db = open_database(self.path)
        escalations = EscalationService(
            SqliteEscalationStore(db), self.kb, self.directory, router=self.router, clock=self.clock
        )
        return StandupService(
            SqliteStandupStore(db),
            self.directory,
            self.kb,
            self.router,
            load_standups(self.directory, raw=self.raw),
            escalations=escalations,
            prompter=prompter,
            clock=self.clock,
        )


def make_world(tmp: Path, kb: KnowledgeBase, router: Router, raw: dict[str, Any] | None = None) -> World:
    source = raw or standup_directory_raw()
    return World(tmp / "rolebot.db", source, directory_from_dict(source), kb, router, Clock(ASK))
