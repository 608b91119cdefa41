"""Chat messages read as plain text: Slack/Teams markup, mentions, links, emoji and URLs reduced to words."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

from bot.text import LEXICON, normalise

# Slack: <https://x|label> keeps its label; <https://x>, <@U1>, <#C1|general>, <!channel>, <!subteam^S1> go.
_SLACK_LABELLED_LINK = re.compile(r"<(?:https?|mailto|tel):[^|>\s]*\|([^>]*)>")
_SLACK_ENTITY = re.compile(r"<(?:[@#!]|https?:|mailto:|tel:)[^>]*>")
# Teams: <at>Ada Lind</at> names someone, it is not part of the question.
_TEAMS_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
# a Korean honorific written onto a mention (<at>김지수</at>님, <@U1>님) goes with it
_MENTION_HONORIFIC = re.compile(r"(<@[^>]*>|<at>.*?</at>)\s?님", re.IGNORECASE | re.DOTALL)
# emoji between words part a message like a dash ("Goedemorgen 👋 Wie regelt ...?"); at a line's ends
# they are dropped
_SYMBOLS_INSIDE = re.compile(r"(?<=[^\s\x00]) *\x00[\x00 ]*(?=[^\s\x00])")
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(\*\*|__|~~|`+|(?<!\w)[*_~](?=\S)|(?<=\S)[*_~](?!\w))")
_BARE_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:", re.IGNORECASE)
# Swedish inflects abbreviations after a colon: kpi:erna, sms:et, pdf:en (the word is the abbreviation)
_COLON_ENDING = re.compile(
    r"\b([A-Za-z0-9]{2,}):(?:a|an|ar|arna|en|er|erna|et|n|na|or|orna|s|t)\b", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\u00a0]+")
# Sentence ends in our five languages (the CJK full-width marks included); a newline ends one too.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s+|(?<=[。！？；])|\n+")
_QUESTION_MARK = re.compile(r"[?？]")
_CLAUSE_BREAK = re.compile(r"[,:;，：、]\s*|\s[-–—]\s")


_WORD = re.compile(r"[^\W\d_]+")


@cache
def _refer_back_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Latin words, and Chinese/Korean starts of words, that point back to an earlier sentence."""
    text = (LEXICON / "refer-back.txt").read_text(encoding="utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    latin = frozenset(w for w in words if w.isascii() or w[0] in "åäöëï")
    return latin, tuple(w for w in words if w not in latin)


def refers_back(sentence: str) -> bool:
    """'Who can fix that?', 'Wie pakt dit op?', '這個要找誰？': the need was told before this sentence."""
    latin, cjk = _refer_back_words()
    for word in _WORD.findall(normalise(sentence)):
        if word in latin:
            return True
        if not word.isascii() and any(word.startswith(w) if len(w) > 1 else w in word for w in cjk):
            return True
    return False


def _symbol(char: str) -> str:
    """Emoji and pictographs become a mark (they part words like a dash); zero-width and direction
    marks a space; any other character stays: nothing of the first two is what a question is made of."""
    category = unicodedata.category(char)
    if category in {"So", "Sk"}:
        return "\x00"
    return " " if category in {"Cf", "Co", "Cs"} or "\ufe00" <= char <= "\ufe0f" else char


def plain_text(message: str) -> str:
    """The words a person typed, without platform markup, mentions, links' targets, emoji or URLs."""
    text = _MENTION_HONORIFIC.sub(r"\1", message)
    text = _SLACK_LABELLED_LINK.sub(r"\1", text)  # before HTML: <https://x|label> looks like a tag
    text = _SLACK_ENTITY.sub(" ", text)
    text = _TEAMS_MENTION.sub(" ", text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub(" ", text)
    text = html.unescape(text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _BARE_URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _COLON_ENDING.sub(r"\1", text)
    text = _EMOJI_CODE.sub("\x00", text)
    text = _MARKDOWN_MARKS.sub("", text)
    text = "".join(_symbol(char) for char in text)
    text = _SYMBOLS_INSIDE.sub(" — ", text).replace("\x00", " ")
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def sentences(text: str) -> list[str]:
    """The sentences of a plain-text message, in order."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def asks(sentence: str) -> bool:
    """Whether a sentence holds a question mark."""
    return _QUESTION_MARK.search(sentence) is not None


def _asking_clause(sentence: str) -> str:
    """The last clause of a sentence that holds its question mark ('"Who handles refunds?" — asking
    for a colleague' asks in its first clause), else its last clause."""
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(sentence)]
    return next((c for c in reversed(clauses) if _QUESTION_MARK.search(c)), clauses[-1])


def readings(text: str) -> list[list[str]]:
    """Ways to read a message, most focused first: the asking sentences and clauses on their own
    ("quick question, who handles returns?"), then each with the sentence before it, where the need is
    often told ("The customer sent the kettle back. Who refunds her?"), then the whole message and its
    sentences. The router takes the first tier that answers with confidence."""
    parts = sentences(text)
    asked = [i for i, part in enumerate(parts) if _QUESTION_MARK.search(part)]
    whole = list(dict.fromkeys([text, *parts])) if len(parts) > 1 else [text]
    if not asked or (len(parts) == 1 and not _CLAUSE_BREAK.search(parts[0])):
        return [whole]
    # a sentence pointing back ("who can fix that?") is only read with what came before it
    alone = [i for i in asked if i == 0 or not refers_back(parts[i])]
    own = [parts[i] for i in alone]
    clauses = (_asking_clause(parts[i]) for i in alone)
    own.extend(clause for clause in clauses if not refers_back(clause))
    paired = [f"{parts[i - 1]} {parts[i]}" for i in asked if i > 0]
    tiers = [list(dict.fromkeys(c for c in own if c)), paired, whole]
    return [tier for tier in tiers if tier]
