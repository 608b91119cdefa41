"""JSON form of an action's result, kept with its request id so a retried request replays it exactly."""

from __future__ import annotations

from typing import Any

from bot.escalations.models import Actor, EscalationError, Outcome
from bot.escalations.store import escalation_to_row, row_to_escalation


def encode_outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "action": outcome.action,
        "escalation": {"id": outcome.escalation.id, **escalation_to_row(outcome.escalation)},
        "previous_team": outcome.previous_team,
        "notify_level": outcome.notify_level,
        "actor": _encode_actor(outcome.actor),
        "watcher": outcome.watcher,
    }


def _encode_actor(actor: Actor | None) -> list[str | None] | None:
    if actor is None:
        return None
    return [actor.platform, actor.user_id, actor.display_name, actor.person_id, actor.email]


def _decode_actor(value: Any) -> Actor | None:
    if not value:
        return None
    return Actor(value[0], value[1], value[2] or "", value[3], value[4] if len(value) > 4 else None)


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
        actor=_decode_actor(result.get("actor")),
        watcher=result.get("watcher"),
    )
