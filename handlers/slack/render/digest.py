"""Digests as Slack Block Kit: pure functions returning the message payload (text + blocks)."""

from __future__ import annotations

from typing import Any

from bot.digest import format as fmt
from bot.digest.model import Digest, DigestItem, LeadershipDigest, Section, TeamDigest
from bot.digest.render_text import headline, period
from bot.i18n import t
from bot.markup import slack_escape as escape  # people's words never become mentions or links
from handlers.slack.render.standup import report_blocks

Block = dict[str, Any]
SECTION_CHARS = 3000  # Block Kit limit for a section's text
HEADER_CHARS = 150
MAX_BLOCKS = 50  # Slack refuses a message with more blocks


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_CHARS)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, SECTION_CHARS)}]}


def _ref(item: DigestItem) -> str:
    # Only http(s) links become Slack links; anything else is shown as the plain reference.
    if item.link and item.link.startswith(("https://", "http://")):
        return f"<{escape(item.link)}|{item.ref}>"
    return f"`{item.ref}`"


def item_mrkdwn(item: DigestItem, language: str, *, resolved: bool = False, team: str | None = None) -> str:
    where = f" · {escape(team)}" if team else ""
    details = fmt.item_details(item, language, resolved=resolved)
    return f"• {_ref(item)} *{item.priority}*{where} {escape(fmt.short(item.summary))} — _{escape(details)}_"


def _list(
    title: str,
    section: Section,
    language: str,
    *,
    resolved: bool = False,
    teams: dict[str, str] | None = None,
) -> Block:
    lines = [f"*{escape(title)}*"]
    lines += [
        item_mrkdwn(
            item,
            language,
            resolved=resolved,
            team=teams.get(item.team, item.team) if teams is not None else None,
        )
        for item in section.items
    ] or [f"_{t(language, 'digest-none')}_"]
    if section.more:
        lines.append(f"_{t(language, 'digest-more', count=section.more)}_")
    return _md("\n".join(lines))


def _top(digest: Digest) -> list[Block]:
    return [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _clip(headline(digest), HEADER_CHARS), "emoji": False},
        },
        _context(escape(period(digest))),
    ]


def team_blocks(digest: TeamDigest) -> list[Block]:
    lang = digest.language
    blocks = _top(digest)
    if digest.quiet:
        return [*blocks, _md(escape(t(lang, "digest-quiet")))]
    for key, section, resolved in (
        ("digest-section-overdue", digest.overdue, False),
        ("digest-section-new", digest.new, False),
        ("digest-section-open", digest.open, False),
        ("digest-section-resolved", digest.resolved, True),
    ):
        blocks.append(_list(t(lang, key, count=section.total), section, lang, resolved=resolved))
    if digest.topics:
        lines = [f"*{escape(t(lang, 'digest-section-topics'))}*"]
        lines += [
            f"• {escape(topic.label)} — _{t(lang, 'digest-asked', count=topic.count)}_"
            for topic in digest.topics
        ]
        blocks += [{"type": "divider"}, _md("\n".join(lines))]
    if digest.gaps:
        title = t(lang, "digest-section-gaps", count=sum(g.count for g in digest.gaps))
        lines = [f"*{escape(title)}*"]
        lines += [
            f"• “{escape(fmt.short(gap.label))}” — _{t(lang, 'digest-asked', count=gap.count)}_"
            for gap in digest.gaps
        ]
        blocks += [{"type": "divider"}, _md("\n".join(lines)), _context(escape(t(lang, "digest-gaps-hint")))]
    if digest.undelivered_total:
        lines = [f"*{escape(t(lang, 'digest-section-undelivered', count=digest.undelivered_total))}*"]
        lines += [f"• {escape(fmt.undelivered_line(notice, lang))}" for notice in digest.undelivered]
        hint = _context(escape(t(lang, "digest-undelivered-hint")))
        blocks += [{"type": "divider"}, _md("\n".join(lines)), hint]
    for part in digest.parts:
        blocks += [{"type": "divider"}, *report_blocks(part.standup)]
    return blocks[:MAX_BLOCKS]


def leadership_blocks(digest: LeadershipDigest) -> list[Block]:
    lang = digest.language
    blocks = _top(digest)
    blocks.append(_md(escape(fmt.totals_line(digest))))
    lines = [f"*{escape(t(lang, 'digest-section-load'))}*"]
    lines += [
        f"• *{escape(load.team_name)}*: {escape(fmt.load_details(load, lang))}" for load in digest.teams
    ]
    blocks += [{"type": "divider"}, _md("\n".join(lines)), {"type": "divider"}]
    names = {load.team: load.team_name for load in digest.teams}
    blocks.append(
        _list(
            t(lang, "digest-section-breaches", count=digest.breaches.total),
            digest.breaches,
            lang,
            teams=names,
        )
    )
    return blocks


def digest_blocks(digest: Digest) -> list[Block]:
    if isinstance(digest, LeadershipDigest):
        return leadership_blocks(digest)
    return team_blocks(digest)


def digest_message(digest: Digest) -> dict[str, Any]:
    """chat.postMessage arguments (without channel): notification text plus blocks."""
    return {"text": headline(digest), "blocks": digest_blocks(digest), "unfurl_links": False}
