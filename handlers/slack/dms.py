"""The bot's DM channel with each Slack user (conversations.open, cached): the notifier and the standup
prompter share one cache."""

from __future__ import annotations

import threading

from slack_sdk import WebClient


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
