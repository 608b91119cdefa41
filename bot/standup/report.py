"""Standup reports: answers per member, who is missing, blockers routed, blockers escalated in one click."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.escalations.models import Actor, Outcome
from bot.escalations.validation import MAX_SUMMARY
from bot.i18n import t
from bot.standup.calendar import is_standup_day
from bot.standup.config import Question, StandupSettings
from bot.standup.conversation import blocker_lines
from bot.standup.models import AnswerView, Blocker, MemberStandup, StandupError, StandupReport
from bot.storage.standup import StandupRun, StandupStore, StoredAnswer

if TYPE_CHECKING:
    from bot.escalations.service import EscalationService
    from bot.knowledge import KnowledgeBase
    from bot.routing import Routing

_KEY = re.compile(r"^SB(\d{1,18})-([0-9a-f]{10})$")


def blocker_key(run_id: int, person: str, text: str) -> str:
    """Stable while the blocker's text is unchanged: editing the answer makes a new blocker."""
    digest = hashlib.sha256(f"{person}\n{text}".encode()).hexdigest()[:10]
    return f"SB{run_id}-{digest}"


@dataclass(frozen=True)
class ReportSources:
    """What reports and blocker escalations read, handed over by the standup service."""

    store: StandupStore
    settings: Mapping[str, StandupSettings]
    kb: KnowledgeBase
    route: Callable[[str], Routing]
    person_name: Callable[[str], str]
    team_name: Callable[[str, str], str]
    question_text: Callable[[Question, str], str]
    can_view: Callable[[str, str | None], bool]
    escalations: EscalationService | None


def _escalated(src: ReportSources, request_ids: Sequence[str]) -> dict[str, str]:
    """request id -> "ESC-n" for blockers already turned into escalations (their idempotency records)."""
    if src.escalations is None or not request_ids:
        return {}
    found = src.escalations.store.escalated_by_requests(request_ids)
    return {request_id: f"ESC-{escalation_id}" for request_id, escalation_id in found.items()}


def run_blockers(
    src: ReportSources, run: StandupRun, settings: StandupSettings, answers: list[StoredAnswer] | None = None
) -> list[Blocker]:
    """Every blocker line of `run`, routed to the accountable team and role."""
    blocker_keys = {q.key for q in settings.questions if q.blocker}
    found: list[Blocker] = []
    for answer in answers if answers is not None else src.store.answers(run.id):
        if answer.question not in blocker_keys or answer.person not in settings.participants:
            continue
        for line in blocker_lines(answer.text):
            found.append(
                Blocker(
                    blocker_key(run.id, answer.person, line),
                    run.run_date,
                    answer.person,
                    src.person_name(answer.person),
                    run.team,
                    line,
                    src.route(line),
                )
            )
    done = _escalated(src, [b.request_id for b in found])
    return [
        Blocker(b.key, b.run_date, b.person, b.person_name, b.team, b.text, b.routing, done.get(b.request_id))
        for b in found
    ]


def _members(
    src: ReportSources,
    run: StandupRun | None,
    settings: StandupSettings,
    answers: list[StoredAnswer],
    language: str,
) -> tuple[tuple[MemberStandup, ...], list[str]]:
    prompts = src.store.prompts(run.id) if run else {}
    by_person: dict[str, dict[str, str]] = {}
    for answer in answers:
        by_person.setdefault(answer.person, {})[answer.question] = answer.text
    members, skipped = [], []
    for person in settings.participants:
        mine = by_person.get(person, {})
        views = tuple(
            AnswerView(q.key, src.question_text(q, language), mine[q.key])
            for q in settings.questions
            if q.key in mine
        )
        away = person in prompts and prompts[person].skipped_at is not None
        if away:
            skipped.append(person)
        members.append(MemberStandup(person, src.person_name(person), views, away))
    return tuple(members), skipped


def build_report(src: ReportSources, team: str, day: date, language: str | None = None) -> StandupReport:
    """`team`'s standup of `day` and the blockers other teams' standups that day routed to it."""
    settings = src.settings[team]
    lang = language or settings.language
    run = src.store.run(team, day)
    answers = src.store.answers(run.id) if run else []
    members, skipped = _members(src, run, settings, answers, lang)
    off = run is None and not is_standup_day(settings, day)  # nobody was, or will be, asked that day
    missing = () if off else tuple(m.person for m in members if not m.answers and not m.skipped)
    blockers = tuple(run_blockers(src, run, settings, answers)) if run else ()
    others: list[Blocker] = []
    for other in src.store.runs_on(day):
        other_settings = src.settings.get(other.team)
        if other.team == team or other_settings is None:
            continue
        others.extend(b for b in run_blockers(src, other, other_settings) if b.routing.team == team)
    state = run.state if run else ("off" if off else "none")
    return StandupReport(team, day, state, members, missing, tuple(skipped), blockers, tuple(others))


def find_blocker(src: ReportSources, key: str) -> Blocker:
    match = _KEY.match(key.strip())
    run = src.store.run_by_id(int(match.group(1))) if match else None
    settings = src.settings.get(run.team) if run else None
    if run is None or settings is None:
        raise StandupError("blocker_gone", f"no blocker {key[:40]!r}")
    found = next((b for b in run_blockers(src, run, settings) if b.key == key.strip()), None)
    if found is None:
        raise StandupError("blocker_gone", f"blocker {key[:40]!r} was edited or removed")
    return found


def escalate_blocker(src: ReportSources, key: str, actor: Actor, *, language: str | None = None) -> Outcome:
    """The blocker as an escalation for the team it was routed to; its request id makes a second click
    (by anyone) return the first escalation. Allowed for whoever may see it: the reporter's team,
    the team it blocks on, and admins."""
    if src.escalations is None:
        raise StandupError("no_escalations", "no escalation service")
    blocker = find_blocker(src, key)
    person = src.escalations.identify(actor).person_id
    target = blocker.routing.team
    if not (src.can_view(blocker.team, person) or (target is not None and src.can_view(target, person))):
        raise StandupError("forbidden", "not allowed", team=src.team_name(blocker.team, "en"))
    if target is None or target not in src.kb.teams:
        raise StandupError("unroutable", f"blocker {key} has no team")
    role = blocker.routing.role if blocker.routing.role in src.kb.roles else None
    lang = language or blocker.routing.language
    details = t(
        lang,
        "standup-escalation-details",
        person=blocker.person_name,
        team=src.team_name(blocker.team, lang),
        date=blocker.run_date.isoformat(),
        why=blocker.routing.matched or "-",
    )
    return src.escalations.create(
        actor,
        blocker.text[:MAX_SUMMARY],
        team=target,
        role=role,
        details=details,
        language=lang,
        shared_request_id=blocker.request_id,
    )
