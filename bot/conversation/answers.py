"""Turn a Routing into a localised Answer: who, why, whom to contact, alternatives, what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from bot.directory import Directory, Fallback, TeamContact
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.loop_in import loop_in
from bot.routing import Routing

# Alternatives are always listed; below this confidence the answer says it is unsure.
UNSURE_BELOW = 0.7


@dataclass(frozen=True)
class AlternativeView:
    """A runner-up, ready to show as a button or a line."""

    team: str
    role: str | None
    confidence: float
    label: str


@dataclass(frozen=True)
class LoopIn:
    """Another team the matched responsibility involves: whom to loop in, already named in the language."""

    team: str
    name: str


@dataclass(frozen=True)
class ContactPerson:
    """Someone to talk to about the answer's team (an owner), as every platform can reach them."""

    name: str
    email: str | None


@dataclass(frozen=True)
class Answer:
    """Everything a surface needs to render the answer to a question, already in the asker's language."""

    routing: Routing
    language: str
    text: str
    headline: str
    team_name: str | None
    role_name: str | None
    contact: TeamContact | None
    contact_text: str
    why: str | None
    alternatives: tuple[AlternativeView, ...]
    fallback: Fallback | None
    problem: str | None = None
    loop_in: tuple[LoopIn, ...] = ()  # teams to loop in as well (the team's coordinates_with)
    loop_in_text: str = ""  # whom to loop in and why, one line in the asker's language
    lead_name: str | None = None  # the accountable team's lead, by name: whom to talk to
    contact_detail: str = ""  # contact_text without its label (for surfaces that label it themselves)
    note: str = ""  # said before the answer (the thank-you for a correction); `text` starts with it
    owners: tuple[ContactPerson, ...] = ()  # the team's owners, whom a platform may link to (Teams chat)

    @property
    def unsure(self) -> bool:
        return self.routing.team is not None and self.routing.confidence < UNSURE_BELOW

    def as_dict(self) -> dict[str, object]:
        data = self.routing.as_dict()
        data["answer"] = self.text
        return data


def contact_line(
    contact: TeamContact | None,
    language: str,
    directory: Directory | None = None,
    team_name: str = "",
    platform: str = "cli",
) -> str:
    """'Contact: Daan de Vries (team lead), #customer-service': the team's lead by name and its channel
    as the asker's platform knows it; never a raw user-group or channel id."""
    detail = contact_detail(contact, language, directory, team_name, platform)
    return t(language, "answer-contact", contact=detail) if detail else t(language, "answer-contact-none")


def contact_detail(
    contact: TeamContact | None,
    language: str,
    directory: Directory | None = None,
    team_name: str = "",
    platform: str = "cli",
) -> str | None:
    """The contact without its label: lead and channel, lead alone or channel alone (None if neither)."""
    if contact is None:
        return None
    lead = lead_name(contact, directory)
    channel = _channel(contact, language, team_name or contact.team, platform)
    if lead and channel:
        return t(language, "answer-contact-lead-channel", lead=lead, channel=channel)
    return t(language, "answer-contact-lead", lead=lead) if lead else channel


def lead_name(contact: TeamContact | None, directory: Directory | None) -> str | None:
    """The team's lead (the `lead` in the directory's leads, else its first owner) by name."""
    if contact is None or directory is None:
        return None
    person_id = contact.leads.get("lead") or (contact.owners[0] if contact.owners else None)
    person = directory.people.get(person_id) if person_id else None
    return person.name if person else None


def _channel(contact: TeamContact, language: str, team_name: str, platform: str) -> str | None:
    slack, teams = contact.slack_channel, contact.teams_channel
    in_slack = t(language, "answer-channel-slack", channel=slack) if slack else None
    # A Teams channel id (19:...@thread.tacv2) is not readable: the channel is named after the team.
    in_teams = t(language, "answer-channel-teams", team=team_name) if teams else None
    if platform == "slack":
        return slack or in_teams
    if platform == "teams":
        return in_teams or in_slack
    if in_slack and in_teams:
        return t(language, "answer-channel-both", slack=in_slack, teams=in_teams)
    return in_slack or in_teams


def fallback_line(fallback: Fallback, language: str, platform: str = "cli") -> str:
    """Whom to ask when no team matches, named in `language`, reachable on `platform`."""
    slack = fallback.slack_channel if platform != "teams" else None
    where = ", ".join(p for p in (fallback.name_in(language), slack, fallback.email) if p)
    return t(language, "answer-dont-know-fallback", fallback=where)


