"""Reading standup answers: labelled parts ("today: ..."), continuations ("+ ..."), blocker lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.i18n import t
from bot.languages import LANGUAGES
from bot.standup.config import DEFAULT_QUESTIONS, Question

_LABEL = re.compile(r"^\s*([^\s:：]{1,30}(?:\s[^\s:：]{1,30})?)\s*[:：]\s*(.*)$", re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
MAX_BLOCKERS = 10  # per person and day: a standup answer, not a backlog


@dataclass(frozen=True)
class Part:
    """One piece of a message: the question it answers (None: the current one), its text, append?"""

    key: str | None
    text: str
    append: bool = False


@cache
def _builtin_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for key in DEFAULT_QUESTIONS:
        for language in LANGUAGES:
            for label in t(language, f"standup-label-{key}").split(","):
                labels[label.strip().lower()] = key
    return labels


def labels_for(questions: tuple[Question, ...]) -> dict[str, str]:
    """Every word that names a question (its key, and built-in labels in all five languages)."""
    keys = {q.key for q in questions}
    labels = {label: key for label, key in _builtin_labels().items() if key in keys}
    labels.update({q.key: q.key for q in questions})
    return labels


def split_message(text: str, questions: tuple[Question, ...]) -> list[Part]:
    """The parts of one message. Lines starting with a question label start a part that replaces
    that answer; other lines continue the part before them; a leading "+" appends instead."""
    labels = labels_for(questions)
    parts: list[Part] = []
    append = text.lstrip().startswith("+")
    body = text.lstrip()[1:] if append else text
    for line in body.splitlines() or [body]:
        match = _LABEL.match(line)
        key = labels.get(match.group(1).strip().lower()) if match else None
        if match and key is not None:
            parts.append(Part(key, match.group(2).strip(), append))
        elif parts:
            last = parts[-1]
            parts[-1] = Part(last.key, f"{last.text}\n{line}".strip(), last.append)
        else:
            parts.append(Part(None, line.strip(), append))
    return [part for part in parts if part.text]


@cache
def _no_blocker_words() -> frozenset[str]:
    words: set[str] = set()
    for language in LANGUAGES:
        words.update(w.strip().lower() for w in t(language, "standup-no-blocker-words").split(","))
    return frozenset(w for w in words if w)


def blocker_lines(answer: str) -> list[str]:
    """The blockers in an answer: one per line or bullet; "none", "inga", "없음", ... are not blockers."""
    found: list[str] = []
    for raw in re.split(r"[\n;]", answer):
        line = _BULLET.sub("", raw).strip()
        if not line or line.lower().rstrip(".!。") in _no_blocker_words():
            continue
        if line not in found:
            found.append(line)
    return found[:MAX_BLOCKERS]
