"""Short replies in a text conversation: yes/no to the bot's escalation offer, and mistyped commands."""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.commands.language import ID_VERBS, SCOPES, VERBS, CommandError, parse_ref
from bot.i18n import t
from bot.languages import LANGUAGES

MAX_PENDING = 2000  # offers kept in memory (one per person); the oldest is forgotten first
_PUNCTUATION = frozenset('.,!?;:~。，！？、…"()「」')  # not the apostrophe of "don't"


@dataclass(frozen=True)
class Offer:
    """The escalation the bot just offered: to `team`, for `question`, in `language`."""

    question: str
    team: str
    role: str | None
    language: str


class PendingOffers:
    """The last offer made to each person; any next message consumes it, so a later "yes" that
    answers something else cannot open an escalation."""

    def __init__(self, limit: int = MAX_PENDING) -> None:
        self._offers: OrderedDict[tuple[str, str], Offer] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def remember(self, who: tuple[str, str], offer: Offer) -> None:
        with self._lock:
            self._offers.pop(who, None)
            self._offers[who] = offer
            while len(self._offers) > self._limit:
                self._offers.popitem(last=False)

    def take(self, who: tuple[str, str]) -> Offer | None:
        with self._lock:
            return self._offers.pop(who, None)


def _fold(text: str) -> str:
    """'Ja, graag!' -> 'ja graag': case, width and punctuation do not matter in a short reply."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(" " if c in _PUNCTUATION else c for c in folded).split())


def _words(key: str) -> set[str]:
    """The catalog's comma-separated reply words for `key` in every language (people mix them)."""
    return {_fold(word) for language in LANGUAGES for word in t(language, key).split(",") if word.strip()}


def reply_kind(text: str) -> str | None:
    """'yes' or 'no' when `text` is just an agreement or a refusal (in any of the five languages)."""
    folded = _fold(text)
    if not folded:
        return None
    if folded in _words("reply-yes-words"):
        return "yes"
    if folded in _words("reply-no-words"):
        return "no"
    return None


def _close(word: str, verb: str) -> bool:
    """A typo of `verb` (one edit for short words, two for long, a swap counts as one), not an
    inflection or a truncation of it ("escalated", "escal")."""
    if word == verb or word.startswith(verb) or verb.startswith(word):
        return False
    return OSA.distance(word, verb) <= (1 if len(verb) <= 4 else 2)


def _fits(verb: str, rest: list[str]) -> bool:
    """Whether the words after a mistyped verb fit that command, so questions stay questions."""
    if verb in ID_VERBS:
        return bool(rest) and parse_ref(rest[0]) is not None
    if verb == "list":
        return not rest or rest[0].casefold() in SCOPES
    if verb == "help":
        return not rest
    return len(verb) >= 6  # escalate: any summary follows; the verb itself is long enough to be sure


def mistyped_command(text: str) -> CommandError | None:
    """A did-you-mean for `text` that is a command with its verb mistyped ("esclate ...", "akc
    ESC-2", "lst"), or None."""
    words = text.split()
    if not words:
        return None
    word = unicodedata.normalize("NFKC", words[0]).casefold().lstrip("/")
    for verb in VERBS:
        if len(word) >= 3 and _close(word, verb) and _fits(verb, words[1:]):
            return CommandError("cmd-unknown-suggest", word=words[0][:40], suggestion=verb)
    return None
