"""Slack escalations end to end: /escalate, modal, shortcut, card buttons, DMs, App Home, sweep, errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from slack_fake_api import channel_id
from slack_harness import SlackHarness, button, texts

from bot.escalations.models import State
from bot.storage.clock import utc_now

CS_CHANNEL = channel_id("#customer-service")


def escalate_via_modal(
    slack: SlackHarness, summary: str, team: str, *, user: str = "U0ADA", priority: str = "P2"
) -> dict:
    """/escalate with no text -> modal -> submit; returns the team-channel card call."""
    before = len(slack.fake.calls("chat.postMessage"))
    assert slack.command("/escalate", "", user=user)[0] == 200
    view = slack.fake.wait_for("views.open")[-1]["view"]
    status, body = slack.submit(view, {"summary": summary, "team": team, "priority": priority}, user=user)
    assert (status, body) == (200, "")
    slack.settle()
    return slack.fake.calls("chat.postMessage")[before]


def test_question_to_acknowledged_escalation_whole_path(slack: SlackHarness) -> None:
    # question in a DM -> answer with an Escalate button
    assert slack.dm("who handles returns?")[0] == 200
    answer = slack.fake.wait_for("chat.postMessage")[0]
    escalate = button(answer["blocks"], "answer_escalate")
    assert json.loads(escalate["value"])["team"] == "customer-service"
    # Escalate button -> modal prefilled with the question and the routed team
    slack.click("answer_escalate", escalate["value"])
    view = slack.fake.wait_for("views.open")[0]["view"]
    team_block = next(b for b in view["blocks"] if b.get("block_id") == "team")
    assert team_block["element"]["initial_option"]["value"] == "customer-service"
    summary_block = next(b for b in view["blocks"] if b.get("block_id") == "summary")
    assert summary_block["element"]["initial_value"] == "who handles returns?"
    # submit -> card in the team channel with the three buttons, requester told by DM
    assert slack.submit(
        view, {"summary": "Returns portal rejects every RMA", "team": "customer-service", "priority": "P1"}
    ) == (200, "")
    slack.settle()
    card = slack.posts_to("#customer-service")[0]
    assert "ESC-1" in texts(card) and "Returns portal rejects every RMA" in texts(card)
    for action in ("escalation_ack", "escalation_resolve", "escalation_reassign"):
        assert button(card["blocks"], action)["value"] == "1"
    dm = slack.posts_to("D0ADA")
    assert any("ESC-1" in texts(c) for c in dm)
    # Acknowledge by a team member -> the same message updated in place, requester DM'd
    slack.click("escalation_ack", "1", user="U0DAAN", channel=CS_CHANNEL, message_ts="1700000000.000002")
    slack.settle()
    update = slack.fake.wait_for("chat.update")[0]
    assert update["channel"] == CS_CHANNEL
    assert update["ts"] == slack.runtime.notifier.refs.cards(1)[0][1]
    # the card speaks the team's language (customer-service: nl in the directory)
    assert "Bevestigd door <@U0DAAN>" in texts(update)
    with pytest.raises(AssertionError):
        button(update["blocks"], "escalation_ack")  # no Acknowledge button once acknowledged
    assert any("acknowledged" in texts(c) and "ESC-1" in texts(c) for c in slack.posts_to("D0ADA"))
    assert slack.runtime.core.service.get("ESC-1").state is State.ACKNOWLEDGED


def test_escalate_with_text_speaks_the_command_language(slack: SlackHarness) -> None:
    slack.command("/escalate", "warehouse P1 pallets stuck at the loading dock", response="esc")
    reply = slack.fake.wait_for("response/esc")[0]
    assert reply["response_type"] == "ephemeral" and "ESC-1" in reply["text"]
    slack.settle()
    esc = slack.runtime.core.service.get("ESC-1")
    assert (esc.team, esc.priority, esc.source_channel) == ("warehouse", "P1", "C0GENERAL")
    assert slack.posts_to("#warehouse")
    slack.command("/escalate", "list mine", response="list")
    assert "ESC-1" in slack.fake.wait_for("response/list")[0]["text"]


def test_misspelt_team_in_slash_escalate_creates_nothing(slack: SlackHarness) -> None:
    slack.command("/escalate", "marketting campaign banner is wrong", response="typo")
    reply = slack.fake.wait_for("response/typo")[0]
    assert "did you mean marketing?" in reply["text"]
    slack.settle()
    assert slack.escalation_count() == 0


def test_modal_rejects_an_empty_summary_inline(slack: SlackHarness) -> None:
    slack.command("/escalate", "")
    view = slack.fake.wait_for("views.open")[0]["view"]
    status, body = slack.submit(view, {"summary": "   ", "team": "it", "priority": "P2"})
    assert status == 200
    assert json.loads(body)["response_action"] == "errors" and "summary" in json.loads(body)["errors"]
    slack.settle()
    assert slack.escalation_count() == 0


def test_modal_with_errors_creates_nothing_until_it_is_fixed(slack: SlackHarness) -> None:
    slack.command("/escalate", "")
    view = slack.fake.wait_for("views.open")[0]["view"]
    too_long = {"summary": "refund API down " * 220, "team": "", "priority": "P2"}  # 3,520 chars, no team
    status, body = slack.submit(view, too_long, view_id="VFORM")
    assert status == 200 and set(json.loads(body)["errors"]) == {"summary", "team"}
    slack.settle()
    assert slack.escalation_count() == 0  # the lazy half must not create it behind the errors
    fixed = {"summary": "refund API down", "team": "finance", "priority": "P2"}
    assert slack.submit(view, fixed, view_id="VFORM") == (200, "")
    slack.settle()
    assert slack.escalation_count() == 1
    assert slack.runtime.core.service.get("ESC-1").summary == "refund API down"


def test_resubmitted_modal_creates_one_escalation(slack: SlackHarness) -> None:
    slack.command("/escalate", "")
    view = slack.fake.wait_for("views.open")[0]["view"]
    values = {"summary": "VPN down for the warehouse scanners", "team": "it", "priority": "P1"}
    slack.submit(view, values, view_id="VSAME")
    slack.submit(view, values, view_id="VSAME")  # double click: a new trigger, the same view
    slack.settle()
    assert slack.escalation_count() == 1
    assert len(slack.posts_to("#it-dev")) == 1


def test_message_shortcut_escalates_with_permalink(slack: SlackHarness) -> None:
    slack.shortcut("The refund for order 1234 never arrived and the customer wants to return the shoes")
    slack.settle()
    link_call = slack.fake.wait_for("chat.getPermalink")[0]
    assert link_call["channel"] == "C0GENERAL"
    esc = slack.runtime.core.service.get("ESC-1")
    assert esc.team == "customer-service"
    assert esc.message_link and esc.message_link.startswith("https://example.slack.com/archives/C0GENERAL/")
    assert esc.requester.user_id == "U0BO"
    confirm = slack.fake.wait_for("chat.postEphemeral")[0]
    assert confirm["user"] == "U0BO" and "ESC-1" in confirm["text"]
    assert esc.message_link in texts(slack.posts_to("#customer-service")[0])


def test_shortcut_the_router_cannot_place_opens_the_modal(slack: SlackHarness) -> None:
    slack.shortcut("what is the weather on mars?")
    slack.settle()
    view = slack.fake.wait_for("views.open")[0]["view"]
    assert view["callback_id"] == "escalate_modal"
    assert "initial_option" not in next(b for b in view["blocks"] if b.get("block_id") == "team")["element"]
    assert slack.escalation_count() == 0


def test_outsider_cannot_acknowledge_and_is_told(slack: SlackHarness) -> None:
    escalate_via_modal(slack, "Stock count off by 40 units", "warehouse")
    slack.click("escalation_ack", "1", user="U0FELIX", channel=channel_id("#warehouse"))
    slack.settle()
    refusal = slack.fake.wait_for("chat.postEphemeral")[0]
    assert refusal["user"] == "U0FELIX" and refusal["channel"] == channel_id("#warehouse")
    assert slack.runtime.core.service.get("ESC-1").state is State.OPEN
    assert slack.fake.calls("chat.update") == []


def test_reassign_moves_the_card(slack: SlackHarness) -> None:
    escalate_via_modal(slack, "Banner shows the wrong price", "marketing")
    slack.click("escalation_reassign", "1", user="U0CECIL", channel=channel_id("#marketing"))
    view = slack.fake.wait_for("views.open", 2)[-1]["view"]
    assert view["callback_id"] == "reassign_modal"
    slack.submit(view, {"team": "ecommerce"}, user="U0CECIL")
    slack.settle()
    assert slack.runtime.core.service.get("ESC-1").team == "ecommerce"
    old = slack.fake.wait_for("chat.update")[0]
    assert old["channel"] == channel_id("#marketing")
    with pytest.raises(AssertionError):
        button(old["blocks"], "escalation_ack")
    new_card = slack.posts_to("#ecommerce")[0]
    assert button(new_card["blocks"], "escalation_ack")["value"] == "1"


def test_app_home_lists_my_escalations_and_my_team_queue(slack: SlackHarness) -> None:
    escalate_via_modal(slack, "Customer wants a refund in cash", "customer-service", user="U0ADA")
    slack.event({"user": "U0DAAN"}, name="event_app_home_opened")
    slack.settle()
    home = slack.fake.wait_for("views.publish")[0]
    assert home["user_id"] == "U0DAAN" and home["view"]["type"] == "home"
    assert "ESC-1" in texts(home)  # in Daan's team queue
    slack.event({"user": "U0ADA"}, name="event_app_home_opened")
    slack.settle()
    mine = slack.fake.wait_for("views.publish", 2)[1]
    assert mine["user_id"] == "U0ADA" and "ESC-1" in texts(mine)


def test_sweep_bump_notifies_the_next_level(slack: SlackHarness) -> None:
    escalate_via_modal(slack, "Checkout fails for every card payment", "customer-service", priority="P1")
    slack.runtime.core.service.sweep(utc_now() + timedelta(hours=2))
    slack.settle()
    lead_dm = slack.posts_to("D0DAAN")  # level 1 of the chain is the team lead: Daan
    assert lead_dm and "ESC-1" in texts(lead_dm[-1])
    update = slack.fake.wait_for("chat.update")[-1]
    assert update["channel"] == CS_CHANNEL and "niveau 1" in texts(update)


def test_channel_not_found_keeps_the_escalation_and_tells_the_requester(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", "channel_not_found")
    escalate_via_modal(slack, "Supplier invoice is missing", "finance")
    assert slack.escalation_count() == 1
    told = [c for c in slack.posts_to("D0ADA") if "channel_not_found" in texts(c)]
    assert told and "ESC-1" in texts(told[0])
    assert slack.runtime.notifier.refs.cards(1) == []


def test_rate_limited_post_is_retried_after_retry_after(slack: SlackHarness) -> None:
    slack.fake.rate_limit("chat.postMessage", retry_after=0)
    escalate_via_modal(slack, "Product feed export broken", "data")
    assert slack.escalation_count() == 1
    assert len(slack.posts_to("#data")) == 2  # the 429, then the retry that landed
    assert slack.runtime.notifier.refs.cards(1) == [
        (channel_id("#data"), slack.runtime.notifier.refs.cards(1)[0][1])
    ]


def test_rate_limited_twice_is_retried_from_the_outbox(slack: SlackHarness) -> None:
    slack.fake.rate_limit("chat.postMessage", retry_after=0, times=2)
    escalate_via_modal(slack, "Payments report empty", "finance")
    assert slack.escalation_count() == 1
    # the client's own retry is rate limited too; the outbox tries again later and the card lands once
    assert len(slack.runtime.notifier.refs.cards(1)) == 1
    told = slack.posts_to("D0ADA")
    assert any("ESC-1" in texts(c) for c in told)
    assert not any("ratelimited" in texts(c) for c in told)
    # in order: the requester hears "sent to the team" only once the card is really there
    order = [c.get("channel") for c in slack.fake.answered("chat.postMessage")]
    assert order.index("#finance") < order.index("D0ADA")


def test_rate_limited_for_good_falls_back_and_tells_the_requester(slack: SlackHarness) -> None:
    slack.fake.rate_limit("chat.postMessage", retry_after=0, times=6)  # 3 outbox attempts x 2 calls
    escalate_via_modal(slack, "Payments report empty", "finance")
    assert slack.escalation_count() == 1
    assert any("ratelimited" in texts(c) and "ESC-1" in texts(c) for c in slack.posts_to("D0ADA"))
    assert slack.runtime.notifier.refs.cards(1) == []
    [row] = [r for r in slack.outbox_rows() if r.kind == "card" and r.platform == "slack"]
    assert row.state == "failed" and "ratelimited" in (row.error or "")


def test_modals_are_opened_before_the_ack_returns(slack: SlackHarness) -> None:
    """trigger_id expires 3 s after the click: views.open is called on the request thread, not queued."""
    assert slack.command("/escalate", "") == (200, "")
    assert len(slack.fake.calls("views.open")) == 1  # already, without waiting for the app's workers
    value = json.dumps({"team": "it", "q": "VPN down"})
    assert slack.click("answer_escalate", value)[0] == 200
    assert len(slack.fake.calls("views.open")) == 2
    assert slack.click("answer_wrong_team", json.dumps({"routed": "it", "q": "VPN down"}))[0] == 200
    assert [c["view"]["callback_id"] for c in slack.fake.calls("views.open")] == [
        "escalate_modal",
        "escalate_modal",
        "correct_modal",
    ]


def test_only_the_escalation_card_pings_the_teams_user_group(slack: SlackHarness) -> None:
    slack.event({"user": "U0BO"}, name="event_app_mention")  # an answer in a channel: no ping
    slack.command("/escalate", "customer-service P1 the returns portal is down")
    slack.settle()
    [answer] = slack.posts_to("C0GENERAL")
    assert "subteam" not in texts(answer)
    [card] = slack.posts_to("#customer-service")
    assert card["text"].startswith("<!subteam^S0CS> ESC-1")


def test_a_modal_that_cannot_open_is_reported_to_the_user(slack: SlackHarness) -> None:
    slack.fake.fail("views.open", "expired_trigger_id")
    assert slack.command("/escalate", "") == (200, "")
    [dm] = slack.posts_to("D0ADA")
    assert "Something went wrong" in dm["text"]
