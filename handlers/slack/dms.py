"""What the Slack notifier and standup prompter share, built before the core: the bot's DM channel with
each Slack user, and the Slack ids of people the directory file names by email only."""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.identities import Identities

log = logging.getLogger(__name__)
# a DM to a Slack id that no longer belongs to anyone: the cached id is looked up again next time
GONE_USER_ERRORS = frozenset({"user_not_found", "users_not_found", "user_disabled", "account_inactive"})


def api_error(exc: SlackApiError) -> str:
    """The Web API error code ('channel_not_found', 'ratelimited') of a failed call."""
    data = getattr(exc.response, "data", None)
    return str(data.get("error")) if isinstance(data, dict) and data.get("error") else str(exc)


class DmChannels:
    """Slack user id -> the bot's DM channel with them, opened once per process."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._channels: dict[str, str] = {}
        self._lock = threading.Lock()

    def __call__(self, user_id: str) -> str:
        with self._lock:
            cached = self._channels.get(user_id)
        if cached:
            return cached
        response = self.client.conversations_open(users=user_id)
        channel = str(response["channel"]["id"])
        with self._lock:
            self._channels[user_id] = channel
        return channel

    def forget(self, user_id: str) -> None:
        with self._lock:
            self._channels.pop(user_id, None)


class SlackPeopleIds:
    """Slack ids of people the file names by email only: users.lookupByEmail, remembered in Identities;
    a learned id that stops working is forgotten (with its DM channel), so the person is looked up again."""

    def __init__(self, client: WebClient, identities: Identities, dm_channels: DmChannels) -> None:
        self.client, self.identities, self.dm_channels = client, identities, dm_channels
        self._failed: set[str] = set()  # learned ids that stopped working: their people are looked up again
        self._lock = threading.Lock()

    def stale(self, user_id: str | None) -> bool:
        """`user_id` was learned by email and has stopped working since."""
        with self._lock:
            return user_id in self._failed

    def forget_id(self, user_id: str) -> bool:
        """A Slack id that no longer works: forgotten when it was learned by email (True), so the person
        is looked up again; the file's ids stay."""
        forgotten = self.identities.failed("slack", user_id)
        with self._lock:
            self._failed.update(forgotten)
        for gone in forgotten:
            self.dm_channels.forget(gone)
        return bool(forgotten)

    def person_slack_id(self, person_id: str) -> str | None:
        """The person's Slack id: from the directory, the cache, else users.lookupByEmail."""
        return self.identities.platform_id(person_id, "slack", self._lookup_email)

    def _lookup_email(self, email: str) -> str | None:
        """users.lookupByEmail: None when Slack has nobody (active) with that email; raises on other
        errors (a 429 past the client's retry), so the caller tries again later."""
        try:
            user = self.client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as exc:
            if api_error(exc) not in ("users_not_found", "user_not_found"):
                raise
            log.info("users.lookupByEmail: no Slack user for %s", email)
            return None
        return None if user.get("deleted") else str(user["id"])
