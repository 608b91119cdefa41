"""Standup reports as plain text and as a neutral view the platform renderers draw (pure, localised)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.directory import Directory
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.languages import pick
from bot.standup.models import Blocker, MemberStandup, StandupReport

ESCALATE_ACTION = "standup_escalate_blocker"  # Slack action_id / Teams Action.Submit data "action"


@dataclass(frozen=True)
class Names:
    """Localised names the renderers need, looked up in the knowledge base and directory."""

    kb: KnowledgeBase
    directory: Directory

    def team(self, team: str | None, language: str) -> str:
        if team is None:
            return "-"
        return self.kb.team_name(team, language)

    def person(self, person: str) -> str:
        found = self.directory.people.get(person)
        return found.name if found else person

    def why(self, blocker: Blocker, language: str) -> str | None:
        """The matched responsibility in `language` (the routing holds it in the blocker's language)."""
        parts = (blocker.routing.matched_id or "").split("/")
        if len(parts) == 3 and parts[0] in self.kb.teams:
            team = self.kb.teams[parts[0]]
            owners = [team] if parts[1] == "-" else [r for r in team.roles if r.id == parts[1]]
            for owner in owners:
                for resp in owner.responsibilities:
                    if resp.id == parts[2]:
                        return pick(resp.text, language)
        return blocker.routing.matched

    def who(self, blocker: Blocker, language: str) -> str:
        return t(
            language, "standup-blocker-by", person=blocker.person_name, team=self.team(blocker.team, language)
        )

    def route_line(self, blocker: Blocker, language: str) -> str:
        routing = blocker.routing
        if routing.team is None:
            fallback = self.directory.fallback
            where = ", ".join(
                p for p in (fallback.name_in(language), fallback.slack_channel, fallback.email) if p
            )
            return t(language, "standup-blocker-unrouted", fallback=where)
        team = self.team(routing.team, language)
        if routing.role and routing.role in self.kb.roles:
            role = self.kb.roles[routing.role].name(language)
            line = t(language, "standup-blocker-routed", team=team, role=role)
        else:
            line = t(language, "standup-blocker-routed-team", team=team)
        why = self.why(blocker, language)
        return f"{line} · {t(language, 'standup-blocker-why', why=why)}" if why else line


def title(report: StandupReport, names: Names, language: str) -> str:
    return t(
        language,
        "standup-report-title",
        team=names.team(report.team, language),
        date=report.run_date.isoformat(),
    )


def _people(people: tuple[str, ...], names: Names) -> str:
    return ", ".join(names.person(p) for p in people)


def _blocker_lines(blocker: Blocker, names: Names, language: str) -> list[str]:
    who = names.who(blocker, language)
    status = (
        t(language, "standup-blocker-escalated", ref=blocker.escalation)
        if blocker.escalation
        else t(language, "standup-blocker-id", id=blocker.key)
    )
    return [f"  - {who}: {blocker.text}", f"    {names.route_line(blocker, language)}", f"    {status}"]


def _state_line(report: StandupReport, names: Names, language: str) -> str | None:
    """Why nobody has answered: a day off (as `standup status` says it), or answers still to come."""
    if report.state == "off":
        team = names.team(report.team, language)
        return t(language, "standup-error-not-working-day", team=team, date=report.run_date.isoformat())
    return None if report.answered else t(language, "standup-report-empty")


def report_text(report: StandupReport, names: Names, language: str) -> str:
    """The whole report as plain text (CLI preview, notification fallback, the digest's text part)."""
    lines = [title(report, names, language)]
    if report.state not in ("reported", "off"):
        lines.append(t(language, "standup-report-state-open"))
    if state := _state_line(report, names, language):
        lines.append(state)
    for member in report.answered:
        lines.append("")
        lines.append(member.name)
        for answer in member.answers:
            lines.append(f"  {answer.question}")
            lines.extend(f"    {row}" for row in answer.text.splitlines())
    notes = [t(language, "standup-missing", people=_people(report.missing, names))] if report.missing else []
    if report.skipped:
        notes.append(t(language, "standup-skipped-list", people=_people(report.skipped, names)))
    lines.extend(["", *notes] if notes else [])
    for key, blockers in (
        ("standup-section-blockers", report.blockers),
        ("standup-section-blocking-others", report.blocking_others),
    ):
        if blockers:
            lines.append("")
            lines.append(t(language, key, count=len(blockers)))
            for blocker in blockers:
                lines.extend(_blocker_lines(blocker, names, language))
    return "\n".join(lines).rstrip()


@dataclass(frozen=True)
class BlockerView:
    """One blocker, localised: who reports it, on what, where it goes, and what can be done now."""

    key: str
    who: str
    text: str  # the person's own words
    route: str  # who it was routed to, and why
    escalated: str | None  # "Escalated as ESC-4" once it is an escalation
    button: str | None  # "Escalate to Warehouse" while it can be escalated (routed, not yet escalated)


@dataclass(frozen=True)
class StandupView:
    """A standup report as neutral, localised parts; each platform's renderer draws them
    (handlers/slack/render/standup.py, handlers/teams/render/standup.py)."""

    title: str
    state: str | None  # a day off, or nobody has answered yet
    members: tuple[MemberStandup, ...]
    notes: tuple[str, ...]  # who is missing, who is away
    sections: tuple[tuple[str, tuple[BlockerView, ...]], ...]  # (title, blockers), empty ones left out


def _blocker_view(blocker: Blocker, names: Names, language: str) -> BlockerView:
    escalated = button = None
    if blocker.escalation:
        escalated = t(language, "standup-blocker-escalated", ref=blocker.escalation)
    elif blocker.routing.team is not None:
        team = names.team(blocker.routing.team, language)
        button = t(language, "standup-button-escalate", team=team)
    route = names.route_line(blocker, language)
    return BlockerView(blocker.key, names.who(blocker, language), blocker.text, route, escalated, button)


def report_view(report: StandupReport, names: Names, language: str) -> StandupView:
    """The report as the parts every platform shows, in `language`."""
    notes = [t(language, "standup-missing", people=_people(report.missing, names))] if report.missing else []
    if report.skipped:
        notes.append(t(language, "standup-skipped-list", people=_people(report.skipped, names)))
    sections = tuple(
        (
            t(language, key, count=len(blockers)),
            tuple(_blocker_view(b, names, language) for b in blockers),
        )
        for key, blockers in (
            ("standup-section-blockers", report.blockers),
            ("standup-section-blocking-others", report.blocking_others),
        )
        if blockers
    )
    return StandupView(
        title(report, names, language),
        _state_line(report, names, language),
        report.answered,
        tuple(notes),
        sections,
    )


@dataclass(frozen=True)
class StandupSection:
    """The standup part of a team digest: its plain text and the view platform renderers draw."""

    text: str
    view: StandupView


def standup_section(report: StandupReport, names: Names, language: str) -> StandupSection:
    return StandupSection(report_text(report, names, language), report_view(report, names, language))
