"""Routing accuracy on a labelled question file: team, role and abstention, overall and per language."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.routing import Routing


@dataclass(frozen=True)
class Case:
    """One labelled question; `teams` empty means the question is out of scope (should abstain)."""

    question: str
    teams: tuple[str, ...]
    role: str | None
    language: str | None


@dataclass
class Tally:
    team_total: int = 0
    team_ok: int = 0
    role_total: int = 0
    role_ok: int = 0
    oos_total: int = 0
    oos_ok: int = 0

    def add(self, case: Case, routing: Routing) -> bool:
        if not case.teams:
            self.oos_total += 1
            ok = routing.team is None
            self.oos_ok += ok
            return ok
        self.team_total += 1
        ok = routing.team in case.teams
        self.team_ok += ok
        if case.role is not None:
            self.role_total += 1
            role_ok = ok and routing.role == case.role
            self.role_ok += role_ok
            return role_ok
        return ok

    def as_dict(self) -> dict[str, Any]:
        def rate(ok: int, total: int) -> float | None:
            return round(ok / total, 4) if total else None

        return {
            "team_accuracy": rate(self.team_ok, self.team_total),
            "role_accuracy": rate(self.role_ok, self.role_total),
            "abstention_accuracy": rate(self.oos_ok, self.oos_total),
            "counts": {"team": self.team_total, "role": self.role_total, "out_of_scope": self.oos_total},
        }


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "by_language": {lang: tally.as_dict() for lang, tally in sorted(self.by_language.items())},
            "misses": self.misses,
        }


def parse_case(line: str) -> Case:
    """A JSON line with q, team (id, list of ids, or null) and optional role and lang."""
    raw = json.loads(line)
    if not isinstance(raw, dict) or not isinstance(raw.get("q"), str):
        raise ValueError("each line needs a JSON object with a string 'q'")
    team = raw.get("team")
    teams = tuple(team) if isinstance(team, list) else ((team,) if team else ())
    return Case(raw["q"], tuple(str(t) for t in teams), raw.get("role"), raw.get("lang"))


def evaluate(cases: Iterable[Case], route: Any) -> Report:
    """Route every case with `route(question) -> Routing` and tally the results."""
    report = Report()
    for case in cases:
        routing: Routing = route(case.question)
        language = case.language or routing.language
        ok = report.overall.add(case, routing)
        report.by_language[language].add(case, routing)
        if not ok:
            report.misses.append(
                {
                    "q": case.question,
                    "expected_team": list(case.teams) or None,
                    "expected_role": case.role,
                    "got_team": routing.team,
                    "got_role": routing.role,
                    "confidence": round(routing.confidence, 3),
                }
            )
    return report
