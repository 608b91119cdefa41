"""What people asked about: routed questions recorded by topic (never their text) and their labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.knowledge import KnowledgeBase
from bot.languages import pick
from bot.routing import Routing
from bot.storage.clock import utc_now
from bot.storage.digest import AskedQuestionStore


class AskedQuestionLog:
    """Records the topic of each routed question (abstentions are gaps, kept by the feedback store)."""

    def __init__(self, store: AskedQuestionStore, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    def record(self, routing: Routing, platform: str) -> None:
        """Keep the team, role and matched responsibility of a routed question."""
        if routing.team is None:
            return
        topic = routing.matched_id or f"{routing.team}/{routing.role or '-'}/identity"
        self.store.record(routing.team, routing.role, topic, routing.language, platform, self.clock())

    def top_topics(
        self, team: str, since: datetime, until: datetime, limit: int = 5
    ) -> list[tuple[str, int]]:
        """(topic id, count) for `team` between `since` and `until`, most asked first."""
        return self.store.top_topics(team, since, until, limit)


def topic_label(kb: KnowledgeBase, topic: str, language: str) -> str:
    """The responsibility a topic id names ('team/role/responsibility'), in `language`."""
    team_id, _, rest = topic.partition("/")
    role_id, _, resp_id = rest.partition("/")
    team = kb.teams.get(team_id)
    if team is None:
        return topic
    role = next((r for r in team.roles if r.id == role_id), None)
    for resp in role.responsibilities if role else team.responsibilities:
        if resp.id == resp_id:
            return pick(resp.text, language)
    # identity/correction topics: the question was about the role or team itself
    return role.name(language) if role else team.name(language)
