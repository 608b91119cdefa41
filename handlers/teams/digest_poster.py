"""TeamsDigestPoster (bot.digest.ports.DigestPoster): a digest as an Adaptive Card in the team channel."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from bot.digest.model import Digest
from bot.directory import Directory
from bot.storage.refs import LATEST, TeamsRefStore, channel_key
from handlers.teams.notifier import TeamsConnector
from handlers.teams.render.digest import digest_activity

SEND_TIMEOUT = 60.0


class DigestChannelUnknown(LookupError):
    """No channel in the directory, or no conversation reference to reach it yet."""


class TeamsDigestPoster:
    """Sends through the Bot Framework connector. Called from the scheduler's thread: with `loop` (the
    server's running event loop) the send runs there; without one it runs on a loop of its own (CLI)."""

    def __init__(
        self,
        connector: TeamsConnector,
        refs: TeamsRefStore,
        directory: Directory,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.connector, self.refs, self.directory, self.loop = connector, refs, directory, loop

    def reference(self, team: str) -> dict[str, Any]:
        channel = self.directory.contact(team).teams_channel
        if not channel:
            raise DigestChannelUnknown(f"no teams_channel for team {team!r} in the directory")
        found = self.refs.reference(channel_key(channel))
        if found is not None:
            return found
        latest = self.refs.reference(LATEST)
        if latest is None:
            raise DigestChannelUnknown("no Teams conversation seen yet: add the bot to the team first")
        # Not talked in that channel yet: address it on the service we know (the bot is in the team).
        return {**latest, "conversation": {"id": channel, "isGroup": True, "conversationType": "channel"}}

    def post_digest(self, team: str, digest: Digest) -> None:
        self._wait(self.connector.send(self.reference(team), digest_activity(digest)))

    def _wait(self, work: Coroutine[Any, Any, Any]) -> None:
        if self.loop is not None and self.loop.is_running():
            asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=SEND_TIMEOUT)
        else:
            asyncio.run(work)
