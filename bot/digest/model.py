"""Typed digest data built from the store: one team's standup digest and the leadership overview."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.digest.topics import AskedQuestionLog, topic_label
from bot.directory import Directory
from bot.escalations.models import Escalation
from bot.knowledge import KnowledgeBase
from bot.standup.render import StandupView
from bot.storage.clock import utc_now
from bot.storage.digest import ActiveLoad
from bot.storage.stores import Stores

ITEMS_SHOWN = 10  # per section; totals are always complete
TOPICS_SHOWN = 5
GAPS_SHOWN = 10
LEADERSHIP_ROLE = "head-of-digital"


@dataclass(frozen=True)
class DigestItem:
    """One escalation as a digest line."""

    ref: str
    team: str
    summary: str
    priority: str
    state: str
    level: int
    age: timedelta  # since it was created
    due: datetime | None  # the SLA deadline that applies in its state
    overdue_by: timedelta | None  # how far past the first missed deadline (until resolved, if it was)
    link: str | None = None
    missed_levels: tuple[int, ...] = ()  # chain levels (0-based) at which a deadline was missed


@dataclass(frozen=True)
class Section:
    """The first ITEMS_SHOWN items of a list and how many there are in all."""

    items: tuple[DigestItem, ...]
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass(frozen=True)
class Counted:
    """A topic or an unrouted question with how often it was asked."""

    label: str
    count: int


@dataclass(frozen=True)
class Undelivered:
    """A notice about one of the team's escalations that did not reach its chat (issue 12: the team
    digest says so): given up (failed, a fallback was tried) or still being retried."""

    ref: str
    platform: str  # slack | teams
    kind: str  # card | requester | person | channel | lead | fallback | not_reached (see Notice)
    state: str  # failed | pending
    error: str | None


@dataclass(frozen=True)
class DigestPart:
    """A section another feature adds to a team digest: the standup report, as plain text and as the
    neutral view each platform's digest renderer draws."""

    text: str
    standup: StandupView


# (team, run date, language) -> the part to add, or None
DigestContributor = Callable[[str, date, str], "DigestPart | None"]


@dataclass(frozen=True)
class TeamDigest:
    """A team's standup digest for `run_date`, covering `since` .. `until`."""

    team: str
    team_name: str
    language: str
    zone: str  # IANA time zone times are shown in (the team's)
    run_date: date
    since: datetime
    until: datetime
    new: Section
    open: Section  # oldest first
    overdue: Section  # most overdue first
    resolved: Section
    topics: tuple[Counted, ...]
    gaps: tuple[Counted, ...]
    parts: tuple[DigestPart, ...] = ()
    undelivered: tuple[Undelivered, ...] = ()
    undelivered_total: int = 0

    @property
    def quiet(self) -> bool:
        """Nothing to report at all (the renderers still say so rather than posting nothing)."""
        sections = (self.new, self.open, self.overdue, self.resolved)
        busy = self.topics or self.gaps or self.parts or self.undelivered_total
        return not any(s.total for s in sections) and not busy


@dataclass(frozen=True)
class TeamLoad:
    """One row of the leadership digest."""

    team: str
    team_name: str
    open: int  # not yet acknowledged
    acknowledged: int
    overdue: int
    new: int
    resolved: int
    oldest_age: timedelta | None
    gaps: int
    late: int = 0  # resolved in the period after missing a deadline


@dataclass(frozen=True)
class LeadershipDigest:
    """All teams at a glance for the head of digital: load per team and the worst SLA breaches."""

    team: str  # where it is posted: the team holding the leadership role
    language: str
    zone: str
    run_date: date
    since: datetime
    until: datetime
    teams: tuple[TeamLoad, ...]  # most overdue, then most open first
    breaches: Section  # unresolved breaches, then those resolved late in the period

    @property
    def totals(self) -> TeamLoad:
        def total(name: str) -> int:
            return sum(int(getattr(load, name)) for load in self.teams)

        ages = [load.oldest_age for load in self.teams if load.oldest_age is not None]
        return TeamLoad(
            "",
            "",
            total("open"),
            total("acknowledged"),
            total("overdue"),
            total("new"),
            total("resolved"),
            max(ages) if ages else None,
            total("gaps"),
            total("late"),
        )


Digest = TeamDigest | LeadershipDigest


def leadership_team(kb: KnowledgeBase) -> str | None:
    """The team whose channel gets the leadership digest: the one owning the head-of-digital role."""
    role = kb.roles.get(LEADERSHIP_ROLE)
    if role is not None:
        return role.team
    return "c-level" if "c-level" in kb.teams else None


