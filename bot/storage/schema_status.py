"""What a backend reports about its schema: applied and pending migrations, or why it cannot tell."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SchemaStatus:
    """`rolebot db check | migrate` print this for one database."""

    target: str  # the file, or the URL without its password
    backend: str
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    problem: str | None = None
