"""Who else to loop in: the teams a matched responsibility involves, among those its team coordinates with."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache

from bot.knowledge import KnowledgeBase, Responsibility, Team

_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")
_CACHE: dict[tuple[int, str], tuple[KnowledgeBase, tuple[str, ...]]] = {}
_CACHE_LOCK = threading.Lock()
NAMED_IN = 2  # the responsibility names the other team (name or alias) in this many languages
WORDED_IN = 5  # ... or speaks of the other team's work (its terms) in this many languages


def _names(team: Team) -> dict[str, set[str]]:
    words: dict[str, set[str]] = {}
    for language, name in team.names.items():
        words.setdefault(language, set()).add(name.casefold())
    for language, aliases in team.aliases.items():
        words.setdefault(language, set()).update(a.casefold() for a in aliases)
    return words


def _vocabulary(team: Team) -> dict[str, set[str]]:
    """Names, aliases and the terms of every responsibility of the team and its roles, per language."""
    words = _names(team)
    owners: Iterable[tuple[Responsibility, ...]] = (
        team.responsibilities,
        *(r.responsibilities for r in team.roles),
    )
    for responsibilities in owners:
        for responsibility in responsibilities:
            for language, terms in responsibility.terms.items():
                words.setdefault(language, set()).update(term.casefold() for term in terms)
    return words


_NON_WORD = re.compile(r"[\W_]+")


@cache
def _spaced(text: str) -> str:
    """' word word ' : whole words and phrases are then found by a plain substring test (no regex per
    term: a knowledge base has thousands of terms, and every answer names a responsibility)."""
    return f" {_NON_WORD.sub(' ', text.casefold()).strip()} "


def _says(spaced_text: str, raw_text: str, word: str) -> bool:
    if len(word) < 2:
        return False
    if _CJK.search(word):
        return word in raw_text
    return _spaced(word) in spaced_text


def _languages_mentioning(
    responsibility: Responsibility, words: dict[str, set[str]], own: dict[str, set[str]]
) -> int:
    """In how many languages the responsibility's text uses one of `words` that is not its own team's."""
    count = 0
    for language, text in responsibility.text.items():
        folded, spaced = text.casefold(), _spaced(text)
        if any(_says(spaced, folded, w) for w in words.get(language, set()) - own.get(language, set())):
            count += 1
    return count


def _involved(kb: KnowledgeBase, team_id: str, responsibility: Responsibility) -> tuple[str, ...]:
    team = kb.team(team_id)
    own = _vocabulary(team)
    involved = []
    for other_id in team.coordinates_with:
        other = kb.teams.get(other_id)
        if other is None or other_id == team_id:
            continue
        named = _languages_mentioning(responsibility, _names(other), own) >= NAMED_IN
        if named or _languages_mentioning(responsibility, _vocabulary(other), own) >= WORDED_IN:
            involved.append(other_id)
    return tuple(involved)


def _responsibility(kb: KnowledgeBase, matched_id: str) -> tuple[str, Responsibility] | None:
    """'<team>/<role or ->/<responsibility id>' (Routing.matched_id) back to the responsibility."""
    team_id, _, rest = matched_id.partition("/")
    role_id, _, responsibility_id = rest.partition("/")
    team = kb.teams.get(team_id)
    if team is None:
        return None
    owner = team.responsibilities
    if role_id != "-":
        owner = next((r.responsibilities for r in team.roles if r.id == role_id), ())
    found = next((r for r in owner if r.id == responsibility_id), None)
    return (team_id, found) if found is not None else None


def _one(kb: KnowledgeBase, matched_id: str) -> tuple[str, ...]:
    key = (id(kb), matched_id)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] is kb:
        return hit[1]
    found = _responsibility(kb, matched_id)
    teams = _involved(kb, *found) if found else ()
    with _CACHE_LOCK:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = (kb, teams)
    return teams


def loop_in(kb: KnowledgeBase, matched: str | Iterable[str] | None) -> tuple[str, ...]:
    """The teams to loop in for the responsibilities behind an answer (a Routing's `explaining`, or one
    matched id): those the team coordinates with (`coordinates_with`) that any of them names, or whose
    work it speaks of, across languages. Every duty that explains the question counts, not only the
    one shown as "why"."""
    ids = (matched,) if isinstance(matched, str) else tuple(matched or ())
    return tuple(dict.fromkeys(team for matched_id in ids if matched_id for team in _one(kb, matched_id)))
