"""Who may correct an answer (Wrong team? / an alternative): the asker, a member of a team concerned or an
admin. A bystander's click is refused in their language and stores nothing (Slack and Teams over HTTP)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from slack_harness import SlackHarness, button, texts
from teams_fake_connector import Harness, run_teams

LATE_PARCEL = "who tells customers their parcel is late?"


def _corrections(db: Any) -> int:
    return int(
        db.execute("SELECT count(*) FROM routing_feedback WHERE corrected_team IS NOT NULL").fetchone()[0]
    )


def test_slack_bystander_click_is_refused_and_nothing_is_stored(slack: SlackHarness) -> None:
    # Bo asks in #general: routed to CS, the Warehouse offered as an alternative (late parcels)
    slack.event({"user": "U0BO", "text": f"<@UBOT> {LATE_PARCEL}"}, name="event_app_mention")
    answer = slack.fake.wait_for("chat.postMessage")[0]
    alternative = button(answer["blocks"], "answer_alternative_")
    assert json.loads(alternative["value"])["by"] == "U0BO"
    slack.fake.locales["U0CECIL"] = "sv-SE"
    # Cecilia (marketing, not an admin) clicks an alternative under Bo's answer
    slack.click(alternative["action_id"], alternative["value"], user="U0CECIL", channel="C0GENERAL")
    slack.settle()
    [refusal] = slack.fake.calls("chat.postEphemeral")
    assert refusal["user"] == "U0CECIL" and "Bara den som frågade" in texts(refusal)
    assert _corrections(slack.runtime.core.stores.health.db) == 0
    # ... and through the Wrong team? modal too
    wrong = button(answer["blocks"], "answer_wrong_team")["value"]
    slack.click("answer_wrong_team", wrong, user="U0CECIL", channel="C0GENERAL")
    picker = slack.fake.wait_for("views.open")[0]["view"]
    slack.submit(picker, {"team": "warehouse"}, user="U0CECIL")
    slack.settle()
    assert len(slack.fake.calls("chat.postEphemeral")) == 2
    assert _corrections(slack.runtime.core.stores.health.db) == 0
    # the asker may; so may a member of the routed team (Hugo, customer service)
    slack.click(alternative["action_id"], alternative["value"], user="U0BO", channel="C0GENERAL")
    slack.click(alternative["action_id"], alternative["value"], user="U0HUGO", channel="C0GENERAL")
    slack.settle()
    assert _corrections(slack.runtime.core.stores.health.db) == 2


def _submit(h: Harness, n: int, user: str, value: dict[str, Any]) -> dict[str, Any]:
    activity = h.activity("card_submit_escalate", id=f"17000009{n:04d}", value=value)
    activity["from"] = {"id": user, "name": user}
    return activity


def test_teams_bystander_correction_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    async def test(h: Harness) -> None:
        await h.post(h.activity("message_personal"))  # Bo asks
        wrong_team = h.fake.calls[-1].card["actions"][1]["data"]
        assert wrong_team["asker"] == "29:bo"
        await h.post(_submit(h, 1, "29:cecilia", wrong_team))  # the picker opens for anyone ...
        correct = {**h.fake.calls[-1].card["actions"][0]["data"], "team": "warehouse"}
        assert correct["asker"] == "29:bo"
        await h.post(_submit(h, 2, "29:cecilia", correct))  # ... but Cecilia (marketing) may not store it
        refusal = h.fake.calls[-1]
        assert "Only the person who asked" in refusal.body["text"]
        assert _corrections(h.core.stores.health.db) == 0
        await h.post(_submit(h, 3, "29:bo", correct))  # the asker may
        assert "Thanks" in h.fake.calls[-1].card["body"][0]["text"]
        assert _corrections(h.core.stores.health.db) == 1

    run_teams(tmp_path / "r.db", test)
