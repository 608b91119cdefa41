"""The organisation's directory: people, team channels, escalation policies and working hours."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.conversation.channel_config import DEFAULT_REACTION, ChannelConfigError, ListenChannel, parse_listen
from bot.knowledge import bundled_knowledge_dir
from bot.languages import DEFAULT_LANGUAGE, normalise_language

PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class DirectoryError(ValueError):
    """The directory file is malformed; the message names the entry."""


def parse_duration(value: str | int | float) -> timedelta:
    """'15m', '4h', '1.5h', '2d' (24h days) or a number of seconds."""
    if isinstance(value, int | float):
        return timedelta(seconds=float(value))
    match = _DURATION.match(str(value))
    if not match:
        raise DirectoryError(f"bad duration {value!r}: use e.g. 30m, 4h or 2d")
    return timedelta(seconds=float(match.group(1)) * _DURATION_UNITS[match.group(2)])


def parse_time(value: Any, where: str) -> time:
    """'09:30' -> time(9, 30); a clear DirectoryError naming `where` otherwise."""
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise DirectoryError(f"{where}: bad time {value!r}, use HH:MM") from None


@dataclass(frozen=True)
class Person:
    """Someone in the organisation and their ids on each chat platform."""

    id: str
    name: str
    slack: str | None = None
    ms_teams: str | None = None  # Microsoft Teams user id (not to be confused with the company's teams)
    email: str | None = None
    language: str | None = None
    timezone: str | None = None  # IANA zone times are shown to this person in (else their team's)

    def platform_id(self, platform: str) -> str | None:
        """This person's id on `platform` ("slack" or "teams", as Actor.platform names them)."""
        return {"slack": self.slack, "teams": self.ms_teams}.get(platform)


@dataclass(frozen=True)
class Level:
    """One step of an escalation chain: who is notified at that level."""

    name: str
    notify: str  # "channel", "role:<role-id>", "person:<person-id>" or "team:<team-id>"


@dataclass(frozen=True)
class EscalationPolicy:
    """How long a team may take per priority, and whom to escalate to when it does not act."""

    chain: tuple[Level, ...]
    ack: Mapping[str, timedelta]
    resolve: Mapping[str, timedelta]
    around_the_clock: frozenset[str] = frozenset({"P1"})
    repeat: int = 0


@dataclass(frozen=True)
class Schedule:
    """Working hours, days, time zone and holidays used for SLA clocks and digests."""

    timezone: str = "UTC"
    start: time = time(9, 0)
    end: time = time(17, 0)
    days: frozenset[int] = frozenset(range(5))  # Monday=0
    holidays: frozenset[str] = frozenset()  # ISO dates
    holiday_country: str | None = None  # e.g. "SE" for the `holidays` package

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class TeamContact:
    """Where and how to reach one team."""

    team: str
    slack_channel: str | None = None
    slack_usergroup: str | None = None
    teams_channel: str | None = None
    teams_team: str | None = None  # the Teams team whose roster adds members (`rolebot directory sync`)
    owners: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    leads: Mapping[str, str] = field(default_factory=dict)  # role id -> person id
    language: str = DEFAULT_LANGUAGE
    schedule: Schedule = field(default_factory=Schedule)
    digest_time: time = time(9, 0)
    policy: EscalationPolicy | None = None


@dataclass(frozen=True)
class Fallback:
    """Where to send people when no team matches."""

    name: str
    slack_channel: str | None = None
    teams_channel: str | None = None
    email: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)  # language -> name, when given per language

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.name


