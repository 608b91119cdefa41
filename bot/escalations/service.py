"""The escalation workflow every surface drives: create, acknowledge, resolve, ... and the policy sweep."""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.directory import Directory
from bot.escalations.access import Refused, Step, TeamRouter, identify, not_found, permitted, team_and_role
from bot.escalations.breach import breach_changes
from bot.escalations.models import (
    DEFAULT_PRIORITY,
    SYSTEM,
    Actor,
    AuditEvent,
    Escalation,
    EscalationError,
    ListFilter,
    Outcome,
    State,
)
from bot.escalations.notices import notices_for
from bot.escalations.policy import SlaClock
from bot.escalations.sweep import Sweeper
from bot.escalations.validation import (
    MAX_DETAILS,
    MAX_SUMMARY,
    MAX_TEXT,
    check_priority,
    check_team,
    check_text,
    parse_ref,
)
from bot.escalations.wire import encode_error, encode_outcome, replay
from bot.knowledge import KnowledgeBase
from bot.languages import normalise_language
from bot.ports import Notifier, NullNotifier
from bot.storage.clock import utc_now
from bot.storage.escalations import ACTIVE_STATES, EscalationStore, StoreTransaction

log = logging.getLogger(__name__)
Work = Callable[[StoreTransaction], Outcome]