class DigestBuilder:
    """Builds digests from the stores as of `clock()`."""

    def __init__(
        self,
        stores: Stores,
        kb: KnowledgeBase,
        directory: Directory,
        clock: Callable[[], datetime] = utc_now,
        contributors: Iterable[DigestContributor] = (),
    ) -> None:
        self.kb, self.directory, self.clock = kb, directory, clock
        self.queries = stores.digest_queries
        self.asked = AskedQuestionLog(stores.asked, clock)
        self.feedback = stores.feedback
        self.contributors: list[DigestContributor] = list(contributors)  # e.g. the standup's section

    def team_name(self, team: str, language: str) -> str:
        return self.kb.team_name(team, language)

    def _item(self, esc: Escalation, now: datetime) -> DigestItem:
        due = (
            esc.ack_due
            if esc.state.value == "open"
            else (esc.resolve_due if esc.state.value == "acknowledged" else None)
        )
        first = esc.breached_at or (due if due is not None and now >= due else None)
        until = esc.resolved_at if esc.state.value == "resolved" and esc.resolved_at else now
        late = until - first if first is not None else None
        return DigestItem(
            esc.ref,
            esc.team,
            esc.summary,
            esc.priority,
            esc.state.value,
            esc.level,
            now - esc.created_at,
            due,
            late,
            esc.message_link,
            esc.breach_levels,
        )

    def _section(self, found: tuple[list[Escalation], int], now: datetime) -> Section:
        rows, total = found
        return Section(tuple(self._item(e, now) for e in rows[:ITEMS_SHOWN]), total)

    def team(self, team: str, run_date: date, since: datetime, *, language: str | None = None) -> TeamDigest:
        """`team`'s digest: new and resolved since `since`, open and overdue as of now."""
        now = self.clock()
        lang = language or self.directory.contact(team).language
        q = self.queries
        topics = tuple(
            Counted(topic_label(self.kb, topic, lang), count)
            for topic, count in self.asked.top_topics(team, since, now, TOPICS_SHOWN)
        )
        gaps = tuple(
            Counted(question, count)
            for question, count in self.feedback.unrouted_since(since, team)[:GAPS_SHOWN]
        )
        undelivered, undelivered_total = self._undelivered(team, since, now)
        return TeamDigest(
            team=team,
            team_name=self.team_name(team, lang),
            language=lang,
            zone=self.directory.contact(team).schedule.timezone,
            run_date=run_date,
            since=since,
            until=now,
            new=self._section(q.created(team, since, now, ITEMS_SHOWN), now),
            open=self._section(q.active(team, ITEMS_SHOWN), now),
            overdue=self._section(q.overdue([team], now, ITEMS_SHOWN), now),
            resolved=self._section(q.resolved(team, since, now, ITEMS_SHOWN), now),
            topics=topics,
            gaps=gaps,
            parts=self._parts(team, run_date, lang),
            undelivered=undelivered,
            undelivered_total=undelivered_total,
        )

    def _undelivered(self, team: str, since: datetime, now: datetime) -> tuple[tuple[Undelivered, ...], int]:
        rows, total = self.queries.undelivered(team, since, now, ITEMS_SHOWN)
        notices = tuple(
            Undelivered(f"ESC-{row.escalation_id}", row.platform, row.kind, row.state, row.error)
            for row in rows
        )
        return notices, total

    def _parts(self, team: str, run_date: date, language: str) -> tuple[DigestPart, ...]:
        parts = (contribute(team, run_date, language) for contribute in self.contributors)
        return tuple(part for part in parts if part is not None)

    def leadership(self, run_date: date, since: datetime, *, language: str | None = None) -> LeadershipDigest:
        """Every team in the directory or the knowledge base, busiest first, and the worst breaches."""
        now = self.clock()
        where = leadership_team(self.kb) or ""
        lang = language or self.directory.contact(where).language
        loads = self.queries.load_by_team(now)
        window = self.queries.window_counts(since, now)
        teams = sorted({*self.kb.teams, *self.directory.teams, *loads, *window})
        rows = []
        for team in teams:
            load = loads.get(team, ActiveLoad())
            created, resolved, late = window.get(team, (0, 0, 0))
            gaps = sum(count for _, count in self.feedback.unrouted_since(since, team))
            rows.append(
                TeamLoad(
                    team,
                    self.team_name(team, lang),
                    load.open,
                    load.acknowledged,
                    load.overdue,
                    created,
                    resolved,
                    now - load.oldest if load.oldest else None,
                    gaps,
                    late,
                )
            )
        rows.sort(key=lambda r: (-r.overdue, -(r.open + r.acknowledged), r.team))
        zone = self.directory.contact(where).schedule.timezone
        return LeadershipDigest(
            where,
            lang,
            zone,
            run_date,
            since,
            now,
            tuple(rows),
            self._section(self.queries.overdue(None, now, ITEMS_SHOWN, resolved_since=since), now),
        )
