"""`rolebot directory sync|check`: the directory file compared with a chat platform's people and groups."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.directory import person_key

PLATFORMS = ("slack", "teams")


@dataclass(frozen=True)
class PlatformUser:
    """A person as the platform knows them; `email` is None when the platform does not say."""

    id: str
    name: str
    email: str | None
    deleted: bool = False
    bot: bool = False
    chat_id: str | None = None  # the id to message them by when it is not `id` (Teams: the 29: user id)


class DirectorySource(Protocol):
    """What a platform tells about its people (Slack Web API, Teams roster), read-only."""

    platform: str

    def users(self) -> list[PlatformUser]:
        """Every user of the workspace or tenant the bot can see."""
        ...

    def group_members(self, group: str) -> list[str] | None:
        """User ids of a Slack user group / Teams team; None when the platform does not know it."""
        ...

    def channel_exists(self, channel: str) -> bool | None:
        """Whether a channel (name or id) exists; None when this platform cannot tell."""
        ...


@dataclass(frozen=True)
class Change:
    """One difference: `kind` is a stable code, `person`/`team` what it is about, `detail` the rest."""

    kind: str
    person: str = ""
    team: str = ""
    detail: str = ""


# kinds, in the order they are reported
KINDS = (
    "new-person",
    "asker",
    "joined",
    "left-team",
    "left",
    "id",
    "email",
    "renamed",
    "unknown-email",
    "unknown-id",
    "no-email",
    "unknown-group",
    "unknown-channel",
)


@dataclass
class SyncReport:
    """The changes found and the directory (parsed YAML) with them applied."""

    platform: str
    changes: list[Change] = field(default_factory=list)
    directory: dict[str, Any] = field(default_factory=dict)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def sorted(self) -> list[Change]:
        return sorted(self.changes, key=lambda c: (KINDS.index(c.kind), c.team, c.person))


def group_field(platform: str) -> str:
    """The directory team field naming the platform group whose members join the team."""
    return "slack_usergroup" if platform == "slack" else "teams_team"


def _email(value: Any) -> str | None:
    return str(value).strip().casefold() if value else None


def person_id_for(user: PlatformUser, taken: set[str]) -> str:
    """A new directory id: the email's local part ('eva.lind@x' -> 'eva.lind'), else the name, unique."""
    base = (user.email or "").split("@")[0] or user.name or user.id
    ascii_base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_base).strip("-.") or user.id.lower()
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


class _Sync:
    """Applies what the platform says to a copy of the directory, recording every change."""

    def __init__(self, raw: Mapping[str, Any], platform: str, users: list[PlatformUser]) -> None:
        self.platform = platform
        self.report = SyncReport(platform, directory=copy.deepcopy(dict(raw)))
        self.people: dict[str, dict[str, Any]] = self.report.directory.setdefault("people", {}) or {}
        self.report.directory["people"] = self.people
        # a user by either of their ids: the file may name a Teams user by AAD object id or 29: id
        self.users = {key: u for u in users for key in (u.chat_id, u.id) if key}
        self.by_email = {_email(u.email): u for u in users if u.email and not u.bot}
        self.person_by_email = {
            _email(p.get("email")): pid for pid, p in self.people.items() if p.get("email")
        }
        self.person_by_id = {
            str(p[person_key(p, platform)]): pid
            for pid, p in self.people.items()
            if p.get(person_key(p, platform))
        }

    def note(self, kind: str, person: str = "", team: str = "", detail: str = "") -> None:
        self.report.changes.append(Change(kind, person, team, detail))

    def people_pass(self) -> None:
        """Match the file's people to platform users: by email, else by their platform id."""
        for pid, person in self.people.items():
            email = _email(person.get("email"))
            known_id = str(person.get(person_key(person, self.platform)) or "")
            user = self.by_email.get(email) if email else self.users.get(known_id)
            if user is None:
                if email:
                    self.note("unknown-email", pid, detail=str(person.get("email")))
                continue
            if user.deleted:
                self.note("left", pid, detail=f"{self.platform} user {user.id} is deactivated")
                continue
            self._update(pid, person, user)

    def _update(self, pid: str, person: dict[str, Any], user: PlatformUser) -> None:
        key = person_key(person, self.platform)
        if person.get(key) not in {user.id, user.chat_id} - {None}:
            old = person.get(key)
            self.note("id", pid, detail=f"{old} -> {user.id}" if old else user.id)
            person[key] = user.id
            self.person_by_id[user.id] = pid
        if user.email and not person.get("email"):
            self.note("email", pid, detail=user.email)
            person["email"] = user.email
            self.person_by_email[_email(user.email)] = pid
        if user.name and person.get("name") and person["name"] != user.name:
            self.note("renamed", pid, detail=f"{person['name']} -> {user.name}")
            person["name"] = user.name

    def person_for(self, user: PlatformUser) -> str:
        """The directory person for a group member, added to people when the file does not have them."""
        pid = self.person_by_email.get(_email(user.email)) if user.email else None
        pid = pid or self.person_by_id.get(user.id) or self.person_by_id.get(user.chat_id or "")
        if pid is not None:
            return pid
        pid = person_id_for(user, set(self.people))
        entry: dict[str, Any] = {"name": user.name or pid, self.platform: user.id}
        if user.email:
            entry["email"] = user.email
            self.person_by_email[_email(user.email)] = pid
        else:
            self.note("no-email", pid, detail=f"{self.platform} user {user.id} has no email; keyed by its id")
        self.people[pid] = entry
        self.person_by_id[user.id] = pid
        self.note("new-person", pid, detail=f"{user.name} <{user.email or 'no email'}>")
        return pid

    def team_pass(self, team_id: str, team: dict[str, Any], member_ids: list[str]) -> None:
        """The team's members become its owners plus the group's current members."""
        active = [self.users[m] for m in member_ids if m in self.users and not self.users[m].deleted]
        in_group = [self.person_for(u) for u in active if not u.bot]
        owners = [str(o) for o in team.get("owners") or ()]
        before = [str(m) for m in team.get("members") or ()]
        after = list(dict.fromkeys([*owners, *in_group]))
        for pid in after:
            if pid not in before:
                self.note("joined", pid, team_id)
        for pid in before:
            if pid not in after:
                self.note("left-team", pid, team_id)
        team["members"] = after