class EscalationService:
    """Workflow over an EscalationStore; authorisation from the directory, SLA from its policies."""

    def __init__(
        self,
        store: EscalationStore,
        kb: KnowledgeBase,
        directory: Directory,
        *,
        router: TeamRouter | None = None,
        notifier: Notifier | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store, self.kb, self.directory, self.router = store, kb, directory, router
        self.notifier: Notifier = notifier or NullNotifier()
        self.clock = clock
        self.sla = SlaClock(directory)
        self._sweeper = Sweeper(store, directory, self.sla, self._tell)

    # ---------------------------------------------------------------- actions
    def create(
        self,
        actor: Actor,
        summary: str,
        *,
        team: str | None = None,
        role: str | None = None,
        priority: str = DEFAULT_PRIORITY,
        details: str = "",
        source_channel: str | None = None,
        message_link: str | None = None,
        language: str = "en",
        request_id: str | None = None,
        shared_request_id: str | None = None,
    ) -> Outcome:
        """Open an escalation. request_id: the caller's retry key (scoped by the actor);
        shared_request_id: a key owned by what is escalated (a standup blocker), whoever asks."""
        summary = check_text(summary, "summary", MAX_SUMMARY)
        details = check_text(details, "details", MAX_DETAILS, required=False)
        priority = check_priority(priority)
        team, role = team_and_role(self.kb, self.router, summary, team, role)
        actor = self.identify(actor)

        def work(tx: StoreTransaction) -> Outcome:
            now = self.clock()
            draft = Escalation(
                id=0,
                summary=summary,
                team=team,
                priority=priority,
                state=State.OPEN,
                level=0,
                requester=actor,
                created_at=now,
                ack_due=self.sla.ack_due(team, priority, now),
                resolve_due=self.sla.resolve_due(team, priority, now),
                role=role,
                details=details,
                source_channel=source_channel,
                message_link=message_link,
                language=normalise_language(language),
            )
            stored = tx.insert(draft)
            tx.audit(AuditEvent(stored.id, now, actor.key, "created", None, State.OPEN.value, ""))
            return Outcome("created", stored, notify_level=0, actor=actor)

        return self._run(actor, request_id, "created", work, shared_request_id)

    def acknowledge(self, ref: str, actor: Actor, *, request_id: str | None = None) -> Outcome:
        step = Step("acknowledged", "acknowledge", "team")
        return self._act(
            ref,
            actor,
            step,
            request_id,
            lambda e, now: {"state": State.ACKNOWLEDGED, "acknowledged_at": now, **breach_changes(e, now)},
        )

    def resolve(self, ref: str, actor: Actor, note: str = "", *, request_id: str | None = None) -> Outcome:
        note = check_text(note, "note", MAX_TEXT, required=False)
        step = Step("resolved", "resolve", "team")
        return self._act(
            ref,
            actor,
            step,
            request_id,
            lambda e, now: {
                "state": State.RESOLVED,
                "resolved_at": now,
                **breach_changes(e, now, closing=True),
            },
            comment=note,
        )

    def reopen(self, ref: str, actor: Actor, *, request_id: str | None = None) -> Outcome:
        step = Step("reopened", "reopen", "reopen")
        # A reopened escalation starts afresh: its earlier breach was counted when it was resolved.
        fresh = {"breached_at": None, "breach_levels": ""}
        return self._act(
            ref,
            actor,
            step,
            request_id,
            lambda e, now: {**self._restart(e, e.team, now), **fresh},
            notify_level=0,
        )

    def cancel(self, ref: str, actor: Actor, *, request_id: str | None = None) -> Outcome:
        step = Step("cancelled", "cancel", "requester")
        return self._act(ref, actor, step, request_id, lambda e, now: {"state": State.CANCELLED})

    def reassign(
        self, ref: str, actor: Actor, team: str, reason: str = "", *, request_id: str | None = None
    ) -> Outcome:
        new_team = check_team(self.kb, team)
        reason = check_text(reason, "reason", MAX_TEXT, required=False)
        step = Step("reassigned", "reassign", "team")

        def changes(esc: Escalation, now: datetime) -> dict[str, Any]:
            if esc.team == new_team:
                raise EscalationError(
                    "invalid",
                    f"{esc.ref} is already with {new_team}",
                    field="team",
                    reason="same-team",
                    ref=esc.ref,
                    team=new_team,
                )
            # a deadline already missed stays on record: the fresh clocks must not hide it
            return {
                **self._restart(esc, new_team, now),
                "team": new_team,
                "role": None,
                **breach_changes(esc, now),
            }

        return self._act(
            ref, actor, step, request_id, changes, comment=reason, notify_level=0, comment_prefix=True
        )

    def comment(self, ref: str, actor: Actor, text: str, *, request_id: str | None = None) -> Outcome:
        text = check_text(text, "comment", MAX_TEXT)
        step = Step("commented", "comment", "anyone")
        return self._act(ref, actor, step, request_id, lambda e, now: {}, comment=text)

    def bump(self, ref: str, actor: Actor, *, request_id: str | None = None) -> Outcome:
        step = Step("bumped", "bump", "team")

        def changes(esc: Escalation, now: datetime) -> dict[str, Any]:
            chain = self.directory.policy(esc.team).chain
            if esc.level + 1 >= len(chain):
                raise EscalationError(
                    "wrong_state",
                    f"{esc.ref} is already at the top of its escalation chain",
                    ref=esc.ref,
                    state=esc.state.value,
                    action="bump",
                )
            return {
                "level": esc.level + 1,
                "chain_exhausted": 0,
                "ack_due": self.sla.ack_due(esc.team, esc.priority, now),
                **breach_changes(esc, now),
            }

        return self._act(ref, actor, step, request_id, changes, comment="escalated by hand", notify_level=-1)

    # ---------------------------------------------------------------- queries
    def get(self, ref: str) -> Escalation:
        escalation_id = parse_ref(ref)
        found = self.store.get(escalation_id)
        if found is None:
            raise not_found(escalation_id)
        return found

    def history(self, ref: str) -> builtins.list[AuditEvent]:
        return self.store.history(self.get(ref).id)

    def sweep(self, now: datetime | None = None) -> builtins.list[Outcome]:
        """Move overdue escalations up their chain; safe to run from several processes at once."""
        outcomes = self._sweeper.sweep(now or self.clock())
        for outcome in outcomes:
            self._notify(outcome)
        return outcomes

    def list(self, filter: ListFilter) -> builtins.list[Escalation]:
        """Escalations for a list scope: mine | team | open | overdue | all (newest or most overdue first)."""
        limit = max(1, min(filter.limit, 500))
        states = filter.states
        teams = [check_team(self.kb, filter.team)] if filter.team else None
        if filter.scope == "overdue":
            return self.store.query(states=states, teams=teams, overdue_at=self.clock(), limit=limit)
        if filter.scope == "mine":
            if filter.actor is None:
                raise EscalationError(
                    "invalid", "list mine needs the acting user", field="scope", reason="no-actor"
                )
            actor = self.identify(filter.actor)
            mine = self.directory.teams_of(actor.person_id) if actor.person_id else []
            return self.store.query(
                states=states or ACTIVE_STATES, teams=teams or mine, requester=actor, limit=limit
            )
        if filter.scope == "team" and not teams:
            raise EscalationError("invalid", "list team needs a team", field="team", reason="empty")
        if filter.scope in ("team", "open"):
            return self.store.query(states=states or ACTIVE_STATES, teams=teams, limit=limit)
        if filter.scope == "all":
            return self.store.query(states=states, teams=teams, limit=limit)
        raise EscalationError(
            "invalid", f"unknown list scope {filter.scope!r}", field="scope", reason="unknown-scope"
        )

    # ---------------------------------------------------------------- helpers
    def identify(self, actor: Actor) -> Actor:
        """`actor` with its directory person id and email (and name, when the platform gave none)."""
        return identify(self.directory, actor)

    def _restart(self, esc: Escalation, team: str, now: datetime) -> dict[str, Any]:
        """Fields that put an escalation back at the start of `team`'s chain with fresh SLA clocks."""
        return {
            "state": State.OPEN,
            "level": 0,
            "cycle": 0,
            "acknowledged_at": None,
            "resolved_at": None,
            "ack_due": self.sla.ack_due(team, esc.priority, now),
            "resolve_due": self.sla.resolve_due(team, esc.priority, now),
            "chain_exhausted": 0,
            "resolve_overdue_flagged": 0,
        }

    def _act(
        self,
        ref: str,
        actor: Actor,
        step: Step,
        request_id: str | None,
        changes: Callable[[Escalation, datetime], dict[str, Any]],
        *,
        comment: str = "",
        notify_level: int | None = None,
        comment_prefix: bool = False,
    ) -> Outcome:
        escalation_id = parse_ref(ref)
        actor = self.identify(actor)

        def work(tx: StoreTransaction) -> Outcome:
            esc = tx.get(escalation_id)
            if esc is None:
                raise not_found(escalation_id)
            reason = permitted(self.directory, esc, actor, step.who)
            if reason is not None:
                raise Refused(esc, actor, step.verb, reason)
            if step.verb not in esc.allowed_actions():
                raise EscalationError(
                    "wrong_state",
                    f"{esc.ref} is {esc.state.value}: cannot {step.verb} it",
                    ref=esc.ref,
                    state=esc.state.value,
                    action=step.verb,
                )
            now = self.clock()
            update = changes(esc, now)
            if update:
                expect = {"state": esc.state, "level": esc.level, "team": esc.team}
                if not tx.update(esc.id, {**update, "updated_at": now}, expect):
                    raise RuntimeError(f"{esc.ref} changed under a held write lock")
            after = tx.get(esc.id) or esc
            text = f"{esc.team} -> {after.team}" if comment_prefix else ""
            text = ": ".join(part for part in (text, comment) if part)
            tx.audit(
                AuditEvent(esc.id, now, actor.key, step.action, esc.state.value, after.state.value, text)
            )
            level = after.level if notify_level == -1 else notify_level
            previous = esc.team if after.team != esc.team else None
            return Outcome(step.action, after, previous_team=previous, notify_level=level, actor=actor)

        return self._run(actor, request_id, step.action, work)

    def announce(self, outcome: Outcome) -> None:
        """Tell about an outcome made outside the workflow's own transactions (a team looped in)."""
        with self.store.transaction() as tx:
            self._tell(tx, outcome)
        self._notify(outcome)

    def _tell(self, tx: StoreTransaction, outcome: Outcome) -> None:
        """The notices for `outcome`, in the transaction that made it: told if and only if committed."""
        tx.enqueue(notices_for(outcome, self.directory, self.kb))

    def _run(
        self, actor: Actor, request_id: str | None, action: str, work: Work, shared: str | None = None
    ) -> Outcome:
        """Run `work` in one write transaction with its idempotency record and its notices, then ring
        the notifier outside it. Request ids are scoped by the actor: a key someone else used is theirs."""
        refused: Refused | None = None
        request_id = shared or (f"{actor.key}|{request_id}" if request_id else None)
        with self.store.transaction() as tx:
            prior = tx.processed(request_id) if request_id else None
            if prior is not None:
                outcome = replay(request_id or "", action, *prior)
                return outcome
            try:
                outcome = work(tx)
            except Refused as exc:
                refused = exc
                esc = exc.escalation
                tx.audit(
                    AuditEvent(
                        esc.id,
                        self.clock(),
                        exc.actor.key,
                        "refused",
                        esc.state.value,
                        esc.state.value,
                        f"{exc.action}: {exc.reason}",
                    )
                )
                if request_id:
                    tx.remember(request_id, action, esc.id, encode_error(exc.error), self.clock())
            else:
                self._tell(tx, outcome)
                if request_id:
                    tx.remember(
                        request_id, action, outcome.escalation.id, encode_outcome(outcome), self.clock()
                    )
        if refused is not None:
            raise refused.error
        self._notify(outcome)
        return outcome

    def _notify(self, outcome: Outcome) -> None:
        # After commit only: tells this process's outbox workers there is work (delivery is theirs).
        try:
            self.notifier.notify(outcome)
        except Exception:
            log.exception("notifier failed for %s %s", outcome.action, outcome.escalation.ref)


__all__ = ["SYSTEM", "EscalationService", "TeamRouter"]
