"""Who may act on an escalation, who the actor is in the directory, and which team a request goes to."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from bot.directory import Directory
from bot.escalations.models import Actor, Escalation, EscalationError
from bot.escalations.validation import check_team
from bot.knowledge import KnowledgeBase
from bot.routing import Routing


class TeamRouter(Protocol):
    """Anything that picks the accountable team for a text (bot's Router)."""

    def route(self, question: str) -> Routing: ...


@dataclass(frozen=True)
class Step:
    """How one action on an existing escalation is checked and applied."""

    action: str  # the verb, as in audit and Outcome: "acknowledged"
    verb: str  # as users say it: "acknowledge"; Escalation.allowed_actions() says in which states
    who: str  # team | requester | anyone | reopen


class Refused(Exception):
    """Raised inside a transaction: the refusal is audited and committed, then `error` is raised."""

    def __init__(self, escalation: Escalation, actor: Actor, action: str, reason: str) -> None:
        super().__init__(reason)
        self.escalation, self.actor, self.action, self.reason = escalation, actor, action, reason
        self.error = EscalationError(
            "forbidden",
            f"you may not {action} {escalation.ref}: {reason}",
            ref=escalation.ref,
            action=action,
            reason=reason,
        )


def not_found(escalation_id: int) -> EscalationError:
    ref = f"ESC-{escalation_id}"
    return EscalationError("not_found", f"{ref} does not exist", ref=ref)


def identify(directory: Directory, actor: Actor) -> Actor:
    """`actor` with its directory person id and email (and name, when the platform gave none)."""
    if actor.person_id is not None:
        person = directory.people.get(actor.person_id)
    else:
        person = directory.person_for(actor.platform, actor.user_id)
    if person is None:
        return actor
    return replace(
        actor,
        person_id=person.id,
        display_name=actor.display_name or person.name,
        email=actor.email or person.email,
    )


def permitted(directory: Directory, esc: Escalation, actor: Actor, who: str) -> str | None:
    """None when `actor` may act, else the reason (kept in the audit log)."""
    person = actor.person_id
    if who == "anyone" or (person is not None and directory.is_admin(person)):
        return None
    in_team = person is not None and directory.is_member(esc.team, person)
    requester = (actor.platform, actor.user_id) == (esc.requester.platform, esc.requester.user_id) or (
        person is not None and person == esc.requester.person_id
    )
    if who == "team" and not in_team:
        return f"only members of {esc.team} or admins"
    if who == "requester" and not requester:
        return "only the requester or admins"
    if who == "reopen" and not (requester or in_team):
        return f"only the requester, members of {esc.team} or admins"
    return None


def team_and_role(
    kb: KnowledgeBase, router: TeamRouter | None, summary: str, team: str | None, role: str | None
) -> tuple[str, str | None]:
    """The checked team (named, or routed from `summary`) and role for a new escalation."""
    if team is None or not team.strip():
        if router is None:
            raise EscalationError(
                "unroutable", "no team given: name the team to escalate to", question=summary[:200]
            )
        routing = router.route(summary)
        if routing.team is None:
            raise EscalationError(
                "unroutable",
                "could not tell which team this is for: name the team",
                question=summary[:200],
            )
        return check_team(kb, routing.team), role or routing.role
    team_id = check_team(kb, team)
    if role is not None and (role not in kb.roles or kb.roles[role].team != team_id):
        raise EscalationError(
            "invalid",
            f"{role!r} is not a role in team {team_id}",
            field="role",
            reason="unknown-role",
            team=team_id,
        )
    return team_id, role
