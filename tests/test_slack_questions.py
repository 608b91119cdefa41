"""Questions on Slack: DMs, mentions in threads, /whohandles, languages, and learning from Wrong team?."""

from __future__ import annotations

import json

import pytest
from slack_harness import SlackHarness, button, texts


def test_dm_question_gets_a_block_kit_answer(slack: SlackHarness) -> None:
    slack.dm("who handles returns?")
    reply = slack.fake.wait_for("chat.postMessage")[0]
    assert reply["channel"] == "D0ADA" and reply.get("thread_ts") is None
    shown = texts(reply)
    assert "Customer Service" in shown
    # the lead by name and the channel; no user-group mention (an answer must not notify the team)
    assert "Daan de Vries (team lead), #customer-service" in shown
    assert "subteam" not in shown and "S0CS" not in json.dumps(reply)  # an answer pings nobody
    assert "Matched responsibility" in shown
    assert button(reply["blocks"], "answer_escalate")["text"]["text"] == "Escalate to Customer Service"
    assert button(reply["blocks"], "answer_wrong_team")


def test_mention_is_answered_in_its_thread(slack: SlackHarness) -> None:
    slack.event({}, name="event_app_mention")
    reply = slack.fake.wait_for("chat.postMessage")[0]
    assert reply["channel"] == "C0GENERAL" and reply["thread_ts"] == "1700000200.000200"
    assert "<@UBOT>" not in reply["text"] and "Customer Service" in reply["text"]


def test_whohandles_answers_ephemerally(slack: SlackHarness) -> None:
    status, body = slack.command("/whohandles", "who handles returns?", response="who")
    assert (status, body) == (200, "")  # the ack is empty; the answer follows on response_url
    reply = slack.fake.wait_for("response/who")[0]
    assert reply["response_type"] == "ephemeral"
    assert "Customer Service" in texts(reply)
    assert slack.fake.calls("chat.postMessage") == []  # nobody else sees it


def test_whohandles_without_a_question_explains_how(slack: SlackHarness) -> None:
    slack.command("/whohandles", "  ", response="empty")
    reply = slack.fake.wait_for("response/empty")[0]
    assert "who handles returns?" in reply["text"]
    assert "answer_escalate" not in texts(reply)


def test_huge_message_gets_a_clear_message(slack: SlackHarness) -> None:
    slack.dm("returns " * 1000)
    reply = slack.fake.wait_for("chat.postMessage")[0]
    assert "4,000" in reply["text"] and "answer_escalate" not in texts(reply)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vem hanterar returer?", "Kundtjänst"),
        ("退貨由誰處理？", "客服"),
        ("반품은 누가 처리하나요?", "고객"),
        ("Wie behandelt retouren?", "Klantenservice"),
    ],
)
def test_answers_in_the_askers_language(slack: SlackHarness, question: str, expected: str) -> None:
    slack.dm(question, user="U0FELIX")
    reply = slack.fake.wait_for("chat.postMessage")[0]
    assert expected in texts(reply)


def test_slack_locale_is_asked_for_and_used(slack: SlackHarness) -> None:
    slack.fake.locales["U0FELIX"] = "sv-SE"
    slack.command("/whohandles", "ESC-12345 ???", user="U0FELIX", response="sv")
    call = slack.fake.wait_for("users.info")[0]
    assert call["user"] == "U0FELIX" and call["include_locale"] in (True, "true", "1")
    reply = slack.fake.wait_for("response/sv")[0]
    assert "Tyvärr" in reply["text"]  # the Swedish "I don't know"


def test_bot_messages_and_edits_are_not_questions(slack: SlackHarness) -> None:
    slack.event({"subtype": "message_changed", "text": "who handles returns?"})
    slack.event({"bot_id": "BOTHER", "text": "who handles returns?"})
    slack.settle()
    assert slack.fake.calls("chat.postMessage") == []


