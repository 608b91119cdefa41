"""FanoutStandupPrompter: `rolebot serve all` asks each person on one platform, Slack first."""

from __future__ import annotations

from typing import Protocol

from bot.directory import Person
from bot.standup.ports import StandupPrompter


class NoChatAccount(LookupError):
    """The person has no id on any platform this process serves."""


class ReachingPrompter(StandupPrompter, Protocol):
    """A platform's prompter that can tell whether the platform knows someone (by id, else by email)."""

    def reaches(self, person: Person) -> bool: ...


class FanoutStandupPrompter:
    """Asks and reminds on Slack when the person has a Slack id, else in Teams; someone the directory
    names by email only on Slack when Slack finds their email, else in Teams. Never both, so nobody gets
    the same question twice. A failure on the chosen platform raises (asked again next tick)."""

    def __init__(self, slack: ReachingPrompter | None, teams: ReachingPrompter | None) -> None:
        self.slack, self.teams = slack, teams

    def prompter_for(self, person: Person) -> StandupPrompter:
        if person.slack and self.slack is not None:
            return self.slack
        if person.ms_teams and self.teams is not None:
            return self.teams
        if person.email and not (person.slack or person.ms_teams):
            for prompter in (self.slack, self.teams):
                if prompter is not None and prompter.reaches(person):  # a look-up error raises
                    return prompter
        raise NoChatAccount(f"{person.id} has no slack or teams id in the directory, nor one by email")

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        self.prompter_for(person).ask(person, team, question_text, language)

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        self.prompter_for(person).remind(person, team, text, language)
