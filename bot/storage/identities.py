"""Platform user ids seen at run time with the email the platform gave, and whom they belong to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Identity:
    """A platform user seen by the bot; `person_id` None when the directory has nobody with that email."""

    platform: str
    user_id: str
    email: str | None
    name: str
    person_id: str | None


class IdentityStore(Protocol):
    """platform_identities: one row per (platform, user id)."""

    def save(self, identity: Identity) -> None: ...

    def forget(self, platform: str, user_id: str) -> None: ...

    def all(self, platform: str | None = None) -> list[Identity]:
        """Every identity (of `platform`, given), ordered by platform and user id."""
