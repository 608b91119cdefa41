"""What the router returns: the accountable team/role for a question, why, and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Alternative:
    """A close runner-up the asker may mean instead."""

    team: str
    role: str | None
    confidence: float


@dataclass(frozen=True)
class Routing:
    """The router's answer. `team` is None when it abstains (out of scope or too unsure)."""

    question: str
    language: str
    team: str | None
    role: str | None
    confidence: float
    matched: str | None = None  # the matched responsibility, in the asker's language
    matched_id: str | None = None  # "<team>/<role or ->/<responsibility id>"
    alternatives: tuple[Alternative, ...] = field(default_factory=tuple)
    corrected: bool = False  # True when a stored user correction decided the team
    nearest: str | None = None  # on abstention: the closest (rejected) team, for knowledge-gap reports
    choices: tuple[Alternative, ...] = field(default_factory=tuple)  # on abstention: teams to pick from
    # every responsibility that explains the question as well as the matched one (its id first)
    explained_by: tuple[str, ...] = field(default_factory=tuple)

    @property
    def explaining(self) -> tuple[str, ...]:
        """The ids of the responsibilities behind the answer: those that explain it, else the matched one."""
        return self.explained_by or ((self.matched_id,) if self.matched_id else ())

    @property
    def abstained(self) -> bool:
        return self.team is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "language": self.language,
            "team": self.team,
            "role": self.role,
            "confidence": round(self.confidence, 3),
            "matched": self.matched,
            "alternatives": [
                {"team": a.team, "role": a.role, "confidence": round(a.confidence, 3)}
                for a in self.alternatives
            ],
            "choices": [
                {"team": a.team, "role": a.role, "confidence": round(a.confidence, 3)} for a in self.choices
            ],
        }
