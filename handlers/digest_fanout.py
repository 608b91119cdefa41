"""FanoutDigestPoster: one digest run posted to every platform that has a channel for the team."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.digest.model import Digest
from bot.digest.ports import DigestPoster
from handlers.slack.digest_poster import DigestChannelMissing
from handlers.teams.digest_poster import DigestChannelUnknown

log = logging.getLogger(__name__)
# "This platform has nowhere to post for that team": normal when a team lives on one surface only.
NO_CHANNEL: tuple[type[Exception], ...] = (DigestChannelMissing, DigestChannelUnknown)


class DigestNotPosted(RuntimeError):
    """No platform posted the digest; the message says why for each one."""


class FanoutDigestPoster:
    """Posts to each platform in turn (Slack, then Teams). A platform without a channel for the team is
    skipped; one whose post fails is reported in the log. It raises only when no platform posted, so the
    run is retried: a retry after a partial success would post twice where it already worked, and a
    digest run is recorded once per (team, date), not per platform."""

    def __init__(self, posters: Mapping[str, DigestPoster]) -> None:
        self.posters = dict(posters)

    def post_digest(self, team: str, digest: Digest) -> None:
        posted: list[str] = []
        reasons: dict[str, str] = {}
        failure: Exception | None = None
        for platform, poster in self.posters.items():
            try:
                poster.post_digest(team, digest)
            except NO_CHANNEL as exc:
                reasons[platform] = str(exc)
            except Exception as exc:  # this platform's API error must not cost the other its digest
                reasons[platform] = f"{type(exc).__name__}: {exc}"
                failure = failure or exc
                log.error(
                    "digest post failed on one platform",
                    exc_info=True,
                    extra={"team": team, "platform": platform},
                )
            else:
                posted.append(platform)
        if not posted:
            detail = "; ".join(f"{platform}: {reason}" for platform, reason in reasons.items())
            raise DigestNotPosted(detail or "no platform configured") from failure
        if reasons:
            log.info(
                "digest posted on some platforms",
                extra={"team": team, "posted": ",".join(posted), "skipped": ",".join(reasons)},
            )
