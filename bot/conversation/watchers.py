"""Watchers: teams looped in on an escalation get its card in their channel, and every update to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.escalations.models import Actor, Escalation, EscalationError, Outcome
from bot.escalations.validation import check_team
from bot.knowledge import KnowledgeBase
from bot.loop_in import loop_in

if TYPE_CHECKING:
    from bot.escalations.service import EscalationService
    from bot.router import Router
    from bot.storage.channels import WatcherStore

WATCHED = "watched"  # Outcome.action when a team was looped in


class Watchers:
    """Who else to loop in on an escalation (from coordinates_with), and looping them in."""

    def __init__(
        self, service: EscalationService, router: Router, kb: KnowledgeBase, store: WatcherStore
    ) -> None:
        self.service, self.router, self.kb, self.store = service, router, kb, store

    def teams(self, escalation_id: int) -> list[str]:
        return self.store.teams(escalation_id)

    def suggestions(self, escalation: Escalation) -> tuple[str, ...]:
        """Teams the escalation's matched responsibility involves and that are not watching yet."""
        routing = self.router.route(escalation.summary, escalation.language)
        if routing.team != escalation.team:
            return ()
        watching = set(self.store.teams(escalation.id))
        return tuple(team for team in loop_in(self.kb, routing.explaining) if team not in watching)

    def add(self, ref: str, actor: Actor, team: str) -> Outcome:
        """Loop `team` in on `ref`: its channel gets the card and the same updates from now on.
        Adding a team twice changes nothing (Outcome.replayed); the escalation's own team is refused."""
        escalation = self.service.get(ref)
        team = check_team(self.kb, team)
        if team == escalation.team:
            raise EscalationError(
                "invalid",
                f"{ref} is already with {team}",
                field="team",
                reason="same-team",
                ref=ref,
                team=team,
            )
        added = self.store.add(escalation.id, team, actor.key)
        outcome = Outcome(WATCHED, escalation, replayed=not added, watcher=team)
        if added:
            self.service.announce(outcome)  # the new card goes out through the outbox
        return outcome
