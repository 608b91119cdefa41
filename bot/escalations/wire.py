"""JSON form of an action's result, kept with its request id so a retried request replays it exactly."""

from __future__ import annotations

from typing import Any

from bot.escalations.models import EscalationError, Outcome
from bot.escalations.store import escalation_to_row, row_to_escalation


def encode_outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "action": outcome.action,
        "escalation": {"id": outcome.escalation.id, **escalation_to_row(outcome.escalation)},
        "previous_team": outcome.previous_team,
        "notify_level": outcome.notify_level,
    }


def encode_error(error: EscalationError) -> dict[str, Any]:
    return {
        "error": {"code": error.code, "message": str(error), "key": error.key, "args": error.args_for_message}
    }


def decode_outcome(result: dict[str, Any]) -> Outcome:
    """The stored Outcome (replayed=True), or the stored refusal raised again."""
    if "error" in result:
        err = result["error"]
        raise EscalationError(err["code"], err["message"], err["key"], **err["args"])
    return Outcome(
        action=result["action"],
        escalation=row_to_escalation(result["escalation"]),
        replayed=True,
        previous_team=result["previous_team"],
        notify_level=result["notify_level"],
    )
