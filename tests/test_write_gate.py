"""The in-process write gate: one writer per file, a request's commit before its ack goes first."""

from __future__ import annotations

import threading
import time

from bot.storage.sqlite.database import WriteGate


def _wait_for(condition: object) -> None:
    deadline = time.monotonic() + 10  # waits for a thread to get there; never a measurement
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the thread never got there"
        time.sleep(0.001)


def test_an_urgent_writer_goes_before_one_that_waited_longer() -> None:
    gate = WriteGate()
    order: list[str] = []
    release = threading.Event()

    def hold() -> None:
        with gate.held():
            release.wait(10)

    def write(name: str, urgent: bool) -> None:
        with gate.held(urgent):
            order.append(name)

    holder = threading.Thread(target=hold)
    holder.start()
    _wait_for(lambda: gate._owner is not None)
    background = threading.Thread(target=write, args=("background", False))
    background.start()
    urgent = threading.Thread(target=write, args=("ack", True))
    urgent.start()
    _wait_for(lambda: gate._urgent == 1)
    release.set()
    for thread in (holder, background, urgent):
        thread.join(10)
    assert order == ["ack", "background"]
