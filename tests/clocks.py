"""A clock tests move by hand: every service takes any `() -> datetime`."""

from __future__ import annotations

from datetime import datetime, timedelta


class ManualClock:
    """Returns `now` until a test advances it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
