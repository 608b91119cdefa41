"""Escaping people's words for each chat platform's markup: one function for Slack, one for Teams."""

from __future__ import annotations

import re

# Bidi overrides/isolates can make text read differently from what it is ("txt.exe" shown as "exe.txt");
# zero-width characters can hide inside words to dodge filters. Neither belongs in a message we relay.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_URLISH = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]*://|(?:mailto|tel|sms|javascript|data):|www\.)[^\s<>]*"  # schemes
    r"|(?<![\w.])(?:[a-z0-9-]+\.)+[a-z]{2,}\b[^\s<>]*"  # bare domains, which both platforms link too
)
_JOINER = "\u2060"  # WORD JOINER: invisible, keeps the text readable, breaks the platforms' auto-linking
_AT_WORD = re.compile(r"@(?=\w)")
_TEAMS_MARKUP = re.compile(r"([\\`*_{}\[\]<>~&])")
_TEAMS_LINE_START = re.compile(r"(?m)^(\s*|\s*\d+)([#>+\-=]|(?<=\d)[.)])")  # headings, quotes, lists


def _visible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def _unlink(text: str) -> str:
    """URLs and @words stay readable but are no longer clickable links or mentions."""

    def defang(match: re.Match[str]) -> str:
        return re.sub(r"([:.])", rf"\1{_JOINER}", match.group(0))

    return _AT_WORD.sub("@" + _JOINER, _URLISH.sub(defang, text))


def slack_escape(text: str) -> str:
    """People's text for Slack mrkdwn (blocks and message `text`): never a mention, a channel link, a
    user group ping, a disguised <url|label> link or a clickable URL; & < > as Slack wants them."""
    escaped = _visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _unlink(escaped)


def teams_escape(text: str) -> str:
    """People's text for Teams (TextBlock / FactSet Markdown and message text): no links, emphasis,
    headings, lists, HTML tags or card template expressions, and no clickable URLs or @words."""
    escaped = _TEAMS_MARKUP.sub(r"\\\1", _unlink(_visible(text)))
    return _TEAMS_LINE_START.sub(r"\1\\\2", escaped)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut (platforms refuse over-long fields)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["clip", "slack_escape", "teams_escape"]