def test_wrong_team_correction_changes_later_answers(slack: SlackHarness) -> None:
    question = "who approves discount codes for influencers?"
    slack.dm(question)
    first = slack.fake.wait_for("chat.postMessage")[0]
    first_team = json.loads(button(first["blocks"], "answer_wrong_team")["value"]).get("routed")
    corrected = "finance" if first_team != "finance" else "marketing"
    slack.click("answer_wrong_team", button(first["blocks"], "answer_wrong_team")["value"])
    picker = slack.fake.wait_for("views.open")[0]["view"]
    assert picker["callback_id"] == "correct_modal"
    assert slack.submit(picker, {"team": corrected}) == (200, "")
    slack.settle()
    thanks = slack.posts_to("D0ADA")[-1]
    assert "Thanks" in texts(thanks)
    slack.dm(question, user="U0GRETA")  # someone else, later: the answer has learned
    slack.settle()
    later = slack.posts_to("D0GRETA")[-1]
    assert json.loads(button(later["blocks"], "answer_escalate")["value"])["team"] == corrected


def test_alternative_button_is_taken_as_the_right_team(slack: SlackHarness) -> None:
    slack.dm("who answers customers about promotions?")  # customer service; marketing owns promotions
    answer = slack.fake.wait_for("chat.postMessage")[0]
    alternative = button(answer["blocks"], "answer_alternative_")
    chosen = json.loads(alternative["value"])["team"]
    slack.click(alternative["action_id"], alternative["value"])
    slack.settle()
    reply = slack.posts_to("D0ADA")[-1]
    assert json.loads(button(reply["blocks"], "answer_escalate")["value"])["team"] == chosen


def test_correction_from_a_channel_is_ephemeral(slack: SlackHarness) -> None:
    slack.event({}, name="event_app_mention")
    answer = slack.fake.wait_for("chat.postMessage")[0]
    value = button(answer["blocks"], "answer_wrong_team")["value"]
    slack.click("answer_wrong_team", value, user="U0BO", channel="C0GENERAL")
    picker = slack.fake.wait_for("views.open")[0]["view"]
    slack.submit(picker, {"team": "warehouse"}, user="U0BO")
    slack.settle()
    private = slack.fake.wait_for("chat.postEphemeral")[0]
    assert private["channel"] == "C0GENERAL" and private["user"] == "U0BO"


UNSURE = "vem hanterar returer av zorblax?"  # one known topic, one word nobody knows: unsure


def test_an_unsure_question_offers_choices_and_a_click_is_the_askers_correction(slack: SlackHarness) -> None:
    slack.dm(UNSURE)
    offer = slack.fake.wait_for("chat.postMessage")[0]
    choice = button(offer["blocks"], "answer_alternative_")
    assert json.loads(choice["value"])["team"] == "customer-service"
    assert "button" not in json.dumps(offer["blocks"][0])  # headline first, then the choices
    assert "Digitala kontoret" in texts(offer)  # "none of these": the fallback contact, named in Swedish
    slack.click(choice["action_id"], choice["value"])
    slack.settle()
    answered = slack.posts_to("D0ADA")[-1]
    assert json.loads(button(answered["blocks"], "answer_escalate")["value"])["team"] == "customer-service"
    slack.dm(UNSURE)
    slack.settle()
    again = slack.posts_to("D0ADA")[-1]
    assert json.loads(button(again["blocks"], "answer_escalate")["value"])["team"] == "customer-service"


def test_dm_with_a_file_attached_is_answered(slack: SlackHarness) -> None:
    file = {"id": "F0SHOT", "name": "screenshot.png", "mimetype": "image/png"}
    slack.event({"subtype": "file_share", "text": "who handles returns?", "files": [file]})
    reply = slack.fake.wait_for("chat.postMessage")[0]
    assert reply["channel"] == "D0ADA" and "Customer Service" in reply["text"]


def test_mentions_from_other_bots_are_not_answered(slack: SlackHarness) -> None:
    slack.event({"bot_id": "BOTHER", "user": "U0OTHERBOT"}, name="event_app_mention")
    slack.event({"subtype": "bot_message", "bot_id": "BOTHER"}, name="event_app_mention")
    slack.settle()
    assert slack.fake.calls("chat.postMessage") == []


def test_a_mention_in_a_dm_is_answered_once(slack: SlackHarness) -> None:
    text = "<@UBOT> who handles returns?"
    slack.event({"text": text, "channel": "D0ADA", "user": "U0ADA"})  # message.im
    slack.event({"text": text, "channel": "D0ADA", "user": "U0ADA"}, name="event_app_mention")
    slack.settle()
    assert len(slack.posts_to("D0ADA")) == 1
