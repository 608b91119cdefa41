"""What a Teams answer card shows beside the core's Answer: team pickers and the contact as chat links."""

from __future__ import annotations

from urllib.parse import quote

from bot.conversation.answers import Answer
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.markup import teams_escape
from handlers.teams.render.cards import TeamChoice

TEAMS_CHAT = "https://teams.microsoft.com/l/chat/0/0?users="


def team_choices(kb: KnowledgeBase, language: str) -> list[TeamChoice]:
    """Every team as (id, localised name), sorted by name, for pickers."""
    return sorted(
        ((team_id, team.name(language)) for team_id, team in kb.teams.items()),
        key=lambda choice: choice[1].casefold(),
    )


def teams_contact(answer: Answer) -> str | None:
    """How to reach the team in Teams, as card Markdown: its owners as chat links (by e-mail); when
    nobody knows, the fallback by name and e-mail. Never Slack channels or user groups."""
    if answer.contact is None:
        fallback = answer.fallback
        if answer.problem or fallback is None:
            return None
        where = ", ".join(p for p in (fallback.name_in(answer.language), fallback.email) if p)
        return teams_escape(t(answer.language, "answer-dont-know-fallback", fallback=where))
    parts = []
    for person in answer.owners:
        name = teams_escape(person.name)
        parts.append(f"[{name}]({TEAMS_CHAT}{quote(person.email)})" if person.email else name)
    if not parts and answer.lead_name:
        parts.append(teams_escape(answer.lead_name))
    if answer.contact.teams_channel:  # named after the team: Teams channel ids are not readable
        team = answer.team_name or answer.contact.team
        parts.append(teams_escape(t(answer.language, "answer-channel-teams", team=team)))
    return ", ".join(parts) or None
