"""Refusals on Slack name the action, the state and the team in the user's language (never a raw
placeholder such as action_name or state_name), in all five languages."""

from __future__ import annotations

import re

import pytest
from slack_harness import SlackHarness, texts

from bot.i18n import t

PLACEHOLDER = re.compile(r"action_name|state_name|team_name|field_name|\{|\}")


@pytest.mark.parametrize("locale", ["en-US", "sv-SE", "nl-NL", "ko-KR", "zh-TW"])
def test_card_refusals_are_whole_sentences(slack: SlackHarness, locale: str) -> None:
    language = "zh-TW" if locale == "zh-TW" else locale[:2]
    slack.command("/escalate", "warehouse P2 pallets stuck at the loading dock")
    slack.settle()
    for user in ("U0CECIL", "U0EUN"):
        slack.fake.locales[user] = locale
    slack.click("escalation_ack", "1", user="U0CECIL", channel="CWAREHOUSE")  # not in the warehouse team
    slack.settle()
    forbidden = texts(slack.fake.calls("chat.postEphemeral")[-1])
    slack.click("escalation_resolve", "1", user="U0EUN", channel="CWAREHOUSE")
    slack.settle()  # clicks run concurrently after their acks: resolve first, then the refused ack
    slack.click("escalation_ack", "1", user="U0EUN", channel="CWAREHOUSE")  # already resolved
    slack.settle()
    wrong_state = texts(slack.fake.calls("chat.postEphemeral")[-1])
    for refusal in (forbidden, wrong_state):
        assert "ESC-1" in refusal and not PLACEHOLDER.search(refusal.split("\n")[0]), refusal
    warehouse = slack.runtime.core.kb.teams["warehouse"].name(language)
    assert warehouse in forbidden and t(language, "esc-verb-acknowledge") in forbidden
    assert t(language, "esc-state-resolved") in wrong_state
