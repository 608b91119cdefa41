"""Group commit for the inbox: concurrent requests' rows committed together, each ack released after."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.storage.delivery import Accepted, InboxRequest, InboxRow, InboxStore

MAX_BATCH = 256  # rows in one transaction: a burst larger than this takes two commits


class _Waiter:
    __slots__ = ("done", "request", "result", "wake")

    def __init__(self, request: InboxRequest) -> None:
        self.request = request
        self.result: Accepted | BaseException = False
        self.done = False
        self.wake = threading.Event()

    def outcome(self) -> bool:
        if isinstance(self.result, BaseException):
            raise self.result  # as Future.result() does: every waiter raises the batch's error
        return self.result


class GroupCommitInbox:
    """An InboxStore whose `accept` is group-committed, as databases commit their log: requests that
    arrive while a commit is being written wait for the next one, which takes them all in a single
    transaction (one fsync) through `accept_many`; each caller returns when its own row is committed,
    with its own answer. No thread of its own and no delay: the first caller waiting leads the next
    commit (as LevelDB's writers do), so a lone request commits at once, as before.

    Everything else goes straight to the wrapped store."""

    def __init__(self, store: InboxStore, max_batch: int = MAX_BATCH) -> None:
        self.store = store
        self.shared = store.shared
        self.max_batch = max_batch
        self._queue: deque[_Waiter] = deque()  # the front is the caller committing (or about to)
        self._lock = threading.Lock()

    def accept(self, key: str, route: str | None, payload: dict[str, Any] | None) -> bool:
        """Commit the request (its work pending when `route` is given, else only its key); False when
        the key was taken in before. Returns once the row is committed (or raises: not committed)."""
        me = _Waiter(InboxRequest(key, route, payload))
        with self._lock:
            self._queue.append(me)
            leads = len(self._queue) == 1
        if not leads:
            me.wake.wait()  # set when a leader committed our row, or when we are at the front
            if me.done:
                return me.outcome()
        self._commit_front()
        return me.outcome()

    def _commit_front(self) -> None:
        with self._lock:
            batch = [self._queue[i] for i in range(min(self.max_batch, len(self._queue)))]
        try:
            results: Sequence[Accepted | BaseException] = self.store.accept_many([w.request for w in batch])
        except BaseException as exc:  # nothing of the batch was committed: every request hears why
            results = [exc] * len(batch)
        with self._lock:
            for waiter, result in zip(batch, results, strict=True):
                waiter.result, waiter.done = result, True
                self._queue.popleft()
            following = self._queue[0] if self._queue else None
        for waiter in batch[1:]:
            waiter.wake.set()
        if following is not None:  # it found a commit under way: it leads the next one
            following.wake.set()

    def accept_many(self, requests: Sequence[InboxRequest]) -> list[Accepted]:
        return self.store.accept_many(requests)

    def remember(self, keys: list[str]) -> None:
        self.store.remember(keys)

    def known(self, key: str) -> bool:
        return self.store.known(key)

    def finish(self, key: str, state: str = "done") -> None:
        self.store.finish(key, state)

    def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int = 100, *, everything: bool = False
    ) -> list[InboxRow]:
        return self.store.claim(owner, now, lease, limit, everything=everything)

    def renew(self, owner: str, keys: Sequence[str], until: datetime) -> None:
        self.store.renew(owner, keys, until)

    def unfinished(self, limit: int = 10_000) -> list[InboxRow]:
        return self.store.unfinished(limit)

    def prune(self, older_than: datetime) -> int:
        return self.store.prune(older_than)

    def pending(self) -> int:
        return self.store.pending()
