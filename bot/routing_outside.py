"""Working-life topics no team owns (pay, leave, the office building): named, they mean "not ours"."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache

from bot.knowledge import KnowledgeBase, Responsibility
from bot.text import LEXICON, fold_diacritics, normalise

_LATIN_WORD = re.compile(r"[0-9a-zà-ÿ]+")
PREFIX_MIN = 6  # shorter forms match whole words only ('lön' is not in 'lönar', 'hr' not in 'hrm')


@cache
def _outside_words() -> tuple[dict[tuple[str, ...], str], tuple[tuple[str, str], ...]]:
    """Latin forms (word tuples, also without diacritics) and CJK substrings, each to its topic: the
    first form of its family in bot/lexicon/outside.txt."""
    text = (LEXICON / "outside.txt").read_text(encoding="utf-8")
    latin: dict[tuple[str, ...], str] = {}
    cjk: list[tuple[str, str]] = []
    for entry in (w for line in text.splitlines() if not line.startswith("#") for w in line.split()):
        forms = entry.split("|")
        for form in forms:
            if _LATIN_WORD.fullmatch(form.replace("_", "")):
                for spelling in (form, fold_diacritics(form)):
                    latin[tuple(spelling.split("_"))] = forms[0]
            else:
                cjk.append((form, forms[0]))
    return latin, tuple(cjk)


def outside_topics(text: str) -> frozenset[str]:
    """The working-life topics `text` names ('lönen', 'toner', '特休', '탕비실'), as lexicon families."""
    latin, cjk = _outside_words()
    plain = normalise(text)
    words = _LATIN_WORD.findall(plain)
    found = {topic for entry, topic in cjk if entry in plain}
    for word in words:
        # a long form also inflected: lönespecifikationen, parkeringsplatsen, vakantiedagen
        for form in {word, fold_diacritics(word)}:
            found.update(
                latin[(form[:end],)] for end in range(PREFIX_MIN, len(form)) if (form[:end],) in latin
            )
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            phrase = tuple(words[start : start + size])
            for spelling in (phrase, tuple(fold_diacritics(w) for w in phrase)):
                if spelling in latin:
                    found.add(latin[spelling])
    return frozenset(found)


class OutsideTopics:
    """Whether a text names a working-life topic this organisation's knowledge does not own."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._owned: frozenset[str] | None = None

    def named(self, text: str) -> bool:
        topics = outside_topics(text)
        if not topics:
            return False
        if self._owned is None:  # read from the knowledge once, the first time a topic is named
            self._owned = owned_topics(self.kb)
        return not topics <= self._owned


def owned_topics(kb: KnowledgeBase) -> frozenset[str]:
    """The topics the knowledge itself speaks of (a hotel's key cards, a payroll officer's salaries):
    for that organisation they are not outside."""
    latin, cjk = _outside_words()
    blob = normalise("\n".join(_texts(kb)))
    ordered = _LATIN_WORD.findall(blob)
    running = f" {' '.join(ordered)} "  # (the forms are also spelt without diacritics: no folding here)
    words = sorted(set(running.split()))
    owned = {topic for entry, topic in cjk if entry in blob}
    for form, topic in latin.items():
        if len(form) > 1:
            found = f" {' '.join(form)} " in running
        else:
            at = bisect_left(words, form[0])
            # the word itself, or (a long form) a word it starts: 'löner' owns the topic of 'lönen'
            found = at < len(words) and words[at].startswith(form[0])
            found = found and (words[at] == form[0] or len(form[0]) >= PREFIX_MIN)
        if found:
            owned.add(topic)
    return frozenset(owned)


def _texts(kb: KnowledgeBase) -> Iterator[str]:
    for team in kb.teams.values():
        yield from _localized(team.names, team.aliases, team.summary)
        yield from _duties(team.responsibilities)
        for role in team.roles:
            yield from _localized(role.names, role.aliases, role.summary)
            yield from _duties(role.responsibilities)


def _duties(duties: Iterable[Responsibility]) -> Iterator[str]:
    for duty in duties:
        yield from _localized(duty.text, duty.terms, duty.examples)


def _localized(*fields: Mapping[str, str | Sequence[str]]) -> Iterator[str]:
    for field in fields:
        for value in field.values():
            yield from ([value] if isinstance(value, str) else value)
