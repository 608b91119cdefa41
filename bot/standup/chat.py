"""The `standup ...` chat command (rolebot chat, DMs): answers, skip, status, report, escalate."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands.standup import StandupRequest
from bot.escalations.models import Actor, EscalationError
from bot.i18n import t
from bot.languages import LANGUAGES, words
from bot.standup.models import StandupError
from bot.standup.ports import StandupPrompter

if TYPE_CHECKING:
    from bot.commands.runner import CommandRunner
    from bot.directory import Directory
    from bot.escalations.service import EscalationService
    from bot.knowledge import KnowledgeBase
    from bot.router import Router
    from bot.standup.config import StandupSettings
    from bot.standup.service import StandupService
    from bot.storage.standup import StandupStore

_BLOCKER = re.compile(r"^SB\d+-[0-9a-f]{10}$")


def build_standup(
    store: StandupStore,
    directory: Directory,
    kb: KnowledgeBase,
    router: Router,
    directory_path: Path | None,
    escalations: EscalationService,
    prompter: StandupPrompter | None = None,
) -> StandupService:
    """A StandupService on the standup store, directory (and its standup blocks), router and escalations."""
    from bot.standup.config import load_standups
    from bot.standup.service import StandupService

    settings: Mapping[str, StandupSettings] = load_standups(directory, directory_path)
    return StandupService(
        store,
        directory,
        kb,
        router,
        settings,
        escalations=escalations,
        prompter=prompter,
        clock=escalations.clock,
    )


@cache
def command_words() -> frozenset[str]:
    """Every language's standup command words (bot/locales/<code>/words.toml): any works anywhere."""
    return frozenset(word for code in LANGUAGES for word in words(code)["standup"]["command_words"])


def is_standup_text(text: str) -> bool:
    first = text.strip().split(maxsplit=1)
    return bool(first) and first[0].lower() in command_words()


class StandupChat:
    """The assistant's standup commands: `standup ...` lines (command) and plain DMs that answer the
    standup a person is in the middle of (answer)."""

    def __init__(
        self, standup: StandupService, escalations: EscalationService, runner: CommandRunner
    ) -> None:
        self.standup, self.escalations, self.runner = standup, escalations, runner

    def command(self, text: str, actor: Actor) -> str | None:
        """The reply to a `standup ...` line, or None when `text` is not a standup command."""
        if not is_standup_text(text):
            return None
        service = self.standup
        actor = self.escalations.identify(actor)
        person = actor.person_id
        language = service.language_of(person, "") if person else "en"
        if person is None:
            return t(language, "standup-error-not-participant")
        try:
            return self._dispatch(text.strip().split(maxsplit=1)[1:], actor, person, language)
        except (StandupError, EscalationError) as exc:  # the runner writes every refusal
            return self.runner.error(exc, language).text

    def answer(self, text: str, actor: Actor) -> str | None:
        """A direct message without "standup" in front: the answer to the standup `actor` is in the
        middle of (see answering_team), else None so it is routed as a question."""
        if is_standup_text(text):
            return None
        service = self.standup
        person = self.escalations.identify(actor).person_id
        if person is None or not service.teams_of(person):
            return None
        team = answering_team(service, person, text)
        if team is None:
            return None
        # A refusal (too long, or the report went out a moment ago) is the runner's, like every other.
        return self.runner.standup(service, StandupRequest("answer", person, text, team)).text

    def _dispatch(self, rest: list[str], actor: Actor, person: str, language: str) -> str:
        service = self.standup
        team, words = _team_option(rest[0].split(" ") if rest else [])
        body = " ".join(words).strip()
        verb = body.split(maxsplit=1)[0].lower() if body else "status"
        argument = body.split(maxsplit=1)[1].strip() if len(body.split(maxsplit=1)) > 1 else ""
        if verb == "help":
            return t(language, "standup-help")
        if verb in ("skip", "unskip", "status") and not argument:
            request = StandupRequest(verb, person, team=team)
            return self.runner.standup(service, request, language=language).text
        if verb in ("report", "preview") and len(argument.split()) <= 1:
            return _report(service, argument or team, actor, person, language)
        if verb == "escalate" and _BLOCKER.match(argument):
            key = argument.split()[0]
            return self.runner.escalate_blocker(service, key, actor, language=language).text
        # Keep the person's own line breaks: the text after "standup" (and --team) is the answer.
        answer = StandupRequest("answer", person, body, team)
        return self.runner.standup(service, answer, language=language).text


def answering_team(service: StandupService, person: str, text: str) -> str | None:
    """The team whose standup a plain direct message from `person` answers, or None (then it is a
    question). That is today's open run, before its report time, where `person` was asked (or has
    started answering), is not away, and either still has a question to answer or names one
    ("today: ...", "+ ...") to change after answering them all."""
    from bot.standup.calendar import local_date, standup_times
    from bot.standup.conversation import split_message

    now = service.clock()
    for team in service.teams_of(person):
        settings = service.settings[team]
        day = local_date(settings, now)
        run = service.store.run(team, day)
        if run is None or not run.open or now >= standup_times(settings, day).report_at:
            continue
        prompt = service.store.prompts(run.id).get(person)
        if prompt is None or prompt.skipped_at is not None or prompt.ask_state == "pending":
            continue
        answered = {a.question for a in service.store.answers(run.id, person)}
        if any(q.key not in answered for q in settings.questions):
            return team
        parts = split_message(text, settings.questions)
        if parts and (parts[0].key is not None or parts[0].append):
            return team
    return None


def _team_option(words: list[str]) -> tuple[str | None, list[str]]:
    if len(words) >= 2 and words[0] in ("--team", "-t"):
        return words[1], words[2:]
    return None, words


def _report(service: StandupService, team: str | None, actor: Actor, person: str, language: str) -> str:
    from bot.standup.render import Names, report_text

    if team is None:
        mine = service.teams_of(person) or service.directory.teams_of(person)
        if not mine:
            raise StandupError("not_participant", f"{person} is in no team")
        team = mine[0]
    report = service.report_for(team, None, actor, language=language)
    return report_text(report, Names(service.kb, service.directory), language)
