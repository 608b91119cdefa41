"""Parse one escalation command (Slack, Teams, CLI, chat): text in, a typed Command or a CommandError out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.commands.language import (
    MAX_TEAM_WORDS,
    SCOPES,
    VERBS,
    Command,
    CommandError,
    TeamIndex,
    fold_text,
    parse_ref,
    team_index,
    verb_of,
)
from bot.escalations.models import PRIORITIES
from bot.knowledge import KnowledgeBase

DEFAULT_SCOPE = "open"
MAX_COMMAND_LENGTH = 4000
_TOKEN = re.compile(r"\S+")
_PRIORITY = re.compile(r"p[123]", re.IGNORECASE)
_QUOTES = {'"': '"', "'": "'", "“": "”", "”": "”", "「": "」", "『": "』", "«": "»", "„": "“"}
_PRIORITY_FLAGS = ("--priority", "-p")
_TEAM_FLAGS = ("--team", "-t")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    raw: str

    @property
    def norm(self) -> str:
        return fold_text(self.raw)


def _tokens(text: str, offset: int = 0) -> list[_Token]:
    return [_Token(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text[offset:])]


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        return text[1:-1].strip()
    return text


def parse_command(text: str, kb: KnowledgeBase) -> Command:
    """Parse one command. Never raises anything but CommandError."""
    if len(text) > MAX_COMMAND_LENGTH:
        raise CommandError("cmd-too-long", code="too_long", length=len(text), limit=MAX_COMMAND_LENGTH)
    tokens = _tokens(text)
    if not tokens:
        raise CommandError("cmd-empty")
    verb = verb_of(tokens[0].raw)
    if verb not in VERBS:
        raise _unknown_verb(tokens[0].raw)
    rest = tokens[1:]
    if verb == "escalate":
        return _parse_escalate(text, rest, team_index(kb))
    if verb == "list":
        return _parse_list(rest, team_index(kb))
    if verb == "help":
        return _parse_help(rest)
    return _parse_id_command(verb, text, rest, team_index(kb))


def _unknown_verb(word: str) -> CommandError:
    shown = word[:40]
    best = process.extractOne(verb_of(word), VERBS, scorer=fuzz.ratio, score_cutoff=60)
    if best is not None:
        return CommandError("cmd-unknown-suggest", word=shown, suggestion=best[0])
    return CommandError("cmd-unknown", word=shown)


def _free_text(text: str, after: _Token) -> str:
    return _unquote(text[after.end :])


def _parse_id_command(verb: str, text: str, rest: list[_Token], teams: TeamIndex) -> Command:
    if not rest:
        raise CommandError("cmd-missing-id", verb=verb)
    ref = parse_ref(rest[0].raw)
    if ref is None:
        raise CommandError("cmd-bad-id", verb=verb, value=rest[0].raw[:40])
    if verb == "reassign":
        if len(rest) < 2:
            raise CommandError("cmd-missing-team", verb=verb)
        team = teams.resolve(rest[1].raw)
        return Command(name=verb, ref=ref, team=team, text=_free_text(text, rest[1]))
    note = _free_text(text, rest[0])
    if verb == "comment" and not note:
        raise CommandError("cmd-missing-text", verb=verb)
    if verb in ("resolve", "comment"):
        return Command(name=verb, ref=ref, text=note)
    if len(rest) > 1:
        raise CommandError("cmd-extra-args", verb=verb, extra=note[:40])
    return Command(name=verb, ref=ref)


def _parse_list(rest: list[_Token], teams: TeamIndex) -> Command:
    if not rest:
        return Command(name="list", scope=DEFAULT_SCOPE)
    scope = rest[0].norm
    if scope == "team":
        if len(rest) < 2:
            raise CommandError("cmd-missing-team", verb="list")
        if len(rest) > 2:
            raise CommandError("cmd-extra-args", verb="list", extra=rest[2].raw[:40])
        return Command(name="list", scope="team", team=teams.resolve(rest[1].raw))
    if scope in SCOPES:
        if len(rest) > 1:
            raise CommandError("cmd-extra-args", verb="list", extra=rest[1].raw[:40])
        return Command(name="list", scope=scope)
    if len(rest) == 1 and len(teams.lookup(rest[0].raw)) == 1:  # `list warehouse` means `list team warehouse`
        return Command(name="list", scope="team", team=teams.resolve(rest[0].raw))
    raise CommandError("cmd-bad-scope", verb="list", value=rest[0].raw[:40], scopes=", ".join(SCOPES))


def _parse_help(rest: list[_Token]) -> Command:
    if rest and verb_of(rest[0].raw) in VERBS:
        return Command(name="help", text=verb_of(rest[0].raw))
    return Command(name="help")


def _priority(value: str) -> str:
    norm = fold_text(value)
    if _PRIORITY.fullmatch(norm):
        return norm.upper()
    raise CommandError(
        "cmd-bad-priority", verb="escalate", value=value[:40], priorities=", ".join(PRIORITIES)
    )


def _flags(rest: list[_Token], teams: TeamIndex) -> tuple[set[int], str | None, str | None]:
    """Consume --priority/-p and --team/-t options anywhere; returns used indices, priority, team."""
    used: set[int] = set()
    priority = team = None
    for index, token in enumerate(rest):
        name, eq, inline = token.norm.partition("=")
        if index in used or name not in _PRIORITY_FLAGS + _TEAM_FLAGS:
            continue
        if eq:
            value = inline
            used.add(index)
        elif index + 1 < len(rest):
            value = rest[index + 1].raw
            used.update((index, index + 1))
        else:
            raise CommandError("cmd-missing-value", verb="escalate", option=token.raw)
        if name in _PRIORITY_FLAGS:
            priority = _priority(value)
        else:
            team = teams.resolve(value)
    return used, priority, team


def _leading_team(kept: list[_Token], teams: TeamIndex) -> tuple[str, int] | None:
    """The team named by the first 1..MAX_TEAM_WORDS words (longest first) and how many words it took."""
    for size in range(min(MAX_TEAM_WORDS, len(kept)), 0, -1):
        found = teams.lookup(" ".join(token.raw for token in kept[:size]))
        if len(found) == 1:
            return next(iter(found)), size
    return None


def _parse_escalate(text: str, rest: list[_Token], teams: TeamIndex) -> Command:
    used, priority, team = _flags(rest, teams)
    kept = [token for index, token in enumerate(rest) if index not in used]
    # Leading words: a bare priority and/or a team, in either order.
    for _ in range(2):
        if kept and priority is None and _PRIORITY.fullmatch(kept[0].norm):
            priority, kept = kept[0].norm.upper(), kept[1:]
        elif kept and team is None and (leading := _leading_team(kept, teams)):
            team, kept = leading[0], kept[leading[1] :]
    if team is None and (mistake := teams.near_miss([token.raw for token in kept])):
        raise mistake
    if kept and priority is None and _PRIORITY.fullmatch(kept[-1].norm):
        priority, kept = kept[-1].norm.upper(), kept[:-1]
    summary, _, details = _join(text, kept).partition("\n")
    summary = _unquote(summary)
    if not summary:
        raise CommandError("cmd-missing-summary", verb="escalate")
    return Command(name="escalate", team=team, text=summary, priority=priority, details=details.strip())


def _join(text: str, kept: list[_Token]) -> str:
    """The kept words with their original spacing (newlines too); a single space where words were removed."""
    parts: list[str] = []
    for previous, token in zip([None, *kept], kept, strict=False):
        if previous is not None:
            gap = text[previous.end : token.start]
            parts.append(gap if not gap.strip() else " ")  # a non-space gap held removed options
        parts.append(token.raw)
    return "".join(parts).strip()


__all__ = ["DEFAULT_SCOPE", "MAX_COMMAND_LENGTH", "parse_command"]