@dataclass(frozen=True)
class Directory:
    """People, team contacts, admins and the fallback contact."""

    people: Mapping[str, Person]
    teams: Mapping[str, TeamContact]
    admins: frozenset[str]
    fallback: Fallback
    default_policy: EscalationPolicy
    # (platform, user id) -> person id, learned at run time by email (bot/identities.py)
    learned: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)
    # (platform, team id) -> person ids in the team's Slack user group / Teams team, read at run time
    platform_members: dict[tuple[str, str], frozenset[str]] = field(
        default_factory=dict, compare=False, repr=False
    )
    channels: tuple[ListenChannel, ...] = ()  # request channels and reaction escalation (`listen:`)
    reaction: str = DEFAULT_REACTION
    default_timezone: str = "UTC"

    def listen_channel(self, platform: str, channel_id: str | None) -> ListenChannel | None:
        """The `listen:` entry for this platform's channel id, if the directory names it."""
        if not channel_id:
            return None
        return next((c for c in self.channels if c.id_on(platform) == channel_id), None)

    def language_of(self, person_id: str | None, default: str = "en") -> str:
        """The language `person_id` reads: theirs in the directory, else `default`."""
        person = self.people.get(person_id or "")
        return person.language if person is not None and person.language else default

    def zone_of(self, person_id: str | None) -> str:
        """The zone to show `person_id` times in: their own, else their first team's, else the default."""
        person = self.people.get(person_id or "")
        if person is not None and person.timezone:
            return person.timezone
        teams = self.teams_of(person_id) if person_id else []
        return self.contact(teams[0]).schedule.timezone if teams else self.default_timezone

    def contact(self, team_id: str) -> TeamContact:
        return self.teams.get(team_id) or TeamContact(team=team_id, policy=self.default_policy)

    def policy(self, team_id: str) -> EscalationPolicy:
        return self.contact(team_id).policy or self.default_policy

    def person_for(self, platform: str, user_id: str) -> Person | None:
        """The person whose `platform` id (slack/teams/cli) is `user_id`; cli ids are person ids."""
        if platform == "cli":
            return self.people.get(user_id)
        for person in self.people.values():
            if person.platform_id(platform) == user_id:
                return person
        learned = self.learned.get((platform, user_id))
        return self.people.get(learned) if learned else None

    def person_by_email(self, email: str | None) -> Person | None:
        wanted = (email or "").strip().casefold()
        return next(
            (p for p in self.people.values() if wanted and (p.email or "").casefold() == wanted), None
        )

    def learn(self, platform: str, user_id: str, email: str | None) -> Person | None:
        """Remember that `user_id` on `platform` is the person with `email` (when the file has one)."""
        person = self.person_by_email(email)
        if person is not None:
            self.learned[(platform, user_id)] = person.id
        return person

    def forget(self, platform: str, user_id: str) -> None:
        self.learned.pop((platform, user_id), None)

    def platform_id(self, person_id: str, platform: str) -> str | None:
        """The person's id on `platform`: from the file, else learned at run time."""
        person = self.people.get(person_id)
        static = person.platform_id(platform) if person else None
        if static:
            return str(static)
        return next(
            (uid for (plat, uid), pid in self.learned.items() if plat == platform and pid == person_id), None
        )

    def members_of(self, team_id: str) -> frozenset[str]:
        """The team's people: owners and members the file names, plus its platform group's members."""
        contact = self.contact(team_id)
        from_groups = (ids for (_, team), ids in self.platform_members.items() if team == team_id)
        return frozenset(contact.members).union(contact.owners, *from_groups)

    def is_member(self, team_id: str, person_id: str) -> bool:
        return person_id in self.members_of(team_id)

    def is_admin(self, person_id: str) -> bool:
        return person_id in self.admins

    def teams_of(self, person_id: str) -> list[str]:
        return [t for t in self.teams if person_id in self.members_of(t)]


def _policy(raw: Mapping[str, Any] | None, default: EscalationPolicy | None, where: str) -> EscalationPolicy:
    if raw is None:
        if default is None:
            raise DirectoryError(f"{where}: an escalation policy is required")
        return default
    base = default
    chain_raw = raw.get("chain")
    if chain_raw is None and base is not None:
        chain = base.chain
    else:
        chain = tuple(
            Level(name=str(item.get("name", item.get("notify"))), notify=str(item["notify"]))
            if isinstance(item, Mapping)
            else Level(name=str(item), notify=str(item))
            for item in chain_raw or ("channel",)
        )
    ack = {p: parse_duration(v) for p, v in (raw.get("ack") or {}).items()}
    resolve = {p: parse_duration(v) for p, v in (raw.get("resolve") or {}).items()}
    for priority in PRIORITIES:
        if priority not in ack:
            if base is None:
                raise DirectoryError(f"{where}: ack time for {priority} missing")
            ack[priority] = base.ack[priority]
        if priority not in resolve:
            if base is None:
                raise DirectoryError(f"{where}: resolve time for {priority} missing")
            resolve[priority] = base.resolve[priority]
    around = raw.get("around_the_clock")
    return EscalationPolicy(
        chain=chain,
        ack=ack,
        resolve=resolve,
        around_the_clock=frozenset(around)
        if around is not None
        else (base.around_the_clock if base else frozenset({"P1"})),
        repeat=int(raw.get("repeat", base.repeat if base else 0)),
    )


def parse_schedule(
    raw: Mapping[str, Any], default: Schedule, where: str, *, add_holidays: bool = False
) -> Schedule:
    """A Schedule from `raw` (timezone, working_hours, working_days, holidays, holiday_country), each
    falling back to `default`; `add_holidays` adds the dates to the default's instead of replacing them."""
    tz = str(raw.get("timezone", default.timezone))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise DirectoryError(f"{where}: unknown time zone {tz!r}") from None
    hours = raw.get("working_hours")
    start, end = default.start, default.end
    if hours:
        first, _, last = str(hours).partition("-")
        start, end = parse_time(first, where), parse_time(last, where)
    days = default.days
    if "working_days" in raw:
        try:
            days = frozenset(WEEKDAYS.index(str(d).lower()[:3]) for d in raw["working_days"] or ())
        except ValueError:
            raise DirectoryError(f"{where}: working_days must be names like mon, tue") from None
    own = frozenset(str(d) for d in raw.get("holidays") or ())
    holidays = (default.holidays | own) if add_holidays else (own if "holidays" in raw else default.holidays)
    country = raw.get("holiday_country", default.holiday_country)
    return Schedule(tz, start, end, days, holidays, str(country) if country else None)


