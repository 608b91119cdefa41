"""What standups keep: a run per team and local date, who was asked, and their answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class StandupRun:
    """One team's standup on one local date. state: open (taking answers) | reported."""

    id: int
    team: str
    run_date: date
    state: str
    created_at: datetime
    asked_at: datetime | None
    reminded_at: datetime | None
    reported_at: datetime | None

    @property
    def open(self) -> bool:
        return self.state == "open"


@dataclass(frozen=True)
class Prompt:
    """A participant of a run. ask_state: pending | sending | asked | answering (answered unasked)."""

    person: str
    ask_state: str
    asked_at: datetime | None
    reminded_at: datetime | None
    skipped_at: datetime | None
    language: str


@dataclass(frozen=True)
class StoredAnswer:
    person: str
    question: str
    text: str
    updated_at: datetime


class StandupStore(Protocol):
    """Runs under a unique (team, date) key, per-person prompts and answers; every write is atomic."""

    def open_run(self, team: str, run_date: date, now: datetime) -> tuple[StandupRun, bool]:
        """The (team, date) run, created when missing; True when this call created it."""

    def run(self, team: str, run_date: date) -> StandupRun | None: ...

    def run_by_id(self, run_id: int) -> StandupRun | None: ...

    def runs_on(self, run_date: date) -> list[StandupRun]: ...

    def open_runs(self, teams: list[str]) -> list[StandupRun]:
        """Open runs of `teams`, newest date first."""

    def stamp_run(self, run_id: int, column: str, now: datetime) -> bool:
        """Set asked_at / reminded_at once; True for the one caller that set it."""

    def close_run(self, run_id: int, now: datetime) -> bool:
        """Mark the run reported (answers are final from here on); True for the one caller that did."""

    def add_participants(self, run_id: int, people: dict[str, str]) -> None:
        """Prompt rows (person -> language) for everyone not yet in the run, all pending."""

    def prompts(self, run_id: int) -> dict[str, Prompt]: ...

    def claim_ask(self, run_id: int, person: str, now: datetime) -> bool:
        """Take the right to ask `person` (pending -> sending). Only one caller ever gets it."""

    def finish_ask(self, run_id: int, person: str, sent: bool) -> None:
        """After the DM: asked, or back to pending when the platform refused it (asked again later)."""

    def claim_remind(self, run_id: int, person: str, now: datetime) -> bool: ...

    def set_skipped(self, run_id: int, person: str, language: str, now: datetime | None) -> bool:
        """Skip (or with None, un-skip) `person` in an open run; False when the run is reported."""

    def save_answers(
        self, run_id: int, person: str, language: str, parts: list[tuple[str, str, bool]], now: datetime
    ) -> bool:
        """Store (question, text, append) parts in one transaction; False when the run is reported.
        A person answering before being asked gets a prompt (state answering), which also lifts a skip."""

    def answers(self, run_id: int, person: str | None = None) -> list[StoredAnswer]: ...
