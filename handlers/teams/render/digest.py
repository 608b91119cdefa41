"""Digests as Teams Adaptive Cards: pure functions returning card JSON and the message activity."""

from __future__ import annotations

from typing import Any

from bot.digest import format as fmt
from bot.digest.model import Digest, DigestItem, LeadershipDigest, Section, TeamDigest
from bot.digest.render_text import headline, period
from bot.i18n import t
from bot.markup import teams_escape as escape  # people's words never become links or emphasis
from handlers.teams.render.standup import report_card_body

Element = dict[str, Any]
CARD_VERSION = "1.4"  # what Teams renders on every client (desktop, web, mobile)
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _heading(text: str) -> Element:
    return _text(escape(text), weight="Bolder", spacing="Medium", separator=True)


def _item(item: DigestItem, language: str, *, resolved: bool = False, team: str | None = None) -> Element:
    where = f" · {escape(team)}" if team else ""
    ref = item.ref
    if item.link and item.link.startswith(("https://", "http://")):
        ref = f"[{item.ref}]({item.link})"
    late = item.overdue_by is not None and not resolved
    return {
        "type": "Container",
        "spacing": "Small",
        "items": [
            _text(
                f"**{ref}** · {item.priority}{where} · {escape(fmt.short(item.summary))}",
                color="Attention" if late else "Default",
            ),
            _text(
                escape(fmt.item_details(item, language, resolved=resolved)),
                isSubtle=True,
                size="Small",
                spacing="None",
            ),
        ],
    }


def _section(
    title: str,
    section: Section,
    language: str,
    *,
    resolved: bool = False,
    teams: dict[str, str] | None = None,
) -> list[Element]:
    body = [_heading(title)]
    body += [
        _item(
            item,
            language,
            resolved=resolved,
            team=teams.get(item.team, item.team) if teams is not None else None,
        )
        for item in section.items
    ] or [_text(escape(t(language, "digest-none")), isSubtle=True)]
    if section.more:
        body.append(_text(escape(t(language, "digest-more", count=section.more)), isSubtle=True))
    return body


def _card(digest: Digest, body: list[Element]) -> dict[str, Any]:
    top = [
        _text(escape(headline(digest)), size="Large", weight="Bolder"),
        _text(escape(period(digest)), isSubtle=True, size="Small", spacing="None"),
    ]
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": top + body,
    }


def team_card(digest: TeamDigest) -> dict[str, Any]:
    lang = digest.language
    if digest.quiet:
        return _card(digest, [_text(escape(t(lang, "digest-quiet")))])
    body: list[Element] = []
    for key, section, resolved in (
        ("digest-section-overdue", digest.overdue, False),
        ("digest-section-new", digest.new, False),
        ("digest-section-open", digest.open, False),
        ("digest-section-resolved", digest.resolved, True),
    ):
        body += _section(t(lang, key, count=section.total), section, lang, resolved=resolved)
    if digest.topics:
        body.append(_heading(t(lang, "digest-section-topics")))
        body.append(
            {
                "type": "FactSet",
                "facts": [
                    {"title": topic.label, "value": t(lang, "digest-asked", count=topic.count)}
                    for topic in digest.topics
                ],
            }
        )
    if digest.gaps:
        body.append(_heading(t(lang, "digest-section-gaps", count=sum(g.count for g in digest.gaps))))
        body += [
            _text(
                f"“{escape(fmt.short(gap.label))}” · {t(lang, 'digest-asked', count=gap.count)}",
                spacing="Small",
            )
            for gap in digest.gaps
        ]
        body.append(_text(escape(t(lang, "digest-gaps-hint")), isSubtle=True, size="Small"))
    if digest.undelivered_total:
        body.append(_heading(t(lang, "digest-section-undelivered", count=digest.undelivered_total)))
        body += [_text(escape(fmt.undelivered_line(n, lang)), spacing="Small") for n in digest.undelivered]
        body.append(_text(escape(t(lang, "digest-undelivered-hint")), isSubtle=True, size="Small"))
    for part in digest.parts:
        body += report_card_body(part.standup)
    return _card(digest, body)


def leadership_card(digest: LeadershipDigest) -> dict[str, Any]:
    lang = digest.language
    body = [
        _text(escape(fmt.totals_line(digest))),
        _heading(t(lang, "digest-section-load")),
        {
            "type": "FactSet",
            "facts": [
                {"title": load.team_name, "value": fmt.load_details(load, lang)} for load in digest.teams
            ],
        },
    ]
    names = {load.team: load.team_name for load in digest.teams}
    body += _section(
        t(lang, "digest-section-breaches", count=digest.breaches.total), digest.breaches, lang, teams=names
    )
    return _card(digest, body)


def digest_card(digest: Digest) -> dict[str, Any]:
    if isinstance(digest, LeadershipDigest):
        return leadership_card(digest)
    return team_card(digest)


def digest_activity(digest: Digest) -> dict[str, Any]:
    """A Bot Framework message activity carrying the card (summary = the notification text)."""
    return {
        "type": "message",
        "summary": headline(digest),
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": digest_card(digest)}],
    }