def build_answer(routing: Routing, kb: KnowledgeBase, directory: Directory, platform: str = "cli") -> Answer:
    """The localised answer for `routing` (an "I don't know" with the fallback contact when it abstained),
    its contact line written for `platform` (slack, teams, or cli for both)."""
    lang = routing.language
    if routing.team is None:
        fallback = directory.fallback
        choices = _alternatives(routing, kb)
        headline = t(lang, "answer-choices" if choices else "answer-dont-know")
        lines = [headline]
        if choices:
            lines.append(t(lang, "answer-choices-reply"))
            lines.extend(f"  {number}. {choice.label}" for number, choice in enumerate(choices, 1))
            lines.append(f"  0. {t(lang, 'answer-choice-none')}")
        text = "\n".join([*lines, fallback_line(fallback, lang, platform)])
        return Answer(
            routing,
            lang,
            text,
            headline,
            None,
            None,
            None,
            fallback_line(fallback, lang, platform),
            None,
            _alternatives(routing, kb),
            fallback,
        )
    team_name = kb.team(routing.team).name(lang)
    role_name = kb.role(routing.role).name(lang) if routing.role else None
    headline = t(lang, "answer-headline", team=team_name, role=role_name or "none")
    contact = directory.teams.get(routing.team)
    lead = lead_name(contact, directory)
    contact_text = contact_line(contact, lang, directory, team_name, platform)
    alternatives = _alternatives(routing, kb)
    lines = [headline]
    if routing.matched:
        lines.append(t(lang, "answer-why", matched=routing.matched))
    lines.append(contact_text)
    loop = tuple(LoopIn(team, kb.team(team).name(lang)) for team in loop_in(kb, routing.explaining))
    loop_text = loop_in_line(loop, team_name, lang)
    if loop_text:
        lines.append(loop_text)
    if routing.corrected:
        lines.append(t(lang, "answer-learned"))
    if alternatives:
        key = "answer-unsure" if routing.confidence < UNSURE_BELOW else "answer-alternatives"
        lines.append(t(lang, key))
        lines.extend(f"  - {alt.label}" for alt in alternatives)
    lines.append(t(lang, "answer-offer-escalate", team=team_name))
    return Answer(
        routing,
        lang,
        "\n".join(lines),
        headline,
        team_name,
        role_name,
        contact,
        contact_text,
        routing.matched,
        alternatives,
        None,
        loop_in=loop,
        loop_in_text=loop_text,
        lead_name=lead,
        contact_detail=contact_detail(contact, lang, directory, team_name, platform) or "",
        owners=_owners(contact, directory),
    )


def _owners(contact: TeamContact | None, directory: Directory) -> tuple[ContactPerson, ...]:
    people = (directory.people.get(person_id) for person_id in (contact.owners if contact else ()))
    return tuple(ContactPerson(person.name, person.email or None) for person in people if person is not None)


def loop_in_line(loop: tuple[LoopIn, ...], team_name: str, language: str) -> str:
    """'Loop in Warehouse as well: Customer Service works with them on this.' (empty when nobody)."""
    if not loop:
        return ""
    from babel.lists import format_list

    from bot.languages import babel_locale

    names = format_list([item.name for item in loop], locale=babel_locale(language))
    return t(language, "answer-loop-in", teams=names, team=team_name)


def _alternatives(routing: Routing, kb: KnowledgeBase) -> tuple[AlternativeView, ...]:
    """Runners-up of an answer, or the choices offered instead of a bare "I don't know"."""
    views = []
    for alt in routing.alternatives or routing.choices:
        if alt.team in kb.teams:
            label = kb.display_name(alt.team, alt.role if alt.role in kb.roles else None, routing.language)
            views.append(AlternativeView(alt.team, alt.role, alt.confidence, label))
    return tuple(views)


def problem_answer(routing: Routing, problem: str, limit: int) -> Answer:
    """An answer that explains why the message could not be handled (empty, too long)."""
    lang = routing.language
    text = (
        t(lang, "answer-empty")
        if problem == "empty"
        else t(lang, "answer-too-long", length=len(routing.question), limit=limit)
    )
    return Answer(routing, lang, text, text, None, None, None, "", None, (), None, problem)
