"""SlackDigestPoster (bot.digest.ports.DigestPoster): a digest as Block Kit in the team's channel."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.digest.model import Digest
from bot.directory import Directory
from handlers.slack.render.digest import digest_message


class DigestChannelMissing(LookupError):
    """The directory names no channel for the team on this platform."""


class SlackDigestPoster:
    """chat.postMessage to the team's slack_channel; a SlackApiError propagates so the run is retried."""

    def __init__(self, client: WebClient, directory: Directory) -> None:
        self.client, self.directory = client, directory

    def post_digest(self, team: str, digest: Digest) -> None:
        channel = self.directory.contact(team).slack_channel
        if not channel:
            raise DigestChannelMissing(f"no slack_channel for team {team!r} in the directory")
        self.client.chat_postMessage(channel=channel, **digest_message(digest))
