"""Microsoft Teams rosters as a directory source: paged team members and team channels, read once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.config import Config, ConfigError
from bot.directory_sync import PlatformUser

log = logging.getLogger(__name__)
PAGE = 200
RETRIES = 3  # a throttled (429) read is tried this many more times, after the Retry-After it gives
MAX_WAIT = 30.0
T = TypeVar("T")


def _status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


async def _retrying(call: Callable[[], Awaitable[T]]) -> T:
    for attempt in range(RETRIES + 1):
        try:
            return await call()
        except Exception as exc:  # msrest raises ErrorResponseException / HttpOperationError
            if _status(exc) != 429 or attempt == RETRIES:
                raise
            headers = getattr(getattr(exc, "response", None), "headers", None) or {}
            wait = min(float(headers.get("Retry-After") or 1), MAX_WAIT)
            log.info("teams roster read throttled; retrying in %.0fs", wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")


def platform_user(member: Mapping[str, Any]) -> PlatformUser:
    """A TeamsChannelAccount: keyed by its AAD object id (the same for every bot), email or UPN."""
    email = member.get("email") or member.get("userPrincipalName")
    return PlatformUser(
        id=str(member.get("aadObjectId") or member["id"]),
        name=str(member.get("name") or member["id"]),
        email=str(email) if email and "@" in str(email) else None,
        chat_id=str(member["id"]) if member.get("aadObjectId") else None,
    )


@dataclass
class TeamsDirectorySource:
    """Members and channels of the Teams teams the directory names, read before the comparison."""

    rosters: Mapping[str, list[PlatformUser] | None]
    channels: Mapping[str, list[str] | None] = field(default_factory=dict)
    platform: str = "teams"

    def users(self) -> list[PlatformUser]:
        seen: dict[str, PlatformUser] = {}
        for roster in self.rosters.values():
            for user in roster or ():
                seen.setdefault(user.id, user)
        return list(seen.values())

    def group_members(self, group: str) -> list[str] | None:
        roster = self.rosters.get(group)
        return None if roster is None else [u.id for u in roster]

    def channel_exists(self, channel: str) -> bool | None:
        known = [c for listing in self.channels.values() for c in listing or ()]
        return channel in known if known else None


async def _members(reader: Any, team: str) -> list[PlatformUser] | None:
    users: list[PlatformUser] = []
    token = None
    while True:
        try:
            page, token = await _retrying(
                lambda token=token: reader.members_page(team, token, PAGE)  # type: ignore[misc]
            )
        except Exception as exc:
            if _status(exc) in (403, 404):
                return None
            raise
        users.extend(platform_user(m) for m in page)
        if not token:
            return users


async def _channels(reader: Any, team: str) -> list[str] | None:
    try:
        return list(await _retrying(lambda: reader.channel_ids(team)))
    except Exception as exc:
        if _status(exc) in (403, 404):
            return None
        raise


async def read_teams(bridge: Any, reference: Mapping[str, Any], teams: Iterable[str]) -> TeamsDirectorySource:
    """Read every team's roster and channels in one proactive turn on `reference`'s service."""
    rosters: dict[str, list[PlatformUser] | None] = {}
    channels: dict[str, list[str] | None] = {}

    async def work(reader: Any) -> None:
        for team in dict.fromkeys(teams):
            rosters[team] = await _members(reader, team)
            channels[team] = await _channels(reader, team) if rosters[team] is not None else None

    await bridge.read_teams(reference, work)
    return TeamsDirectorySource(rosters, channels)


def teams_source(config: Config, raw: Mapping[str, Any]) -> TeamsDirectorySource:
    """The Teams source for `rolebot directory`: the rosters and channels of the teams the directory
    names and of those the bot has been seen in, read on the service of the bot's last conversation."""
    from bot.storage.backends import open_stores
    from bot.storage.refs import LATEST
    from handlers.teams.bot_adapter import BotFrameworkBridge, settings_from

    refs = open_stores(config.database).teams_refs if config.has_database() else None
    reference = refs.reference(LATEST) if refs is not None else None
    if refs is None or reference is None:
        raise ConfigError("no Teams conversation seen yet: install the bot in a team, then sync")
    named = [str(t["teams_team"]) for t in (raw.get("teams") or {}).values() if t and t.get("teams_team")]
    teams = [*named, *refs.team_ids()]  # people and channels of every team the bot is in
    bridge = BotFrameworkBridge(settings_from(config))
    return asyncio.run(read_teams(bridge, reference, teams))


ROSTER_REFRESH_SECONDS = 3600  # rosters change rarely; membership checks read the last answer
ROSTER_TIMEOUT = 120.0


def roster_refresh(
    bridge: Any, refs: Any, core: Any, loop: asyncio.AbstractEventLoop
) -> Callable[[], dict[str, int]] | None:
    """A job for the scheduler's thread: read the rosters of the Teams teams the directory names into
    it (their members may then act for the team); None when no team names one."""
    from bot.storage.refs import LATEST

    teams = [str(c.teams_team) for c in core.directory.teams.values() if c.teams_team]
    identities = core.identities
    if identities is None or not teams:
        return None

    def refresh() -> dict[str, int]:
        reference = refs.reference(LATEST)
        if reference is None:
            log.info("no Teams conversation seen yet: rosters are read once the bot has one")
            return {}
        future = asyncio.run_coroutine_threadsafe(read_teams(bridge, reference, teams), loop)
        found: dict[str, int] = identities.refresh_groups(future.result(timeout=ROSTER_TIMEOUT))
        log.info("teams rosters read", extra={"teams": found})
        return found

    return refresh
