"""The one escalation command language (Slack, Teams, CLI, chat): text in, a typed Command out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils

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
MAX_TEAM_WORDS = 4  # longest multi-word team alias tried at the start of `escalate`
NEAR_MISS = 85  # fuzz.ratio from which a leading word is a mistyped team ("marketting"), not a summary word
_TEAM_SHAPED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-teams?|teams?-[a-z0-9-]+")  # "no-such-team"

_REF = re.compile(r"#?(?:esc[-_]?)?([0-9]{1,18})", re.IGNORECASE)  # 18 digits always fit SQLite's int64
_TRAILING_PUNCT = ".,;:!?)"


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


def fold_text(text: str) -> str:
    """Comparison form: full-width forms folded (IMEs type them), case-insensitive, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def verb_of(word: str) -> str:
    norm = fold_text(word)
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
    verb = verb_of(words[0])
    if verb not in VERBS:
        return False
    if words[0].startswith("/"):
        return True
    following = words[1] if len(words) > 1 else None
    if verb in ID_VERBS:
        return following is None or parse_ref(following) is not None
    if verb == "list":
        return following is None or fold_text(following) in SCOPES
    if verb == "help":
        return following is None or verb_of(following) in VERBS
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
                if fold_text(phrase):
                    self._exact.setdefault(fold_text(phrase), set()).add(team.id)
            for phrase in (team.id, team.names.get("en", "")):
                words = [w for w in re.split(r"[-\s&/_]+", fold_text(phrase)) if w]
                if len(words) >= 2:
                    self._acronyms.setdefault("".join(w[0] for w in words), set()).add(team.id)
        self._choices: list[str] = list(self._exact)

    def lookup(self, phrase: str) -> set[str]:
        """Every team whose id, name or alias is exactly `phrase` (case- and width-insensitive)."""
        return self._exact.get(fold_text(phrase), set())

    def suggest(self, phrase: str) -> str | None:
        """The team the user most likely meant by an unknown `phrase`."""
        norm = fold_text(phrase)
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
            phrase = fold_text(" ".join(words[:size]))
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
        return self._unknown(words[0]) if words and _TEAM_SHAPED.fullmatch(fold_text(words[0])) else None

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


__all__ = [
    "SCOPES",
    "VERBS",
    "Command",
    "CommandError",
    "TeamIndex",
    "fold_text",
    "looks_like_command",
    "parse_ref",
    "team_index",
    "verb_of",
]
