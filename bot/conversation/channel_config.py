"""Channels rolebot listens to without being addressed: request channels and reaction escalation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_REACTION = "ticket"  # Slack's name for 🎫


class ChannelConfigError(ValueError):
    """The directory's `listen:` section is malformed; the message names the entry."""


@dataclass(frozen=True)
class ListenChannel:
    """One channel named in the directory: its ids per platform and what rolebot does there."""

    name: str
    slack: str | None = None
    teams: str | None = None
    team: str | None = None  # the team whose channel it is: that team's owners may switch it
    requests: bool = False  # answer new top-level questions and requests in their thread
    reactions: bool = False  # the reaction emoji on a message opens an escalation (Slack)
    emoji: str = DEFAULT_REACTION
    owners: tuple[str, ...] = ()  # person ids who may switch the channel off and on

    def id_on(self, platform: str) -> str | None:
        return self.slack if platform == "slack" else self.teams if platform == "teams" else None


def _emoji(value: Any, where: str) -> str:
    name = str(value).strip().strip(":")
    if not name or any(ch.isspace() for ch in name):
        raise ChannelConfigError(f"{where}: bad reaction {value!r}, use an emoji name such as ticket")
    return name


def _flag(raw: Mapping[str, Any], key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ChannelConfigError(f"{where}.{key}: use true or false, got {value!r}")
    return value


def parse_listen(raw: Mapping[str, Any] | None) -> tuple[tuple[ListenChannel, ...], str]:
    """The `listen:` section: (channels, default reaction). Absent: no channels, the 🎫 reaction."""
    if not raw:
        return (), DEFAULT_REACTION
    if not isinstance(raw, Mapping):
        raise ChannelConfigError("listen: expected a mapping with `reaction` and `channels`")
    default = _emoji(raw.get("reaction", DEFAULT_REACTION), "listen.reaction")
    channels = []
    for name, entry in (raw.get("channels") or {}).items():
        where = f"listen.channels.{name}"
        if not isinstance(entry, Mapping):
            raise ChannelConfigError(f"{where}: expected a mapping")
        slack, teams = entry.get("slack"), entry.get("teams")
        if not slack and not teams:
            raise ChannelConfigError(f"{where}: give its `slack` channel id or its `teams` channel id")
        channels.append(
            ListenChannel(
                name=str(name),
                slack=str(slack) if slack else None,
                teams=str(teams) if teams else None,
                team=str(entry["team"]) if entry.get("team") else None,
                requests=_flag(entry, "requests", where),
                reactions=_flag(entry, "reactions", where),
                emoji=_emoji(entry["emoji"], f"{where}.emoji") if entry.get("emoji") else default,
                owners=tuple(str(x) for x in entry.get("owners") or ()),
            )
        )
    return tuple(channels), default
