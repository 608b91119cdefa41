"""The fan-out notifier used when Slack and Teams share one process."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.escalations.models import Actor, Escalation, Outcome, State
from bot.ports import FanoutNotifier


class Recording:
    def __init__(self, fail: bool = False) -> None:
        self.seen: list[Outcome] = []
        self.fail = fail

    def notify(self, outcome: Outcome) -> None:
        self.seen.append(outcome)
        if self.fail:
            raise RuntimeError("chat API down")


def _outcome() -> Outcome:
    esc = Escalation(1, "s", "it", "P2", State.OPEN, 0, Actor("cli", "ada"), datetime.now(UTC))
    return Outcome("created", esc)


def test_every_notifier_is_told_even_when_one_fails() -> None:
    first, broken, last = Recording(), Recording(fail=True), Recording()
    FanoutNotifier([first, broken, last]).notify(_outcome())
    assert [len(n.seen) for n in (first, broken, last)] == [1, 1, 1]
