"""The small organisation the escalation command tests share: warehouse (Eun), customer service, IT."""

from __future__ import annotations

from typing import Any


def org_directory(
    *, ack_p1: str, people: dict[str, dict[str, str]], customer_service: dict[str, list[str]]
) -> dict[str, Any]:
    """The directory as a dict: Ada (admin), Bo and Eun, and `people`; a two-step chain around the clock
    (P1 acknowledged within `ack_p1`); warehouse owned by Eun, customer service as given, IT empty."""
    return {
        "admins": ["ada"],
        "defaults": {
            "timezone": "UTC",
            "escalation": {
                "chain": [
                    {"name": "team channel", "notify": "channel"},
                    {"name": "team lead", "notify": "role:lead"},
                ],
                "ack": {"P1": ack_p1, "P2": "4h", "P3": "16h"},
                "resolve": {"P1": "4h", "P2": "16h", "P3": "40h"},
                "around_the_clock": ["P1", "P2", "P3"],
            },
        },
        "people": {
            "ada": {"name": "Ada Lind"},
            "bo": {"name": "Bo Chen"},
            "eun": {"name": "Eun-ji Park"},
            **people,
        },
        "teams": {
            "warehouse": {"owners": ["eun"], "members": ["eun"]},
            "customer-service": customer_service,
            "it": {},
        },
    }
