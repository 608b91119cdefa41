"""Finding a Teams user by email in the rosters of the teams the bot is in (for people the file names
by email only)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.directory import Directory
from bot.directory_sync import PlatformUser
from bot.storage.refs import LATEST, TeamsRefStore
from handlers.teams.directory_source import _members, _retrying, _status, platform_user

log = logging.getLogger(__name__)
MISSING_SECONDS = 600.0  # an email no roster has is not searched for again this soon


@dataclass(frozen=True)
class Found:
    """A Teams user found by email: the id to message them by and every id they are known by."""

    user_id: str
    ids: tuple[str, ...]
    name: str


def _found(user: PlatformUser) -> Found:
    ids = tuple(dict.fromkeys(i for i in (user.chat_id, user.id) if i))
    return Found(ids[0], ids, user.name)


def _matches(user: PlatformUser, email: str) -> bool:
    return (user.email or "").casefold() == email.casefold()


class RosterSearch:
    """email -> Teams user, read on the service of the bot's last conversation: first one member read per
    team by UPN (GET /v3/conversations/{team}/members/{email}), then, when the UPN is not the email, the
    teams' paged rosters. A throttled read waits its Retry-After; a team the bot left is skipped."""

    def __init__(
        self,
        bridge: Any,
        refs: TeamsRefStore,
        teams: Callable[[], Iterable[str]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bridge, self.refs, self.teams, self.clock = bridge, refs, teams, clock
        self._missing: dict[str, float] = {}

    async def __call__(self, email: str) -> Found | None:
        key = email.strip().casefold()
        missed = self._missing.get(key)
        if missed is not None and self.clock() - missed < MISSING_SECONDS:
            return None
        reference = self.refs.reference(LATEST)
        teams = list(dict.fromkeys([*self.refs.team_ids(), *self.teams()]))
        if reference is None or not teams:
            log.info("no Teams team known yet: cannot look up %s", email)
            return None
        found: list[Found] = []

        async def work(reader: Any) -> None:
            user = await _by_upn(reader, teams, key) or await _by_roster(reader, teams, key)
            if user is not None:
                found.append(_found(user))

        await self.bridge.read_teams(reference, work)
        if not found:
            self._missing[key] = self.clock()
            return None
        self._missing.pop(key, None)
        return found[0]


async def _by_upn(reader: Any, teams: list[str], email: str) -> PlatformUser | None:
    for team in teams:
        try:
            member: Mapping[str, Any] = await _retrying(lambda team=team: reader.member(team, email))  # type: ignore[misc]
        except Exception as exc:
            if _status(exc) in (400, 403, 404):  # not in this team (or the bot is not)
                continue
            raise
        return platform_user(member)  # the connector found the member by that UPN
    return None


async def _by_roster(reader: Any, teams: list[str], email: str) -> PlatformUser | None:
    for team in teams:
        for user in await _members(reader, team) or ():
            if _matches(user, email):
                return user
    return None


def roster_search(bridge: Any, refs: TeamsRefStore, directory: Directory) -> RosterSearch:
    """The search over the teams the bot has seen plus the Teams teams the directory names."""
    return RosterSearch(
        bridge, refs, lambda: [str(c.teams_team) for c in directory.teams.values() if c.teams_team]
    )
