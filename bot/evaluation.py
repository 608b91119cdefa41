"""Routing quality on a labelled question file: team, role, abstention, wrong answers and offered choices,
overall, per language and per kind of question."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
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
    kind: str | None = None  # keyword, paraphrase, chat, typo, oos-near, oos-far (blind sets)
    bare: str | None = None  # the same question without its chat wrapping


def offered_teams(routing: Routing) -> list[str]:
    """Every team the asker sees: the answer and its alternatives, or the choices of an abstention."""
    teams = [routing.team] if routing.team else []
    teams.extend(a.team for a in (*routing.alternatives, *routing.choices))
    return list(dict.fromkeys(teams))[:3]


@dataclass
class Tally:
    team_total: int = 0
    team_ok: int = 0
    role_total: int = 0
    role_ok: int = 0
    oos_total: int = 0
    oos_ok: int = 0
    wrong: int = 0  # in scope, answered with a team that is not right
    offered_ok: int = 0  # in scope, a right team among those offered (answer, alternatives, choices)
    abstained: int = 0  # in scope, "I don't know" (with or without choices)

    def add(self, case: Case, routing: Routing) -> bool:
        if not case.teams:
            self.oos_total += 1
            ok = routing.team is None
            self.oos_ok += ok
            return ok
        self.team_total += 1
        ok = routing.team in case.teams
        self.team_ok += ok
        self.wrong += routing.team is not None and not ok
        self.abstained += routing.team is None
        self.offered_ok += any(team in case.teams for team in offered_teams(routing))
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
            "wrong_team_rate": rate(self.wrong, self.team_total),
            "in_scope_abstained": rate(self.abstained, self.team_total),
            "right_team_offered": rate(self.offered_ok, self.team_total),
            "counts": {"team": self.team_total, "role": self.role_total, "out_of_scope": self.oos_total},
        }


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    wrapped_total: int = 0  # chat messages with a bare form
    wrapped_same: int = 0  # ... that get the same team as the bare question
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "by_language": {lang: tally.as_dict() for lang, tally in sorted(self.by_language.items())},
            "by_kind": {kind: tally.as_dict() for kind, tally in sorted(self.by_kind.items())},
            "wrapped_same_as_bare": round(self.wrapped_same / self.wrapped_total, 4)
            if self.wrapped_total
            else None,
            "misses": self.misses,
        }


def parse_case(line: str) -> Case:
    """A JSON line with q, team (id, list of ids, or null) and optional role, lang, kind and bare."""
    raw = json.loads(line)
    if not isinstance(raw, dict) or not isinstance(raw.get("q"), str):
        raise ValueError("each line needs a JSON object with a string 'q'")
    team = raw.get("team")
    teams = tuple(team) if isinstance(team, list) else ((team,) if team else ())
    bare = raw.get("bare") if isinstance(raw.get("bare"), str) else None
    return Case(
        raw["q"], tuple(str(t) for t in teams), raw.get("role"), raw.get("lang"), raw.get("kind"), bare
    )


def evaluate(cases: Iterable[Case], route: Callable[[str], Routing]) -> Report:
    """Route every case with `route(question) -> Routing` and tally the results."""
    report = Report()
    for case in cases:
        routing = route(case.question)
        language = case.language or routing.language
        ok = report.overall.add(case, routing)
        report.by_language[language].add(case, routing)
        if case.kind:
            report.by_kind[case.kind].add(case, routing)
        if case.bare is not None:
            report.wrapped_total += 1
            report.wrapped_same += route(case.bare).team == routing.team
        if not ok:
            report.misses.append(
                {
                    "q": case.question,
                    "kind": case.kind,
                    "expected_team": list(case.teams) or None,
                    "expected_role": case.role,
                    "got_team": routing.team,
                    "got_role": routing.role,
                    "offered": offered_teams(routing),
                    "confidence": round(routing.confidence, 3),
                }
            )
    return report