def _zone(value: Any, where: str) -> str | None:
    if not value:
        return None
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise DirectoryError(f"{where}: unknown time zone {value!r}") from None
    return str(value)


def person_key(person: Mapping[str, Any], platform: str) -> str:
    """The directory file's key for a person's `platform` id: Teams ids sit under `ms_teams:` or the older
    `teams:` (the one the entry already uses, else `teams:`); Slack ids under `slack:`."""
    return "ms_teams" if platform == "teams" and "ms_teams" in person else platform


def directory_from_dict(raw: Mapping[str, Any]) -> Directory:
    """Build a Directory from the parsed YAML (see knowledge/directory.yaml)."""
    people = {
        str(pid): Person(
            id=str(pid),
            name=str(p.get("name", pid)),
            slack=p.get("slack"),
            ms_teams=p.get(person_key(p, "teams")),
            email=p.get("email"),
            language=normalise_language(p["language"]) if p.get("language") else None,
            timezone=_zone(p.get("timezone"), f"people.{pid}"),
        )
        for pid, p in (raw.get("people") or {}).items()
    }
    defaults = raw.get("defaults") or {}
    default_schedule = parse_schedule(defaults, Schedule(), "defaults")
    default_policy = _policy(defaults.get("escalation"), None, "defaults.escalation")
    default_language = normalise_language(defaults.get("language"))
    default_digest = parse_time(defaults.get("digest_time", "09:00"), "defaults.digest_time")
    teams = {}
    for team_id, t in (raw.get("teams") or {}).items():
        where = f"teams.{team_id}"
        t = t or {}
        teams[str(team_id)] = TeamContact(
            team=str(team_id),
            slack_channel=t.get("slack_channel"),
            slack_usergroup=t.get("slack_usergroup"),
            teams_channel=t.get("teams_channel"),
            teams_team=t.get("teams_team"),
            owners=tuple(str(x) for x in t.get("owners") or ()),
            members=tuple(str(x) for x in t.get("members") or ()),
            leads={str(k): str(v) for k, v in (t.get("leads") or {}).items()},
            language=normalise_language(t["language"]) if t.get("language") else default_language,
            schedule=parse_schedule(t, default_schedule, where),
            digest_time=parse_time(t["digest_time"], where) if t.get("digest_time") else default_digest,
            policy=_policy(t.get("escalation"), default_policy, f"{where}.escalation"),
        )
    fb = raw.get("fallback") or {}
    raw_name = fb.get("name", "your manager")
    names = (
        {normalise_language(k): str(v) for k, v in raw_name.items()} if isinstance(raw_name, Mapping) else {}
    )
    fallback = Fallback(
        name=names.get(DEFAULT_LANGUAGE) or next(iter(names.values()), None) or str(raw_name),
        names=names,
        slack_channel=fb.get("slack_channel"),
        teams_channel=fb.get("teams_channel"),
        email=fb.get("email"),
    )
    try:
        channels, reaction = parse_listen(raw.get("listen"))
    except ChannelConfigError as exc:
        raise DirectoryError(str(exc)) from None
    return Directory(
        people=people,
        teams=teams,
        admins=frozenset(str(a) for a in raw.get("admins") or ()),
        fallback=fallback,
        default_policy=default_policy,
        channels=channels,
        reaction=reaction,
        default_timezone=default_schedule.timezone,
    )


def bundled_directory_path() -> Path:
    return bundled_knowledge_dir() / "directory.yaml"


def load_directory(path: Path | None = None) -> Directory:
    """Load the directory YAML (the bundled example when `path` is None)."""
    file = path or bundled_directory_path()
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DirectoryError(f"{file}: directory file not found") from None
    except IsADirectoryError:
        message = f"{file} is a folder: point ROLEBOT_DIRECTORY at a directory YAML file"
        raise DirectoryError(message) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryError(f"{file}: cannot read the directory file ({exc})") from None
    except yaml.YAMLError as exc:
        raise DirectoryError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise DirectoryError(f"{file}: expected a mapping at the top level")
    try:
        return directory_from_dict(raw)
    except DirectoryError as exc:
        raise DirectoryError(f"{file}: {exc}") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise DirectoryError(f"{file}: malformed entry ({exc})") from None
