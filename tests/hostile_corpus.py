"""Hostile text people can type, and checks that none of it comes out live in what the bot sends."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

LONG = "refund API down " + "A" * 9_500 + " <!channel> [x](https://evil.example/long) **URGENT**"

HOSTILE: dict[str, str] = {
    "special-mentions": "<!channel> <!here> <!everyone> refund API down, login at "
    "<https://evil.example/login|https://bank.example.com>",
    "user-and-group-mentions": "refund stuck, ask <@U0HOSTILE> or <@W0HOSTILE|boss> in <#C0HOSTILE|finance> "
    "and <!subteam^S0HOSTILE|@finance-team> @channel @here",
    "markdown-links": "[Reset your password](https://evil.example) **URGENT from IT** __now__ "
    "![logo](https://evil.example/p.png) <https://evil.example|click>",
    "html": '<a href="https://evil.example">invoice</a> <b>refund</b> <at>Ada Lind</at> '
    "<script>alert(1)</script> &lt;!channel&gt;",
    "rtl-and-zero-width": "refund invoice_\u202egpj.exe <\u200b!channel> <!\u200bhere> "
    "<\u2060@U0HOSTILE> ev\u200bil.example",
    "bare-urls-and-markup": "refund at https://evil.example/x or www.evil.example or evil.example/login "
    "ceo@evil.example {{DATE(2030-01-01T00:00:00Z, SHORT)}}\n# Heading\n- item\n1. one\n> quote",
    "long": LONG,
}

_INVISIBLE = re.compile("[\u200b\u202e]|\\{\\?\\?\\?\\}")  # also what Fluent shows for a value too long
# Slack: what would ping or link when it came from a person's text (the bot's own <@U…> of known users, its
# permalinks and the team's user group on a card are fine: the corpus's ids and domains never come from it).
_SLACK_LIVE = re.compile(
    r"<!(?:channel|here|everyone|subteam\^S0HOSTILE)|<[@#][UWC]0HOSTILE|<[^>]*evil"
    r"|(?<![\w\u2060])evil\.example|@(?:channel|here|everyone)\b"
)
# Teams Markdown / HTML: an unescaped link, emphasis, tag or card expression from the corpus.
_TEAMS_LIVE = re.compile(
    r"(?<!\\)\]\([^)]*evil|(?<!\\)\*\*URGENT|(?<!\\)__now|(?<!\\)<(?:a |b>|at>|script|https|!)"
    r"|(?<!\\)\{\{DATE\(2030"
    r"|(?<![\w\u2060])evil\.example|^#|^- item|^1\. one",
    re.MULTILINE,
)
_SLACK_DATA = frozenset(
    {"value", "private_metadata", "initial_value", "action_id", "block_id", "callback_id"}
)


def strings(node: Any, skip: frozenset[str]) -> Iterator[str]:
    """Every string a client would render: plain_text objects and data fields (button values, Action.Submit
    data) are skipped, being shown as typed or not at all."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from strings(item, skip)
    elif isinstance(node, dict):
        if node.get("type") in ("plain_text", "plain_text_input", "Input.ChoiceSet"):
            return
        for key, value in node.items():
            if key not in skip:
                yield from strings(value, skip)


def slack_live(call: dict[str, Any]) -> list[str]:
    """Live mentions, links, bare URLs or invisible characters from the corpus in one Web API call."""
    call = {
        k: json.loads(v) if k in ("blocks", "view") and isinstance(v, str) else v for k, v in call.items()
    }
    found = []
    for text in strings({k: v for k, v in call.items() if not k.startswith("_")}, _SLACK_DATA):
        found += [m.group(0) for m in _SLACK_LIVE.finditer(text)]
        found += [repr(m.group(0)) for m in _INVISIBLE.finditer(text)]
    return found


def teams_live(activity: dict[str, Any]) -> list[str]:
    """The same for one outgoing Bot Framework activity (text, summary and card)."""
    shown = {k: v for k, v in activity.items() if k in ("text", "summary", "attachments")}
    found = []
    for text in strings(shown, frozenset({"data", "id", "contentType"})):
        found += [m.group(0) for m in _TEAMS_LIVE.finditer(text)]
        found += [repr(m.group(0)) for m in _INVISIBLE.finditer(text)]
    return found
