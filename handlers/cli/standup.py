"""`rolebot standup`: preview a team's standup report, answer or skip from the terminal, run due steps."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from bot.commands.standup import StandupRequest
from bot.directory import Person
from bot.languages import LANGUAGES
from handlers.cli.context import acting_user, actor_for, language_for, open_core, print_json

if TYPE_CHECKING:
    from bot.commands.runner import CommandResult
    from bot.standup.service import StandupService

USAGE = frozenset({"empty", "too_long", "unknown_team"})


class EchoPrompter:
    """Prints what would be sent by DM: `rolebot standup run` on a terminal."""

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        click.echo(f"[ask {person.id} · {team}] {question_text}")

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        click.echo(f"[remind {person.id} · {team}] {text}")


@contextmanager
def _service(prompter: Any = None, now: datetime | None = None) -> Iterator[StandupService]:
    from bot.standup.models import StandupError

    with open_core(prompter=prompter, now=now) as core:
        try:
            yield core.standup
        except StandupError as exc:  # the runner writes every refusal
            _say(core.assistant.runner.error(exc, core.directory.language_of(acting_user(None))))


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-06-03", param_hint="--date") from None


_team = click.option("--team", "-t", metavar="TEAM", help="Team id (default: your one standup team).")
_as = click.option("--as", "as_user", metavar="USER", help="Directory person id (default: $ROLEBOT_USER).")
_lang = click.option("--lang", type=click.Choice(LANGUAGES, case_sensitive=False), help="Reply language.")


@click.group(invoke_without_command=True)
@click.option("--team", "-t", "team", metavar="TEAM", help="The team whose standup to show.")
@click.option("--preview", is_flag=True, help="Print the team's standup report (today in its time zone).")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Another day's report.")
@click.option(
    "--as",
    "as_user",
    metavar="USER",
    help="View as this person: refused unless they are in the team or an admin.",
)
@_lang
@click.option("--json", "as_json", is_flag=True, help="Print the report as Block Kit and card JSON.")
@click.pass_context
def standup(
    ctx: click.Context,
    team: str | None,
    preview: bool,
    day: str | None,
    as_user: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """Asynchronous standups: rolebot standup --team it --preview"""
    if ctx.invoked_subcommand is not None:
        return
    if not team or not preview:
        click.echo(ctx.get_help())
        sys.exit(0 if not team and not preview else 2)
    from bot.standup.render import Names, report_text, report_view
    from handlers.slack.render.standup import report_blocks
    from handlers.teams.render.standup import report_card

    with _service() as service:
        language = lang or service.settings_for(team).language
        if as_user:  # a named viewer sees only what their team membership allows
            actor = actor_for(as_user, service.directory)
            report = service.report_for(team, _date(day), actor, language=language)
        else:  # the operator at the terminal already holds the whole database
            report = service.report(team, _date(day), language=language)
        names = Names(service.kb, service.directory)
        if as_json:
            view = report_view(report, names, language)
            print_json({"blocks": report_blocks(view), "card": report_card(view)})
        else:
            click.echo(report_text(report, names, language))


def _say(result: CommandResult) -> None:
    """The runner's reply on stdout, or its refusal on stderr with exit 2 (bad input) or 1."""
    if not result.ok:
        click.echo(f"error: {result.text}", err=True)
        sys.exit(2 if result.error_code in USAGE else 1)
    click.echo(result.text)


def _act(request: StandupRequest, lang: str | None) -> None:
    """`request` through the one door (CommandRunner), as a chat line or a DM goes."""
    with open_core() as core:
        _say(core.assistant.runner.standup(core.standup, request, language=lang))


@standup.command()
@click.argument("text", nargs=-1, required=True)
@_team
@_as
@_lang
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The standup day (default: today).")
def answer(
    text: tuple[str, ...], team: str | None, as_user: str | None, lang: str | None, day: str | None
) -> None:
    """Answer the current question, or name one: rolebot standup answer --as felix "today: release prep\""""
    _act(StandupRequest("answer", acting_user(as_user), " ".join(text), team, _date(day)), lang)


@standup.command()
@_team
@_as
@_lang
@click.option("--undo", is_flag=True, help="Take part again after all.")
def skip(team: str | None, as_user: str | None, lang: str | None, undo: bool) -> None:
    """Mark yourself away for today's standup (not asked, not reminded)."""
    _act(StandupRequest("unskip" if undo else "skip", acting_user(as_user), team=team), lang)


@standup.command()
@_team
@_as
@_lang
def status(team: str | None, as_user: str | None, lang: str | None) -> None:
    """How many questions you answered today, and the next one."""
    _act(StandupRequest("status", acting_user(as_user), team=team), lang)


@standup.command(name="escalate")
@click.argument("blocker")
@_as
@_lang
def escalate_blocker(blocker: str, as_user: str | None, lang: str | None) -> None:
    """Turn a blocker (its id from the report) into an escalation for the team it was routed to."""
    with open_core() as core:
        actor = actor_for(acting_user(as_user), core.directory)
        language = language_for(lang, actor, core.directory)
        _say(core.assistant.runner.escalate_blocker(core.standup, blocker, actor, language=language))


@standup.command(name="run")
@click.option(
    "--now", "now", metavar="ISO-TIME", help="Pretend it is this (aware) time, e.g. 2024-06-03T07:00Z."
)
def run_due(now: str | None) -> None:
    """Ask, remind and close what is due now (what the scheduler does each minute); prints the DMs."""
    from bot.standup.schedule import StandupScheduler

    moment = None
    if now:
        try:
            moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter(f"{now!r} is not an ISO time", param_hint="--now") from None
        if moment.tzinfo is None:
            raise click.BadParameter("give a time zone, e.g. 2024-06-03T07:00+02:00", param_hint="--now")
    with _service(EchoPrompter(), moment) as service:
        for tick in StandupScheduler(service).run_due(moment):
            click.echo(
                f"{tick.team} {tick.run_date}: asked {len(tick.asked)}, reminded {len(tick.reminded)},"
                f" closed {len(tick.closed)}"
            )


def register(cli: click.Group) -> None:
    """Add `standup` (with answer, skip, status, escalate, run) to the root group."""
    cli.add_command(standup)
