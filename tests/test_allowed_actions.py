"""What a state allows is said once (Escalation.allowed_actions): the workflow accepts exactly those
actions, and every surface offers buttons for those only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.escalations.models import ALLOWED_ACTIONS, Actor, Escalation, State
from handlers.slack.render import blocks
from handlers.teams.render import cards

# what each surface's buttons do, in the workflow's words
SLACK = {blocks.ACK: "acknowledge", blocks.RESOLVE: "resolve", blocks.REASSIGN: "reassign"}
TEAMS = {
    cards.ACK: "acknowledge",
    cards.RESOLVE: "resolve",
    cards.REASSIGN: "reassign",
    cards.REOPEN: "reopen",
    cards.LOOP_IN: "loop-in",
}


def _escalation(state: State) -> Escalation:
    now = datetime(2024, 11, 14, 9, 0, tzinfo=UTC)
    return Escalation(
        1, "Returns portal down", "customer-service", "P2", state, 0, Actor("slack", "U0ADA"), now
    )


def _teams_actions(card: dict) -> set[str]:
    found = set()
    for action in card.get("actions", []):
        if action["type"] == "Action.ShowCard":
            found |= _teams_actions(action["card"])
        else:
            found.add(TEAMS[action["data"][cards.ACTION_KEY]])
    return found


def test_every_state_says_what_it_allows() -> None:
    assert set(ALLOWED_ACTIONS) == set(State)
    assert all("comment" in actions for actions in ALLOWED_ACTIONS.values())


@pytest.mark.parametrize("state", list(State))
def test_slack_and_teams_offer_exactly_what_the_state_allows(state: State) -> None:
    esc = _escalation(state)
    allowed = set(esc.allowed_actions())
    slack_card = blocks.escalation_card(esc, "en", "Customer Service", loop_in=[("warehouse", "Warehouse")])
    offered = {
        element["action_id"]
        for block in slack_card
        if block["type"] == "actions"
        for element in block["elements"]
    }
    slack = {SLACK.get(action_id, "loop-in") for action_id in offered}
    assert slack == allowed & {*SLACK.values(), "loop-in"}
    teams_card = cards.escalation_card(
        esc, "en", "Customer Service", [], loop_in=[("warehouse", "Warehouse")]
    )
    assert _teams_actions(teams_card) == allowed & set(TEAMS.values())
