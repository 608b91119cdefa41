"""StandupService: runs opened once per team and day, asking, answers, skips, reminders, reports."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.directory import Directory
from bot.escalations.models import Actor, Outcome
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.languages import normalise_language
from bot.router import Router
from bot.standup.calendar import is_standup_day, local_date, standup_times
from bot.standup.config import Question, StandupSettings
from bot.standup.conversation import split_message
from bot.standup.models import Reply, StandupError, StandupReport
from bot.standup.ports import NullPrompter, StandupPrompter
from bot.standup.report import ReportSources, build_report, escalate_blocker
from bot.storage.clock import utc_now
from bot.storage.standup import StandupRun, StandupStore, StoredAnswer

if TYPE_CHECKING:
    from bot.escalations.service import EscalationService
    from bot.standup.render import StandupSection

log = logging.getLogger(__name__)
MAX_ANSWER_CHARS = 4000


class StandupService:
    """Every standup action for every surface; the scheduler calls `ask`, `remind` and `close`."""

    def __init__(
        self,
        store: StandupStore,
        directory: Directory,
        kb: KnowledgeBase,
        router: Router,
        settings: Mapping[str, StandupSettings],
        *,
        escalations: EscalationService | None = None,
        prompter: StandupPrompter | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store, self.directory, self.kb, self.router = store, directory, kb, router
        self.settings = dict(settings)
        self.escalations = escalations
        self.prompter: StandupPrompter = prompter or NullPrompter()
        self.clock = clock

    # ---------------------------------------------------------------- settings and names
    def settings_for(self, team: str) -> StandupSettings:
        found = self.settings.get(team)
        if found is None:
            raise StandupError("unknown_team", f"no team {team!r}", team=team)
        if not found.enabled:
            raise StandupError("off", f"standup is off for {team}", team=self.team_name(team, "en"))
        return found

    def enabled_teams(self) -> list[str]:
        return [team for team, s in self.settings.items() if s.enabled]

    def teams_of(self, person: str) -> list[str]:
        """Teams whose standup `person` takes part in."""
        return [team for team, s in self.settings.items() if s.enabled and person in s.participants]

    def today(self, team: str) -> date:
        return local_date(self.settings_for(team), self.clock())

    def team_name(self, team: str, language: str) -> str:
        return self.kb.team_name(team, language)

    def person_name(self, person: str) -> str:
        found = self.directory.people.get(person)
        return found.name if found else person

    def language_of(self, person: str, team: str) -> str:
        team_language = self.settings[team].language if team in self.settings else "en"
        return self.directory.language_of(person, team_language)

    def question_text(self, question: Question, language: str) -> str:
        if question.text:
            lang = normalise_language(language)
            return question.text.get(lang) or question.text.get("en") or next(iter(question.text.values()))
        return t(language, f"standup-q-{question.key}")

    def can_view(self, team: str, person: str | None) -> bool:
        """A team's standup is visible to its members, its participants and admins."""
        if person is None:
            return False
        settings = self.settings.get(team)
        return (
            self.directory.is_admin(person)
            or self.directory.is_member(team, person)
            or (settings is not None and person in settings.participants)
        )

    # ---------------------------------------------------------------- runs
    def open_run(self, team: str, day: date | None = None) -> StandupRun:
        """The (team, day) run, created exactly once (UNIQUE key) with every participant pending."""
        settings = self.settings_for(team)
        day = day or local_date(settings, self.clock())
        if not is_standup_day(settings, day):
            raise StandupError(
                "not_working_day",
                f"{day} is not a working day for {team}",
                team=self.team_name(team, settings.language),
                date=day.isoformat(),
            )
        run, _ = self.store.open_run(team, day, self.clock())
        self.store.add_participants(run.id, {p: self.language_of(p, team) for p in settings.participants})
        return run

    def who_to_ask(self, team: str, day: date | None = None) -> list[str]:
        """Participants not asked yet, who neither answered on their own nor said they are away."""
        settings = self.settings_for(team)
        run = self.store.run(team, day or local_date(settings, self.clock()))
        prompts = self.store.prompts(run.id) if run else {}
        return [
            p
            for p in settings.participants
            if p not in prompts or (prompts[p].ask_state == "pending" and prompts[p].skipped_at is None)
        ]

    def ask(self, team: str, day: date | None = None) -> list[str]:
        """Ask everyone due: each is claimed in the store before the DM, so nobody is asked twice."""
        run = self.open_run(team, day)
        if not run.open:
            return []
        now = self.clock()
        self.store.stamp_run(run.id, "asked_at", now)
        settings, asked = self.settings[team], []
        for person in self.who_to_ask(team, run.run_date):
            if not self.store.claim_ask(run.id, person, now):
                continue  # another process took this person
            language = self.language_of(person, team)
            intro = t(
                language, "standup-intro", team=self.team_name(team, language), date=run.run_date.isoformat()
            )
            text = f"{intro}\n{self.question_text(settings.questions[0], language)}"
            sent = self._send(
                partial(self.prompter.ask, self.directory.people[person], team, text, language),
                "ask",
                team,
                person,
            )
            self.store.finish_ask(run.id, person, sent)
            if sent:
                asked.append(person)
        return asked

    def remind(self, team: str, day: date | None = None) -> list[str]:
        """Remind, once per run and person, everyone asked who has not finished or skipped."""
        settings = self.settings_for(team)
        run = self.store.run(team, day or local_date(settings, self.clock()))
        if run is None or not run.open:
            return []
        now = self.clock()
        self.store.stamp_run(run.id, "reminded_at", now)
        reminded = []
        remind_at = standup_times(settings, run.run_date).remind_at
        answers = self._answers_by_person(run.id)
        for person, prompt in self.store.prompts(run.id).items():
            if person not in settings.participants or prompt.skipped_at is not None:
                continue
            # "sending": the process died while sending the question. It may or may not have arrived,
            # so it is never sent again (nobody is asked twice); the reminder repeats the question.
            if prompt.ask_state not in ("asked", "answering", "sending"):
                continue
            if prompt.asked_at is not None and prompt.asked_at >= remind_at:
                continue  # asked late (a retried DM): a reminder right after the question is noise
            upcoming = self._next_question(settings, answers.get(person, {}))
            if upcoming is None or not self.store.claim_remind(run.id, person, now):
                continue
            language = prompt.language
            when = standup_times(settings, run.run_date).report_at.astimezone(settings.schedule.zone)
            text = "\n".join(
                (
                    t(
                        language,
                        "standup-reminder",
                        team=self.team_name(team, language),
                        time=when.strftime("%H:%M"),
                    ),
                    self.question_text(upcoming, language),
                )
            )
            if self._send(
                partial(self.prompter.remind, self.directory.people[person], team, text, language),
                "remind",
                team,
                person,
            ):
                reminded.append(person)
        return reminded

    def close(self, team: str, day: date) -> bool:
        """Answers are final: the report is being posted. True for the one caller that closed it."""
        run = self.store.run(team, day)
        return run is not None and self.store.close_run(run.id, self.clock())

    @staticmethod
    def _send(send: Callable[[], None], what: str, team: str, person: str) -> bool:
        try:
            send()
        except Exception:  # a chat API failure: the person is tried again on the next tick
            log.warning("standup %s failed", what, extra={"team": team, "person": person}, exc_info=True)
            return False
        return True

    # ---------------------------------------------------------------- answers
    def _answers_by_person(self, run_id: int) -> dict[str, dict[str, StoredAnswer]]:
        found: dict[str, dict[str, StoredAnswer]] = {}
        for answer in self.store.answers(run_id):
            found.setdefault(answer.person, {})[answer.question] = answer
        return found

    @staticmethod
    def _next_question(settings: StandupSettings, answered: Mapping[str, object]) -> Question | None:
        return next((q for q in settings.questions if q.key not in answered), None)

    def _run_for(self, person: str, team: str | None, day: date | None) -> tuple[StandupRun, StandupSettings]:
        """The run `person` answers: `team`'s, or the one standup they take part in."""
        if team is None:
            teams = self.teams_of(person)
            if not teams:
                raise StandupError("not_participant", f"{person} is in no standup")
            if len(teams) > 1:
                raise StandupError(
                    "ambiguous", f"{person} is in several standups", teams=", ".join(teams), first=teams[0]
                )
            team = teams[0]
        settings = self.settings_for(team)
        if person not in settings.participants:
            raise StandupError("not_participant", f"{person} is not in the {team} standup")
        day = day or local_date(settings, self.clock())
        run = self.open_run(team, day)
        if not run.open or self.clock() >= standup_times(settings, day).report_at:
            raise StandupError(
                "closed",
                f"the {team} standup of {day} is reported",
                team=self.team_name(team, self.language_of(person, team)),
                date=day.isoformat(),
            )
        return run, settings

    def record_answer(
        self,
        person: str,
        text: str,
        *,
        team: str | None = None,
        day: date | None = None,
        language: str | None = None,
    ) -> Reply:
        """Store one message: it answers the current question, or the questions its lines name
        ("today: ..." replaces that answer), or with a leading "+" adds to the last answer."""
        body = text.strip()
        if not body:
            raise StandupError("empty", "empty answer")
        if len(body) > MAX_ANSWER_CHARS:
            raise StandupError("too_long", "answer too long", length=len(body), limit=MAX_ANSWER_CHARS)
        run, settings = self._run_for(person, team, day)
        lang = normalise_language(language) if language else self.language_of(person, run.team)
        mine = {a.question: a for a in self.store.answers(run.id, person)}
        resolved: list[tuple[str, str, bool]] = []
        for part in split_message(body, settings.questions):
            key = part.key
            if key is None and part.append and mine:
                order = [q.key for q in settings.questions]
                # The latest edit; on equal times the later question (answers are given in order).
                key = max(
                    mine.values(),
                    key=lambda a: (a.updated_at, order.index(a.question) if a.question in order else -1),
                ).question
            if key is None:
                upcoming = self._next_question(settings, {**mine, **{k: 1 for k, _, _ in resolved}})
                if upcoming is None:
                    return self._reply(lang, run, settings, "standup-all-answered", {**mine})
                key = upcoming.key
            resolved.append((key, part.text, part.append and key in mine))
        if not self.store.save_answers(run.id, person, lang, resolved, self.clock()):
            raise StandupError(
                "closed", "reported", team=self.team_name(run.team, lang), date=run.run_date.isoformat()
            )
        after = {a.question: a for a in self.store.answers(run.id, person)}
        return self._reply(lang, run, settings, None, after, tuple(k for k, _, _ in resolved))

    def _reply(
        self,
        lang: str,
        run: StandupRun,
        settings: StandupSettings,
        key: str | None,
        answered: Mapping[str, object],
        saved: tuple[str, ...] = (),
    ) -> Reply:
        upcoming = self._next_question(settings, answered)
        label = t(lang, f"standup-label-{settings.questions[0].key}").split(",")[0].strip()
        if settings.questions[0].text:
            label = settings.questions[0].key
        if key is not None:
            text = t(lang, key, label=label)
        elif upcoming is not None:
            text = t(lang, "standup-next", question=self.question_text(upcoming, lang))
        else:
            when = standup_times(settings, run.run_date).report_at.astimezone(settings.schedule.zone)
            text = t(lang, "standup-complete", time=when.strftime("%H:%M"), label=label)
        return Reply(
            text, run.team, run.run_date, saved, upcoming.key if upcoming else None, upcoming is None
        )

    def skip(
        self,
        person: str,
        *,
        team: str | None = None,
        day: date | None = None,
        undo: bool = False,
        language: str | None = None,
    ) -> Reply:
        """`standup skip`: away today (not asked, not reminded, listed as away); `undo` takes it back."""
        run, _ = self._run_for(person, team, day)
        lang = normalise_language(language) if language else self.language_of(person, run.team)
        if not self.store.set_skipped(run.id, person, lang, None if undo else self.clock()):
            raise StandupError(
                "closed", "reported", team=self.team_name(run.team, lang), date=run.run_date.isoformat()
            )
        key = "standup-unskipped" if undo else "standup-skipped"
        text = t(lang, key, team=self.team_name(run.team, lang), date=run.run_date.isoformat())
        return Reply(text, run.team, run.run_date)

    def status(self, person: str, *, team: str | None = None, language: str | None = None) -> Reply:
        """How far `person` is in today's standup, and the question to answer next."""
        run, settings = self._run_for(person, team, None)
        lang = normalise_language(language) if language else self.language_of(person, run.team)
        mine = {a.question: a for a in self.store.answers(run.id, person)}
        done = len([q for q in settings.questions if q.key in mine])
        head = t(
            lang,
            "standup-status",
            team=self.team_name(run.team, lang),
            date=run.run_date.isoformat(),
            answered=done,
            total=len(settings.questions),
        )
        reply = self._reply(lang, run, settings, None, mine)
        return Reply(f"{head}\n{reply.text}", run.team, run.run_date, (), reply.next_question, reply.complete)

    # ---------------------------------------------------------------- reports
    def _sources(self) -> ReportSources:
        names = (self.person_name, self.team_name, self.question_text, self.can_view)
        return ReportSources(self.store, self.settings, self.kb, self.router.route, *names, self.escalations)

    def report(self, team: str, day: date | None = None, *, language: str | None = None) -> StandupReport:
        """The team's report for `day` (today in its zone): unrestricted, for posting in its channel."""
        settings = self.settings_for(team)
        return build_report(self._sources(), team, day or local_date(settings, self.clock()), language)

    def report_for(
        self, team: str, day: date | None, viewer: Actor, *, language: str | None = None
    ) -> StandupReport:
        """The report as `viewer` may see it: members of the team and admins only."""
        found = self.directory.person_for(viewer.platform, viewer.user_id)
        person = viewer.person_id or (found.id if found else None)
        if not self.can_view(team, person):
            raise StandupError(
                "forbidden", f"{viewer.key} may not see the {team} standup", team=self.team_name(team, "en")
            )
        return self.report(team, day, language=language)

    def escalate_blocker(self, key: str, actor: Actor, *, language: str | None = None) -> Outcome:
        """One click: the blocker becomes an escalation for its routed team (twice: still one)."""
        return escalate_blocker(self._sources(), key, actor, language=language)

    def section(self, team: str, day: date, language: str | None = None) -> StandupSection | None:
        """The standup part of `team`'s digest for `day` (None when the team has no standup)."""
        from bot.standup.render import Names, standup_section

        settings = self.settings.get(team)
        if settings is None or not settings.enabled:
            return None
        lang = normalise_language(language) if language else settings.language
        report = self.report(team, day, language=lang)
        if report.state == "off" and not report.blocking_others:
            return None  # a day off: the digest says nothing about a standup that never was
        return standup_section(report, Names(self.kb, self.directory), lang)
