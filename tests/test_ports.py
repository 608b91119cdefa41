"""The fan-out notifier used when Slack and Teams share one process."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import RecordingNotifier

from bot.escalations.models import Actor, Escalation, Outcome, State
from bot.ports import FanoutNotifier


def _outcome() -> Outcome:
    esc = Escalation(1, "s", "it", "P2", State.OPEN, 0, Actor("cli", "ada"), datetime.now(UTC))
    return Outcome("created", esc)


def test_every_notifier_is_told_even_when_one_fails() -> None:
    first, broken, last = RecordingNotifier(), RecordingNotifier(fail=True), RecordingNotifier()
    FanoutNotifier([first, broken, last]).notify(_outcome())
    assert [len(n.outcomes) for n in (first, broken, last)] == [1, 1, 1]
