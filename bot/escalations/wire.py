"""JSON form of an action's result, kept with its request id so a retried request replays it exactly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.escalations.models import Actor, Escalation, EscalationError, Outcome, State
from bot.storage.clock import from_iso, to_iso

_TIME_COLUMNS = ("created_at", "acknowledged_at", "resolved_at", "ack_due", "resolve_due", "breached_at")


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


# ------------------------------------------------------------------ column form (stores and JSON)
def encode_levels(levels: Sequence[int]) -> str:
    return ",".join(str(level) for level in levels)


def decode_levels(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def row_to_escalation(row: Mapping[str, Any]) -> Escalation:
    # .get: results stored for replay before a column existed lack it
    times = {name: from_iso(row.get(name)) for name in _TIME_COLUMNS}
    created = times.pop("created_at")
    assert created is not None  # NOT NULL in the schema
    return Escalation(
        id=int(row["id"]),
        summary=row["summary"],
        team=row["team"],
        priority=row["priority"],
        state=State(row["state"]),
        level=int(row["level"]),
        requester=Actor(
            row["requester_platform"],
            row["requester_user"],
            row["requester_name"],
            row["requester_person"],
            row["requester_email"],
        ),
        created_at=created,
        role=row["role"],
        details=row["details"],
        source_channel=row["source_channel"],
        message_link=row["message_link"],
        language=row["language"],
        cycle=int(row["cycle"]),
        breach_levels=decode_levels(row.get("breach_levels") or ""),
        **times,
    )


def escalation_to_row(esc: Escalation) -> dict[str, Any]:
    """The column values of an escalation (without id), timestamps as ISO-8601 UTC text."""
    row: dict[str, Any] = {
        "summary": esc.summary,
        "details": esc.details,
        "team": esc.team,
        "role": esc.role,
        "priority": esc.priority,
        "state": esc.state.value,
        "level": esc.level,
        "cycle": esc.cycle,
        "language": esc.language,
        "source_channel": esc.source_channel,
        "message_link": esc.message_link,
        "requester_platform": esc.requester.platform,
        "requester_user": esc.requester.user_id,
        "requester_name": esc.requester.display_name,
        "requester_person": esc.requester.person_id,
        "requester_email": esc.requester.email,
        "breach_levels": encode_levels(esc.breach_levels),
    }
    for name in _TIME_COLUMNS:
        value = getattr(esc, name)
        row[name] = to_iso(value) if value is not None else None
    return row


def replay(request_id: str, action: str, stored_action: str, result: dict[str, Any]) -> Outcome:
    """The outcome recorded under `request_id`; invalid when that id was used for another action."""
    if stored_action != action:
        raise EscalationError(
            "invalid",
            f"request id {request_id[:80]!r} was already used for {stored_action}",
            field="request_id",
            reason="reused-request-id",
        )
    return decode_outcome(result)
