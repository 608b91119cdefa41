"""The one notification policy: for every outcome, who is told what, as neutral notices per platform."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.directory import Directory
from bot.escalations.models import Actor, Outcome
from bot.escalations.policy import level_recipients
from bot.escalations.wire import decode_outcome, encode_outcome
from bot.knowledge import KnowledgeBase

PLATFORMS = ("slack", "teams")
# The requester hears of every change to their escalation, except the ones they made themselves.
REQUESTER_ACTIONS = frozenset(
    {"created", "acknowledged", "resolved", "reopened", "cancelled", "reassigned", "commented", "bumped"}
)
# On creation and reassignment the new card is itself the team's notice: only people are told.
FRESH_CARD_ACTIONS = frozenset({"created", "reassigned"})


@dataclass(frozen=True)
class Notice:
    """One message one platform must deliver about an outcome.

    kind: card (post the team channel's card, or update it where it is) | requester (the person who
    escalated) | person (someone the escalation policy names) | channel (a level's channel) |
    not_reached (the requester: saved, but the team's channel could not be reached) | lead (the team
    lead by DM) and fallback (the directory's fallback channel) when the team's card could not be posted.
    `to` is a channel or user id on `platform`; `detail` says why a fallback was needed."""

    kind: str
    platform: str
    to: str
    outcome: Outcome
    level_name: str = ""
    detail: str = ""
    person: str | None = None  # the directory person, when `to` is to be looked up at delivery (email)

    @property
    def escalation_id(self) -> int:
        return self.outcome.escalation.id

    @property
    def action(self) -> str:
        return self.outcome.action


def actor_is_requester(outcome: Outcome) -> bool:
    actor, requester = outcome.actor, outcome.escalation.requester
    if actor is None:
        return False
    same_user = (actor.platform, actor.user_id) == (requester.platform, requester.user_id)
    return same_user or (actor.person_id is not None and actor.person_id == requester.person_id)


def team_channel(directory: Directory, team: str, platform: str) -> str | None:
    """The channel a team's cards go to on `platform` (the directory's fallback channel if it has none)."""
    contact, fallback = directory.contact(team), directory.fallback
    if platform == "slack":
        return contact.slack_channel or fallback.slack_channel
    return contact.teams_channel or fallback.teams_channel


Address = tuple[str, str, str | None]  # (platform, user id or "" to look up, directory person)


def _addresses(actor: Actor, directory: Directory) -> list[Address]:
    """Where to reach a person: the chat they used, else every platform they are on."""
    if actor.platform in PLATFORMS:
        return [(actor.platform, actor.user_id, actor.person_id)]
    return _person_addresses(directory, actor.person_id)


def _person_addresses(directory: Directory, person_id: str | None) -> list[Address]:
    """Each platform with the person's id (from the file or learned); by email (looked up when
    delivered) on Slack, and on Teams too for someone the file names by email only."""
    person = directory.people.get(person_id or "")
    if person is None:
        return []
    email_only = bool(person.email) and not (person.slack or person.ms_teams)
    found: list[Address] = []
    for platform in PLATFORMS:
        user = directory.platform_id(person.id, platform)
        if user or (person.email and (platform == "slack" or email_only)):
            found.append((platform, user or "", person.id))
    return found


def notices_for(outcome: Outcome, directory: Directory, kb: KnowledgeBase) -> list[Notice]:
    """Everything to tell about `outcome`, in delivery order: cards, requester, the level's people."""
    if outcome.replayed:
        return []  # a retried request: everyone was told the first time
    esc = outcome.escalation
    if outcome.watcher is not None:  # a team looped in: its own card (later updates reach it too)
        contact = directory.contact(outcome.watcher)
        channels = (("slack", contact.slack_channel), ("teams", contact.teams_channel))
        return [Notice("card", platform, channel, outcome) for platform, channel in channels if channel]
    level_name = ""
    if outcome.notify_level is not None:
        level_name = level_recipients(esc, directory, kb, outcome.notify_level).level.name
    notices = [
        Notice("card", platform, channel, outcome, level_name)
        for platform in PLATFORMS
        if (channel := team_channel(directory, esc.team, platform))
    ]
    if outcome.action in REQUESTER_ACTIONS and (
        outcome.action == "created" or not actor_is_requester(outcome)
    ):
        notices += [
            Notice("requester", platform, user, outcome, level_name, person=person)
            for platform, user, person in _addresses(esc.requester, directory)
        ]
    if outcome.notify_level is not None and outcome.action not in FRESH_CARD_ACTIONS:
        notices += _level_notices(outcome, directory, kb, level_name)
    return notices


def _level_notices(outcome: Outcome, directory: Directory, kb: KnowledgeBase, name: str) -> list[Notice]:
    assert outcome.notify_level is not None
    recipients = level_recipients(outcome.escalation, directory, kb, outcome.notify_level)
    notices = []
    for platform, channel in (("slack", recipients.slack_channel), ("teams", recipients.teams_channel)):
        if channel:
            notices.append(Notice("channel", platform, channel, outcome, name))
    for person_id in recipients.person_ids:
        for platform, user, person in _person_addresses(directory, person_id):
            notices.append(Notice("person", platform, user, outcome, name, person=person))
    return notices


def fallback_notices(notice: Notice, directory: Directory, error: str = "") -> list[Notice]:
    """When a team's card could not be delivered: its lead by DM, then the directory's fallback channel,
    and the requester told the truth (saved, the team not reached yet)."""
    esc, platform = notice.outcome.escalation, notice.platform
    contact = directory.contact(esc.team)
    lead = contact.leads.get("lead") or next(iter(contact.owners), None)
    targets = [
        Notice("lead", platform, user, notice.outcome, detail=error, person=person)
        for p, user, person in _person_addresses(directory, lead)
        if p == platform
    ]
    fallback_channel = (
        directory.fallback.slack_channel if platform == "slack" else directory.fallback.teams_channel
    )
    if fallback_channel and fallback_channel != notice.to:
        targets.append(Notice("fallback", platform, fallback_channel, notice.outcome, detail=error))
    if notice.action == "created":
        targets += [
            Notice("not_reached", p, user, notice.outcome, detail=error, person=person)
            for p, user, person in _addresses(esc.requester, directory)
            if p == platform
        ]
    return targets


# ---------------------------------------------------------------------------------------- storage form
def encode_notice(notice: Notice) -> str:
    return json.dumps(
        {
            "kind": notice.kind,
            "to": notice.to,
            "level_name": notice.level_name,
            "person": notice.person,
            "outcome": encode_outcome(notice.outcome),
        },
        ensure_ascii=False,
    )


def decode_notice(platform: str, payload: str) -> Notice:
    data: dict[str, Any] = json.loads(payload)
    outcome = decode_outcome(data["outcome"])
    from dataclasses import replace

    outcome = replace(outcome, replayed=False)
    return Notice(data["kind"], platform, data["to"], outcome, data["level_name"], person=data.get("person"))
