"""The one escalation command language (Slack, Teams, CLI, chat): text in, a typed Command out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.escalations.models import PRIORITIES
from bot.i18n import t
from bot.knowledge import KnowledgeBase

VERBS: tuple[str, ...] = (
    "escalate",
    "ack",
    "resolve",
    "reopen",
    "cancel",
    "reassign",
    "comment",
    "bump",
    "list",
    "show",
    "help",
)
SYNONYMS: dict[str, str] = {"acknowledge": "ack"}
ID_VERBS: frozenset[str] = frozenset(
    {"ack", "resolve", "reopen", "cancel", "reassign", "comment", "bump", "show"}
)
SCOPES: tuple[str, ...] = ("mine", "team", "open", "overdue", "all")
DEFAULT_SCOPE = "open"
MAX_COMMAND_LENGTH = 4000
MAX_TEAM_WORDS = 4  # longest multi-word team alias tried at the start of `escalate`
NEAR_MISS = 85  # fuzz.ratio from which a leading word is a mistyped team ("marketting"), not a summary word
_TEAM_SHAPED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-teams?|teams?-[a-z0-9-]+")  # "no-such-team"

_TOKEN = re.compile(r"\S+")
_REF = re.compile(r"#?(?:esc[-_]?)?([0-9]{1,18})", re.IGNORECASE)  # 18 digits always fit SQLite's int64
_PRIORITY = re.compile(r"p[123]", re.IGNORECASE)
_QUOTES = {'"': '"', "'": "'", "“": "”", "”": "”", "「": "」", "『": "』", "«": "»", "„": "“"}
_TRAILING_PUNCT = ".,;:!?)"
_PRIORITY_FLAGS = ("--priority", "-p")
_TEAM_FLAGS = ("--team", "-t")


class CommandError(Exception):
    """A malformed command. `key`/`args` give the localised message; `code` is stable for scripts."""

    def __init__(self, key: str, *, code: str = "usage", verb: str | None = None, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.code = code  # usage | unknown_team | too_long
        self.verb = verb  # the command whose usage line is appended to the message
        self.args_for_message: dict[str, Any] = args

    def message(self, language: str) -> str:
        """The error in `language`, followed by the command's usage line when there is one."""
        text = t(language, self.key, **self.args_for_message)
        if self.verb:
            text += "\n" + t(language, "cmd-usage-label", usage=t(language, f"cmd-usage-{self.verb}"))
        return text

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Command:
    """One parsed command. `ref` is the canonical 'ESC-42'; `text` the summary, note, reason or comment."""

    name: str
    ref: str | None = None
    team: str | None = None
    text: str = ""
    priority: str | None = None
    scope: str | None = None
    details: str = ""  # escalate: the lines after the first one
    role: str | None = None  # escalate: the accountable role, when the router named one


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    raw: str

    @property
    def norm(self) -> str:
        return _norm(self.raw)


