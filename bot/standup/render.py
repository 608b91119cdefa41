"""Standup reports as plain text, Block Kit blocks and Adaptive Card elements (pure, localised)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.directory import Directory
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.languages import pick
from bot.markup import slack_escape, teams_escape
from bot.standup.models import Blocker, StandupReport

ESCALATE_ACTION = "standup_escalate_blocker"  # Slack action_id / Teams Action.Submit data "action"
MAX_BLOCK_TEXT = 2900  # Slack caps a section's text at 3000 characters


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


def _clip(text: str) -> str:
    return text if len(text) <= MAX_BLOCK_TEXT else text[: MAX_BLOCK_TEXT - 1] + "…"


def _blocker_block(blocker: Blocker, names: Names, language: str) -> dict[str, Any]:
    who = names.who(blocker, language)
    block: dict[str, Any] = {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": _clip(
                f"*{slack_escape(who)}*: {slack_escape(blocker.text)}\n"
                f"{slack_escape(names.route_line(blocker, language))}"
            ),
        },
    }
    if blocker.escalation:
        block["text"]["text"] += "\n" + t(language, "standup-blocker-escalated", ref=blocker.escalation)
    elif blocker.routing.team is not None:
        block["accessory"] = {
            "type": "button",
            "action_id": ESCALATE_ACTION,
            "value": blocker.key,
            "text": {
                "type": "plain_text",
                "text": t(
                    language, "standup-button-escalate", team=names.team(blocker.routing.team, language)
                )[:75],
            },
        }
    return block


def report_blocks(report: StandupReport, names: Names, language: str) -> list[dict[str, Any]]:
    """Slack Block Kit: a header, one section per member, who is missing, blockers with a button."""
    head = {"type": "plain_text", "text": title(report, names, language)[:150]}
    blocks: list[dict[str, Any]] = [{"type": "header", "text": head}]
    if state := _state_line(report, names, language):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": state}]})
    for member in report.answered:
        body = "\n".join(f"_{slack_escape(a.question)}_\n{slack_escape(a.text)}" for a in member.answers)
        text = _clip(f"*{slack_escape(member.name)}*\n{body}")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    notes = [t(language, "standup-missing", people=_people(report.missing, names))] if report.missing else []
    if report.skipped:
        notes.append(t(language, "standup-skipped-list", people=_people(report.skipped, names)))
    if notes:
        elements = [{"type": "mrkdwn", "text": slack_escape(n)} for n in notes]
        blocks.append({"type": "context", "elements": elements})
    for key, blockers in (
        ("standup-section-blockers", report.blockers),
        ("standup-section-blocking-others", report.blocking_others),
    ):
        if blockers:
            blocks.append({"type": "divider"})
            blocks.append(
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": f"*{t(language, key, count=len(blockers))}*"},
                }
            )
            blocks.extend(_blocker_block(b, names, language) for b in blockers)
    return blocks


def _card_blocker(blocker: Blocker, names: Names, language: str) -> dict[str, Any]:
    who = names.who(blocker, language)
    items: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": f"**{teams_escape(who)}**: {teams_escape(blocker.text)}", "wrap": True},
        {
            "type": "TextBlock",
            "text": teams_escape(names.route_line(blocker, language)),
            "wrap": True,
            "isSubtle": True,
        },
    ]
    if blocker.escalation:
        items.append(
            {
                "type": "TextBlock",
                "wrap": True,
                "text": t(language, "standup-blocker-escalated", ref=blocker.escalation),
            }
        )
    elif blocker.routing.team is not None:
        label = t(language, "standup-button-escalate", team=names.team(blocker.routing.team, language))
        items.append(
            {
                "type": "ActionSet",
                "actions": [
                    {
                        "type": "Action.Submit",
                        "data": {"action": ESCALATE_ACTION, "blocker": blocker.key},
                        "title": label,
                    }
                ],
            }
        )
    return {"type": "Container", "separator": True, "items": items}


def report_card_body(report: StandupReport, names: Names, language: str) -> list[dict[str, Any]]:
    """Adaptive Card body elements (a digest card embeds them; `report_card` wraps them)."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": title(report, names, language),
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    if state := _state_line(report, names, language):
        body.append({"type": "TextBlock", "text": state, "wrap": True})
    for member in report.answered:
        facts = [{"title": teams_escape(a.question), "value": teams_escape(a.text)} for a in member.answers]
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    {
                        "type": "TextBlock",
                        "text": teams_escape(member.name),
                        "weight": "Bolder",
                        "wrap": True,
                    },
                    {"type": "FactSet", "facts": facts},
                ],
            }
        )
    if report.missing:
        body.append(
            {
                "type": "TextBlock",
                "isSubtle": True,
                "wrap": True,
                "text": teams_escape(t(language, "standup-missing", people=_people(report.missing, names))),
            }
        )
    if report.skipped:
        body.append(
            {
                "type": "TextBlock",
                "isSubtle": True,
                "wrap": True,
                "text": teams_escape(
                    t(language, "standup-skipped-list", people=_people(report.skipped, names))
                ),
            }
        )
    for key, blockers in (
        ("standup-section-blockers", report.blockers),
        ("standup-section-blocking-others", report.blocking_others),
    ):
        if blockers:
            body.append(
                {
                    "type": "TextBlock",
                    "text": t(language, key, count=len(blockers)),
                    "weight": "Bolder",
                    "wrap": True,
                    "separator": True,
                }
            )
            body.extend(_card_blocker(b, names, language) for b in blockers)
    return body


def report_card(report: StandupReport, names: Names, language: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": report_card_body(report, names, language),
    }


@dataclass(frozen=True)
class StandupSection:
    """The standup part of a team digest, in each surface's format."""

    text: str
    blocks: list[dict[str, Any]]
    card_body: list[dict[str, Any]]


def standup_section(report: StandupReport, names: Names, language: str) -> StandupSection:
    return StandupSection(
        report_text(report, names, language),
        report_blocks(report, names, language),
        report_card_body(report, names, language),
    )
