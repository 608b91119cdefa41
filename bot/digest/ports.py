"""Outbound port for digests: each chat adapter posts a built digest to a team's channel."""

from __future__ import annotations

from typing import Protocol

from bot.digest.model import Digest


class DigestPoster(Protocol):
    """Posts `digest` for `team` (its channel; the leadership digest goes to the leadership team's).

    Raises on failure, so the run is marked failed and retried; returns once the platform accepted it."""

    def post_digest(self, team: str, digest: Digest) -> None: ...
