"""One door per intent: the same escalation steps taken on Slack (signed HTTP, fake Web API) and on Teams
(POST /api/messages, fake connector) make the same decisions, tell the same people and teams, and refuse
with the same words."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from pathlib import Path
from typing import Any

from slack_fake_api import channel_id
from slack_harness import SlackHarness
from teams_fake_connector import Harness, teams_harness

from bot.directory import Directory
from bot.escalations.models import State
from bot.escalations.notices import decode_notice
from bot.storage.delivery import OUTBOX_STATES

SUMMARY = "Returns portal rejects every RMA"
# (who, what, the team whose channel shows the card, the team picked: to reassign to or to loop in)
STEPS: tuple[tuple[str, str, str, str | None], ...] = (
    ("felix", "ack", "customer-service", None),  # not in the team: refused
    ("daan", "ack", "customer-service", None),
    ("daan", "ack", "customer-service", None),  # already acknowledged: refused
    ("daan", "reassign", "customer-service", "warehouse"),
    ("eun", "loop_in", "warehouse", "warehouse"),  # its own team: refused
    ("eun", "loop_in", "warehouse", "customer-service"),
    ("felix", "resolve", "warehouse", None),  # not in the team: refused
    ("eun", "resolve", "warehouse", None),
)
SLACK_SAYS = (0, 2, 4, 5, 6)  # refusals and loop-ins; the other steps show on the updated card
_ids = itertools.count(1_700_000_100_000)


def _decisions(core: Any) -> tuple[State, list[tuple[str, str | None, str | None, str | None]]]:
    """The escalation's final state and its audit trail, people named by directory id."""
    directory: Directory = core.directory
    history = []
    for event in core.service.history("ESC-1"):
        platform, _, user = event.actor.partition(":")
        person = directory.person_for(platform, user)
        history.append((event.action, event.from_state, event.to_state, person.id if person else None))
    return core.service.get("ESC-1").state, history


def _recipients(core: Any) -> list[tuple[str, str, str, str]]:
    """Every notice in the outbox as (kind, platform, who, action): a team for channel notices, a
    directory person otherwise (the requester is reached where they asked, hence no platform)."""
    directory: Directory = core.directory
    channels = {
        (platform, channel): team
        for team, contact in directory.teams.items()
        for platform, channel in (("slack", contact.slack_channel), ("teams", contact.teams_channel))
    }
    found = []
    for row in core.stores.outbox.listing(OUTBOX_STATES, limit=1000):
        notice = decode_notice(row.platform, row.payload)
        if notice.kind in ("card", "channel", "fallback"):
            who = channels.get((row.platform, notice.to), notice.to)
        else:
            person = directory.person_for(row.platform, notice.to)
            who = notice.person or (person.id if person else notice.to)
        platform = "-" if notice.kind == "requester" else row.platform
        found.append((notice.kind, platform, who, notice.action))
    return sorted(found)


# ------------------------------------------------------------------------------------------- Slack
def _on_slack(slack: SlackHarness) -> tuple[Any, list[str]]:
    people = slack.runtime.core.directory.people
    for person in people.values():
        if person.slack:
            slack.fake.locales[person.slack] = "en-US"
    status, _ = slack.command("/escalate", f"customer-service {SUMMARY}", user=people["bo"].slack or "")
    assert status == 200
    slack.settle()
    replies = []
    for who, verb, team, new_team in STEPS:
        user, channel = people[who].slack or "", channel_id(f"#{team}")
        before = len(slack.fake.calls("chat.postEphemeral"))
        if verb == "loop_in":
            value = json.dumps({"ref": "ESC-1", "team": new_team})
            slack.click("escalation_loop_in_0", value, user=user, channel=channel)
        else:
            slack.click(f"escalation_{verb}", "1", user=user, channel=channel)
        slack.settle()
        if verb == "reassign" and new_team is not None:
            view = slack.fake.wait_for("views.open")[-1]["view"]
            assert slack.submit(view, {"team": new_team}, user=user)[0] == 200
            slack.settle()
        said = [c["text"] for c in slack.fake.calls("chat.postEphemeral")[before:] if c["user"] == user]
        assert len(said) <= 1
        replies.append(_plain(said[0], "slack") if said else "")
    return slack.runtime.core, replies