def plan_sync(
    raw: Mapping[str, Any],
    source: DirectorySource,
    users: list[PlatformUser] | None = None,
    askers: Sequence[str] = (),
) -> SyncReport:
    """What changes when the directory (parsed YAML) follows what `source` says now; `askers` are
    platform ids of people who used the bot without a directory entry (they are added as people)."""
    sync = _Sync(raw, source.platform, source.users() if users is None else users)
    sync.people_pass()
    for user_id in askers:
        user = sync.users.get(user_id)
        if user is None or user.deleted or user.bot or {user.id, user.chat_id} & sync.person_by_id.keys():
            continue
        known = user.email and _email(user.email) in sync.person_by_email
        pid = sync.person_for(user)
        if not known:
            sync.note("asker", pid, detail=f"used the bot as {source.platform} user {user_id}")
    key = group_field(source.platform)
    for team_id, team in (sync.report.directory.get("teams") or {}).items():
        group = (team or {}).get(key)
        if not group:
            continue
        members = source.group_members(str(group))
        if members is None:
            sync.note(
                "unknown-group", team=str(team_id), detail=f"{key} {group} is not known to {source.platform}"
            )
            continue
        sync.team_pass(str(team_id), team, members)
    return sync.report


def check_directory(raw: Mapping[str, Any], source: DirectorySource) -> list[Change]:
    """People, groups and channels in the directory that the platform does not know (nothing is changed):
    the teams' and the fallback's channels and the `listen:` request channels."""
    users = source.users()
    report = plan_sync(raw, source, users)
    problems = [c for c in report.changes if c.kind in ("unknown-email", "left", "unknown-group")]
    people = raw.get("people") or {}
    known_ids = {key for u in users if not u.deleted for key in (u.id, u.chat_id) if key}
    for pid, person in people.items():
        platform_id = person.get(person_key(person, source.platform))
        if platform_id and not person.get("email") and str(platform_id) not in known_ids:
            problems.append(
                Change("unknown-id", str(pid), detail=f"{source.platform} id {platform_id} is unknown")
            )
    channel_key = f"{source.platform}_channel"
    places = [(str(t), (c or {}).get(channel_key)) for t, c in (raw.get("teams") or {}).items()]
    places.append(("fallback", (raw.get("fallback") or {}).get(channel_key)))
    listen = (raw.get("listen") or {}).get("channels") or {}
    places += [(f"listen:{name}", (entry or {}).get(source.platform)) for name, entry in listen.items()]
    for team_id, channel in places:
        if channel and source.channel_exists(str(channel)) is False:
            key = f"listen.{source.platform}" if team_id.startswith("listen:") else channel_key
            problems.append(Change("unknown-channel", team=team_id, detail=f"{key} {channel}"))
    return sorted(problems, key=lambda c: (KINDS.index(c.kind), c.team, c.person))


__all__ = [
    "PLATFORMS",
    "Change",
    "DirectorySource",
    "PlatformUser",
    "SyncReport",
    "check_directory",
    "group_field",
    "plan_sync",
]
