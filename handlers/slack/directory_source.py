"""The Slack workspace as a directory source: users.list, usergroups.users.list, conversations.list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.directory_sync import PlatformUser

PAGE = 200  # Slack's recommended page size for cursor-paginated methods
SLACKBOT = "USLACKBOT"


def _pages(call: Any, key: str, **args: Any) -> Iterator[Any]:
    """Every item of a cursor-paginated Web API method (a 429 is retried by the client's handler)."""
    cursor = None
    while True:
        response = call(limit=PAGE, cursor=cursor, **args) if cursor else call(limit=PAGE, **args)
        yield from response.get(key) or ()
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return


def platform_user(member: dict[str, Any]) -> PlatformUser:
    profile = member.get("profile") or {}
    name = member.get("real_name") or profile.get("real_name") or member.get("name") or member["id"]
    return PlatformUser(
        id=str(member["id"]),
        name=str(name),
        email=profile.get("email") or None,
        deleted=bool(member.get("deleted")),
        bot=bool(member.get("is_bot")) or member["id"] == SLACKBOT,
    )


class SlackDirectorySource:
    """Reads people, user groups and channels (scopes users:read, users:read.email, usergroups:read,
    channels:read, groups:read)."""

    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._users: list[PlatformUser] | None = None
        self._channels: set[str] | None = None

    def users(self) -> list[PlatformUser]:
        if self._users is None:
            self._users = [platform_user(m) for m in _pages(self.client.users_list, "members")]
        return self._users

    def group_members(self, group: str) -> list[str] | None:
        try:
            return [str(u) for u in _pages(self.client.usergroups_users_list, "users", usergroup=group)]
        except SlackApiError as exc:
            if exc.response.get("error") in ("no_such_subteam", "subteam_not_found"):
                return None
            raise

    def channel_exists(self, channel: str) -> bool | None:
        if self._channels is None:
            listing = _pages(
                self.client.conversations_list, "channels", types="public_channel,private_channel"
            )
            self._channels = {key for c in listing for key in (str(c["id"]), f"#{c.get('name', '')}")}
        return channel in self._channels