# ------------------------------------------------------------------------------------------- Teams
def _teams_activity(h: Harness, who: str, conversation: str, **fields: Any) -> dict[str, Any]:
    person = h.core.directory.people[who]
    activity = h.activity("card_submit_ack_channel", id=str(next(_ids)), locale="en-US", **fields)
    activity["from"] = {"id": person.ms_teams, "name": person.name}
    activity["conversation"] = {**activity["conversation"], "id": conversation}
    return activity


async def _install(h: Harness, team: str) -> None:
    channel = h.core.directory.teams[team].teams_channel
    install = h.activity("conversation_update_team_install", id=f"f:{next(_ids)}")
    install["conversation"] = {**install["conversation"], "id": channel}
    install["channelData"]["team"] = {"id": channel, "name": team}
    assert (await h.post(install)).status == 200


async def _teams_steps(h: Harness) -> list[str]:
    for team in ("customer-service", "warehouse"):
        await _install(h, team)
    personal = _teams_activity(h, "bo", "a:personal-bo", text=f"escalate customer-service {SUMMARY}")
    personal.pop("value")
    personal["conversation"] = {"conversationType": "personal", "id": "a:personal-bo"}
    assert (await h.post(personal)).status == 200
    await h.settle()
    replies = []
    for who, verb, team, new_team in STEPS:
        channel = h.core.directory.teams[team].teams_channel
        value = {"rolebot": verb, "ref": "ESC-1", **({"team": new_team} if new_team else {})}
        activity = _teams_activity(h, who, f"{channel};messageid=msg-1", value=value)
        assert (await h.post(activity)).status == 200
        await h.settle()
        said = [c.body.get("text", "") for c in h.fake.calls if c.activity_id == activity["id"]]
        replies.append(_plain(said[0], "teams") if said else "")
    return replies


def _on_teams(db: Path) -> tuple[tuple[State, list[Any]], list[Any], list[str]]:
    async def run() -> tuple[tuple[State, list[Any]], list[Any], list[str]]:
        async with teams_harness(db) as h:
            replies = await _teams_steps(h)
            return _decisions(h.core), _recipients(h.core), replies

    return asyncio.run(run())


def _plain(text: str, platform: str) -> str:
    """The words shown, without the platform's escaping."""
    if platform == "teams":
        return re.sub(r"\\(.)", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_slack_and_teams_make_the_same_decisions_for_the_same_steps(
    slack: SlackHarness, tmp_path: Path
) -> None:
    slack_core, slack_replies = _on_slack(slack)
    teams_decisions, teams_recipients, teams_replies = _on_teams(tmp_path / "teams.db")

    state, history = _decisions(slack_core)
    assert (state, history) == teams_decisions
    assert state is State.RESOLVED
    assert [entry[0] for entry in history] == [
        "created",
        "refused",
        "acknowledged",
        "reassigned",
        "refused",
        "resolved",
    ]
    assert [entry[3] for entry in history] == ["bo", "felix", "daan", "daan", "felix", "eun"]

    recipients = _recipients(slack_core)
    assert recipients == teams_recipients
    told = {(kind, who) for kind, _, who, _ in recipients}
    assert {("card", "customer-service"), ("card", "warehouse"), ("requester", "bo")} <= told
    assert ("card", "slack", "customer-service", "watched") in recipients  # looped in: its own card
    assert not [r for r in recipients if r[0] in ("fallback", "lead", "not_reached")]

    # refusals and replies are written once: word for word the same on both platforms
    assert [slack_replies[i] for i in SLACK_SAYS] == [teams_replies[i] for i in SLACK_SAYS]
    assert not [reply for i, reply in enumerate(slack_replies) if i not in SLACK_SAYS and reply]
    refused_ack, acked_twice, same_team, looped_in, refused_resolve = (slack_replies[i] for i in SLACK_SAYS)
    assert refused_ack == "You cannot acknowledge ESC-1: only members of Customer Service or an admin can."
    assert acked_twice == "ESC-1 is acknowledged, so you cannot acknowledge it."
    assert same_team == "ESC-1 is already with Warehouse."
    assert looped_in.startswith("Customer Service is now watching ESC-1")
    assert refused_resolve == "You cannot resolve ESC-1: only members of Warehouse or an admin can."
