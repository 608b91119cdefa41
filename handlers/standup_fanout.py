"""FanoutStandupPrompter: `rolebot serve all` asks each person on one platform, Slack first."""

from __future__ import annotations

from bot.directory import Person
from bot.standup.ports import StandupPrompter


class NoChatAccount(LookupError):
    """The person has no id on any platform this process serves."""


class FanoutStandupPrompter:
    """Asks and reminds on Slack when the person has a Slack id, else in Teams; never both, so nobody
    gets the same question twice. A failure on the chosen platform raises (asked again next tick)."""

    def __init__(self, slack: StandupPrompter | None, teams: StandupPrompter | None) -> None:
        self.slack, self.teams = slack, teams

    def prompter_for(self, person: Person) -> StandupPrompter:
        if person.slack and self.slack is not None:
            return self.slack
        if person.teams and self.teams is not None:
            return self.teams
        raise NoChatAccount(f"{person.id} has no slack or teams id in the directory")

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        self.prompter_for(person).ask(person, team, question_text, language)

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        self.prompter_for(person).remind(person, team, text, language)