def _norm(text: str) -> str:
    """Comparison form: full-width forms folded (IMEs type them), case-insensitive, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _tokens(text: str, offset: int = 0) -> list[_Token]:
    return [_Token(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text[offset:])]


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        return text[1:-1].strip()
    return text


def _verb_of(word: str) -> str:
    norm = _norm(word)
    norm = norm[1:] if norm.startswith("/") else norm
    return SYNONYMS.get(norm, norm)


def parse_ref(value: str) -> str | None:
    """'ESC-42', 'esc-42', '#42', '42' (also full-width) -> 'ESC-42'; None when it is not an id."""
    match = _REF.fullmatch(unicodedata.normalize("NFKC", value).rstrip(_TRAILING_PUNCT))
    return f"ESC-{int(match.group(1))}" if match else None


def looks_like_command(text: str) -> bool:
    """True when `text` is meant as a command rather than a question.

    A leading '/' always means a command. Otherwise the first word must be a verb and what follows must
    fit it, so "show me who handles returns" or "help me with a refund" stay questions for the router."""
    words = text.split(maxsplit=2)
    if not words:
        return False
    verb = _verb_of(words[0])
    if verb not in VERBS:
        return False
    if words[0].startswith("/"):
        return True
    following = words[1] if len(words) > 1 else None
    if verb in ID_VERBS:
        return following is None or parse_ref(following) is not None
    if verb == "list":
        return following is None or _norm(following) in SCOPES
    if verb == "help":
        return following is None or _verb_of(following) in VERBS
    return True  # escalate


class TeamIndex:
    """Team ids, names and aliases in every language of the knowledge base, for lookup and did-you-mean."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.team_ids: tuple[str, ...] = tuple(sorted(kb.teams))
        self._exact: dict[str, set[str]] = {}
        self._acronyms: dict[str, set[str]] = {}
        for team in kb.teams.values():
            phrases = [team.id, *team.names.values()]
            phrases += [alias for aliases in team.aliases.values() for alias in aliases]
            for phrase in phrases:
                if _norm(phrase):
                    self._exact.setdefault(_norm(phrase), set()).add(team.id)
            for phrase in (team.id, team.names.get("en", "")):
                words = [w for w in re.split(r"[-\s&/_]+", _norm(phrase)) if w]
                if len(words) >= 2:
                    self._acronyms.setdefault("".join(w[0] for w in words), set()).add(team.id)
        self._choices: list[str] = list(self._exact)

    def lookup(self, phrase: str) -> set[str]:
        """Every team whose id, name or alias is exactly `phrase` (case- and width-insensitive)."""
        return self._exact.get(_norm(phrase), set())

    def suggest(self, phrase: str) -> str | None:
        """The team the user most likely meant by an unknown `phrase`."""
        norm = _norm(phrase)
        by_acronym = self._acronyms.get(norm, set())
        if len(by_acronym) == 1:
            return next(iter(by_acronym))
        best = process.extractOne(
            norm, self._choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=75
        )
        if best is None:
            return None
        teams = self._exact[best[0]]
        return sorted(teams)[0] if len(teams) == 1 else None

    def near_miss(self, words: list[str]) -> CommandError | None:
        """The leading words when they look like a team but name none: a phrase of the same length
        within a typo of a team's id, name or alias ("marketting"), or a made-up team id
        ("no-such-team"). Inflections ("contents", "market") are summary words, not typos."""
        for size in range(min(MAX_TEAM_WORDS, len(words)), 0, -1):
            phrase = _norm(" ".join(words[:size]))
            if self.lookup(phrase):
                return None
            same_length = [c for c in self._choices if len(c.split()) == size and len(c) >= 4]
            for choice in same_length:
                close = fuzz.ratio(phrase, choice) >= NEAR_MISS
                if close and not (phrase.startswith(choice) or choice.startswith(phrase)):
                    teams = self._exact[choice]
                    if len(teams) > 1:
                        return self._unknown(" ".join(words[:size]))
                    suggestion = next(iter(teams))
                    return CommandError(
                        "cmd-unknown-team-suggest",
                        code="unknown_team",
                        team=" ".join(words[:size]),
                        suggestion=suggestion,
                    )
        return self._unknown(words[0]) if words and _TEAM_SHAPED.fullmatch(_norm(words[0])) else None

    def _unknown(self, phrase: str) -> CommandError:
        return CommandError(
            "cmd-unknown-team", code="unknown_team", team=phrase, teams=", ".join(self.team_ids)
        )

    def resolve(self, phrase: str) -> str:
        """The one team `phrase` names, or a CommandError with a did-you-mean."""
        found = self.lookup(phrase)
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise CommandError(
                "cmd-ambiguous-team", code="unknown_team", team=phrase, teams=", ".join(sorted(found))
            )
        suggestion = self.suggest(phrase)
        if suggestion:
            raise CommandError(
                "cmd-unknown-team-suggest", code="unknown_team", team=phrase, suggestion=suggestion
            )
        raise self._unknown(phrase)


_INDEX_CACHE: list[tuple[KnowledgeBase, TeamIndex]] = []


def team_index(kb: KnowledgeBase) -> TeamIndex:
    """The (cached) TeamIndex of `kb`; the knowledge base is immutable, so one index per instance."""
    for cached_kb, index in _INDEX_CACHE:
        if cached_kb is kb:
            return index
    index = TeamIndex(kb)
    _INDEX_CACHE[:] = [*_INDEX_CACHE[-3:], (kb, index)]
    return index


def parse_command(text: str, kb: KnowledgeBase) -> Command:
    """Parse one command. Never raises anything but CommandError."""
    if len(text) > MAX_COMMAND_LENGTH:
        raise CommandError("cmd-too-long", code="too_long", length=len(text), limit=MAX_COMMAND_LENGTH)
    tokens = _tokens(text)
    if not tokens:
        raise CommandError("cmd-empty")
    verb = _verb_of(tokens[0].raw)
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
    best = process.extractOne(_verb_of(word), VERBS, scorer=fuzz.ratio, score_cutoff=60)
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
    if rest and _verb_of(rest[0].raw) in VERBS:
        return Command(name="help", text=_verb_of(rest[0].raw))
    return Command(name="help")


def _priority(value: str) -> str:
    norm = _norm(value)
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


__all__ = [
    "DEFAULT_SCOPE",
    "MAX_COMMAND_LENGTH",
    "SCOPES",
    "VERBS",
    "Command",
    "CommandError",
    "TeamIndex",
    "looks_like_command",
    "parse_command",
    "parse_ref",
    "team_index",
]
