"""Plain-text digests (CLI preview, stdout poster, the notification text beside cards)."""

from __future__ import annotations

from bot import times
from bot.digest import format as fmt
from bot.digest.model import Digest, DigestItem, LeadershipDigest, Section, TeamDigest
from bot.i18n import t


def headline(digest: Digest) -> str:
    """The one-line title (also the Slack/Teams notification text)."""
    when = fmt.day(digest.run_date, digest.language)
    if isinstance(digest, LeadershipDigest):
        return t(digest.language, "digest-leadership-title", date=when)
    return t(digest.language, "digest-title", team=digest.team_name, date=when)


def period(digest: Digest) -> str:
    lang, zone = digest.language, digest.zone
    return t(
        lang,
        "digest-period",
        since=fmt.moment(digest.since, lang, zone),
        until=fmt.moment(digest.until, lang, zone),
        zone=times.zone_name(zone, lang),
    )


def item_line(
    item: DigestItem, language: str, *, resolved: bool = False, with_team: str | None = None
) -> str:
    head = f"{item.ref} · {item.priority}"
    if with_team:
        head += f" · {with_team}"
    return f"{head} · {fmt.short(item.summary)} ({fmt.item_details(item, language, resolved=resolved)})"


def _section(title: str, section: Section, language: str, *, resolved: bool = False) -> list[str]:
    lines = [title]
    if not section.items:
        lines.append(f"  {t(language, 'digest-none')}")
    lines += [f"  - {item_line(item, language, resolved=resolved)}" for item in section.items]
    if section.more:
        lines.append(f"  {t(language, 'digest-more', count=section.more)}")
    return lines


def team_text(digest: TeamDigest) -> str:
    lang = digest.language
    lines = [headline(digest), period(digest), ""]
    if digest.quiet:
        return "\n".join([*lines, t(lang, "digest-quiet")])
    for key, section, resolved in (
        ("digest-section-overdue", digest.overdue, False),
        ("digest-section-new", digest.new, False),
        ("digest-section-open", digest.open, False),
        ("digest-section-resolved", digest.resolved, True),
    ):
        lines += [*_section(t(lang, key, count=section.total), section, lang, resolved=resolved), ""]
    if digest.topics:
        lines.append(t(lang, "digest-section-topics"))
        lines += [
            f"  - {topic.label} ({t(lang, 'digest-asked', count=topic.count)})" for topic in digest.topics
        ]
        lines.append("")
    if digest.gaps:
        lines.append(t(lang, "digest-section-gaps", count=sum(g.count for g in digest.gaps)))
        lines += [
            f'  - "{fmt.short(gap.label)}" ({t(lang, "digest-asked", count=gap.count)})'
            for gap in digest.gaps
        ]
        lines.append(f"  {t(lang, 'digest-gaps-hint')}")
    if digest.undelivered_total:
        lines += ["", t(lang, "digest-section-undelivered", count=digest.undelivered_total)]
        lines += [f"  - {fmt.undelivered_line(notice, lang)}" for notice in digest.undelivered]
        lines.append(f"  {t(lang, 'digest-undelivered-hint')}")
    for part in digest.parts:
        lines += ["", part.text]
    return "\n".join(lines).rstrip()


def leadership_text(digest: LeadershipDigest) -> str:
    lang = digest.language
    lines = [
        headline(digest),
        period(digest),
        "",
        fmt.totals_line(digest),
        "",
        t(lang, "digest-section-load"),
    ]
    lines += [f"  - {load.team_name}: {fmt.load_details(load, lang)}" for load in digest.teams]
    lines += ["", t(lang, "digest-section-breaches", count=digest.breaches.total)]
    if not digest.breaches.items:
        lines.append(f"  {t(lang, 'digest-none')}")
    names = {load.team: load.team_name for load in digest.teams}
    lines += [
        f"  - {item_line(item, lang, with_team=names.get(item.team, item.team))}"
        for item in digest.breaches.items
    ]
    if digest.breaches.more:
        lines.append(f"  {t(lang, 'digest-more', count=digest.breaches.more)}")
    return "\n".join(lines)


def digest_text(digest: Digest) -> str:
    """The whole digest as plain text, times in the team's zone."""
    if isinstance(digest, LeadershipDigest):
        return leadership_text(digest)
    return team_text(digest)
