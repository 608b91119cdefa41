"""Input checks for escalation actions: ids, text lengths, priorities and team names (with suggestions)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bot.escalations.models import PRIORITIES, EscalationError
from bot.knowledge import KnowledgeBase

MAX_SUMMARY = 4000
MAX_TEXT = 4000  # comments, resolve notes, reassign reasons
MAX_DETAILS = 40_000  # a whole chat message can become the details
_REF = re.compile(r"^\s*#?(?:esc-?)?(\d{1,18})\s*$", re.IGNORECASE)


def parse_ref(ref: str | int) -> int:
    """'ESC-42', 'esc-42', '#42' or '42' -> 42; anything else is not_found (named in the message)."""
    match = _REF.match(str(ref))
    if not match or int(match.group(1)) == 0:
        raise EscalationError(
            "not_found", f"no escalation {str(ref)[:40]!r}: use an id like ESC-42", ref=str(ref)[:40]
        )
    return int(match.group(1))


def check_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    """Stripped `value`; invalid when empty (if required), error-too-long when over `limit`."""
    text = (value or "").strip()
    if required and not text:
        raise EscalationError("invalid", f"{field} must not be empty", field=field, reason="empty")
    if len(text) > limit:
        raise EscalationError(
            "too_long",  # like a too-long command: a usage problem the user fixes by shortening it
            f"{field} is {len(text)} characters long; the limit is {limit}",
            key="error-too-long",
            field=field,
            limit=limit,
            length=len(text),
        )
    return text


def check_priority(value: str) -> str:
    priority = (value or "").strip().upper()
    if priority not in PRIORITIES:
        raise EscalationError(
            "invalid",
            f"unknown priority {value!r}: use P1, P2 or P3",
            field="priority",
            reason="unknown-priority",
            value=str(value)[:20],
        )
    return priority


def _team_names(kb: KnowledgeBase) -> dict[str, str]:
    """Every way to write a team (id, names and aliases in every language), folded -> team id."""
    names: dict[str, str] = {}
    for team in kb.teams.values():
        names[team.id.casefold()] = team.id
        for name in team.names.values():
            names.setdefault(name.casefold(), team.id)
        for words in team.aliases.values():
            for word in words:
                names.setdefault(word.casefold(), team.id)
    return names


def resolve_team(kb: KnowledgeBase, text: str) -> str | None:
    """The team id `text` names exactly (id, name or alias, any case), else None."""
    if text in kb.teams:
        return text
    return _team_names(kb).get(text.strip().casefold())


def suggest_team(kb: KnowledgeBase, text: str) -> str | None:
    """The closest team id to a mistyped `text` ('cs' -> customer-service), or None when nothing is close."""
    names = _team_names(kb)
    if not names or not text.strip():
        return None
    best = process.extractOne(text.strip().casefold(), list(names), scorer=fuzz.WRatio, score_cutoff=60)
    return names[best[0]] if best else None


def check_team(kb: KnowledgeBase, text: str) -> str:
    """The team id for `text`, or unknown_team with a 'did you mean' suggestion."""
    team = resolve_team(kb, text or "")
    if team is not None:
        return team
    suggestion = suggest_team(kb, text or "")
    hint = f" - did you mean {suggestion}?" if suggestion else ""
    raise EscalationError(
        "unknown_team",
        f"unknown team {str(text)[:60]!r}{hint}",
        team=str(text)[:60],
        suggestion=suggestion or "",
    )
