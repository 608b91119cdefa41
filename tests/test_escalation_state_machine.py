"""Property-based test of the workflow (hypothesis state machine) against an independent model:
no sequence of actions by any mix of users reaches an illegal state or loses an audit event."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import write_escalation_world
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bot.directory import load_directory
from bot.escalations.models import Actor, EscalationError, State
from bot.escalations.service import EscalationService
from bot.knowledge import load_knowledge
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.escalations import SqliteEscalationStore

# (actor, directory person) pairs: requester-ish outsider, members of two teams, an admin, a stranger.
ACTORS = {
    "zed": Actor("slack", "U0ZED"),
    "hugo": Actor("slack", "U0HUGO"),
    "felix": Actor("slack", "U0FELIX"),
    "eun": Actor("slack", "U0EUN"),
    "ada": Actor("teams", "29:ada"),
    "nobody": Actor("slack", "U0NOBODY"),
}
TEAMS = {"customer-service": {"daan", "hugo"}, "it": {"felix", "greta"}, "warehouse": {"eun", "ines"}}
ADMINS = {"ada"}
CHAIN_TOP = 2
ALLOWED = {
    "acknowledge": {"open"},
    "resolve": {"open", "acknowledged"},
    "reopen": {"resolved", "cancelled"},
    "cancel": {"open", "acknowledged"},
    "reassign": {"open", "acknowledged"},
    "bump": {"open", "acknowledged"},
    "comment": {"open", "acknowledged", "resolved", "cancelled"},
}
WHO = {
    "acknowledge": "team",
    "resolve": "team",
    "reassign": "team",
    "bump": "team",
    "cancel": "requester",
    "reopen": "reopen",
    "comment": "anyone",
}


@dataclass
class Model:
    """What we expect one escalation to be."""

    team: str
    requester: str
    state: str = "open"
    level: int = 0


def permitted(person: str, action: str, model: Model) -> bool:
    in_team = person in TEAMS[model.team]
    is_requester = person == model.requester
    return (
        person in ADMINS
        or {"team": in_team, "requester": is_requester, "anyone": True, "reopen": is_requester or in_team}[
            WHO[action]
        ]
    )


class EscalationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="rolebot-sm-"))
        knowledge, directory = write_escalation_world(self.base)
        self.now = datetime(2024, 6, 3, 10, tzinfo=UTC)
        self.db = open_database(self.base / "rolebot.db")
        self.service = EscalationService(
            SqliteEscalationStore(self.db),
            load_knowledge(knowledge),
            load_directory(directory),
            clock=lambda: self.now,
        )
        self.models: dict[str, Model] = {}
        self.logged = 0  # successful actions + refusals: each must leave exactly one audit row

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.base, ignore_errors=True)

    @rule(
        who=st.sampled_from(sorted(ACTORS)),
        team=st.sampled_from(sorted(TEAMS)),
        priority=st.sampled_from(["P1", "P2", "P3"]),
    )
    def create(self, who: str, team: str, priority: str) -> None:
        outcome = self.service.create(ACTORS[who], f"issue by {who} ✓", team=team, priority=priority)
        self.models[outcome.escalation.ref] = Model(team=team, requester=who)
        self.logged += 1

    @precondition(lambda self: bool(self.models))
    @rule(
        data=st.data(),
        who=st.sampled_from(sorted(ACTORS)),
        action=st.sampled_from(sorted(ALLOWED)),
        team=st.sampled_from(sorted(TEAMS)),
    )
    def act(self, data: st.DataObject, who: str, action: str, team: str) -> None:
        ref = data.draw(st.sampled_from(sorted(self.models)))
        model = self.models[ref]
        extra = {"reassign": (team, "moving"), "comment": ("hello 👋",), "resolve": ("fixed",)}
        args: tuple[str, ...] = extra.get(action, ())
        expected = "forbidden" if not permitted(who, action, model) else None
        if expected is None and (
            model.state not in ALLOWED[action] or (action == "bump" and model.level >= CHAIN_TOP)
        ):
            expected = "wrong_state"
        if expected is None and action == "reassign" and team == model.team:
            expected = "invalid"
        try:
            outcome = getattr(self.service, action)(ref, ACTORS[who], *args)
        except EscalationError as error:
            assert error.code == expected, f"{who} {action} {ref} ({model}): got {error.code}"
            self.logged += error.code == "forbidden"
            return
        assert expected is None, f"{who} {action} {ref} ({model}) should fail with {expected}"
        self.logged += 1
        model.state, model.level, model.team = (
            outcome.escalation.state.value,
            outcome.escalation.level,
            outcome.escalation.team,
        )
        assert model.state == {
            "acknowledge": "acknowledged",
            "resolve": "resolved",
            "reopen": "open",
            "cancel": "cancelled",
            "reassign": "open",
        }.get(action, model.state)

    @rule(minutes=st.integers(min_value=1, max_value=600))
    def time_passes_and_the_sweep_runs(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        for outcome in self.service.sweep():
            self.logged += 1
            self.models[outcome.escalation.ref].level = outcome.escalation.level

    @invariant()
    def stored_matches_the_model_and_the_audit_is_complete(self) -> None:
        for ref, model in self.models.items():
            esc = self.service.get(ref)
            assert (esc.state.value, esc.team, esc.level) == (model.state, model.team, model.level)
            assert 0 <= esc.level <= CHAIN_TOP
            # A reopened or reassigned escalation starts over; a closed one keeps its history.
            if esc.state in (State.OPEN, State.ACKNOWLEDGED):
                assert (esc.acknowledged_at is not None) == (esc.state is State.ACKNOWLEDGED)
            assert (esc.resolved_at is not None) == (esc.state is State.RESOLVED)
        audit = self.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert audit == self.logged


TestEscalationStateMachine = EscalationMachine.TestCase
TestEscalationStateMachine.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
