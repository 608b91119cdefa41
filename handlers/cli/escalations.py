"""CLI commands for escalations: `rolebot escalate`, `rolebot escalations ...` and `rolebot sweep`."""

from __future__ import annotations

from dataclasses import replace

import click

from bot.commands.language import CommandError, team_index
from bot.commands.parser import parse_command
from bot.languages import LANGUAGES
from handlers.cli.context import (
    acting_user,
    actor_for,
    common_options,
    emit,
    language_for,
    open_core,
    print_json,
)


def _run(
    text: str,
    as_user: str | None,
    lang: str | None,
    as_json: bool,
    request_id: str | None,
    *,
    team: str | None = None,
    details: str | None = None,
) -> None:
    """Parse `text` with the one command parser, run it as the acting user and print the result."""
    with open_core(as_json) as core:
        runner = core.assistant.runner
        actor = actor_for(acting_user(as_user), core.directory)
        language = language_for(lang, actor, core.directory)
        try:
            if team is not None:  # --team wins over a team word at the start of the summary
                text = f"escalate --team {team_index(core.kb).resolve(team)} {text.partition(' ')[2]}"
            command = parse_command(text, core.kb)
        except CommandError as err:
            emit(runner.command_error(err, language), as_json)
            return
        if details:
            command = replace(command, details="\n".join(p for p in (command.details, details.strip()) if p))
        emit(runner.run(command, actor, language=language, request_id=request_id), as_json)


def _words(*parts: str | tuple[str, ...]) -> str:
    flat: list[str] = []
    for part in parts:
        flat.extend([part] if isinstance(part, str) else part)
    return " ".join(flat)


@click.command("escalate")
@click.argument("summary", nargs=-1, metavar="[TEAM] SUMMARY...")
@click.option("--priority", "-p", metavar="P1|P2|P3", help="P1 (urgent), P2 (default) or P3.")
@click.option("--team", "-t", metavar="TEAM", help="The team, when it is not the first word of the summary.")
@click.option("--details", metavar="TEXT", help="Longer description kept with the escalation.")
@common_options
def escalate(
    summary: tuple[str, ...],
    priority: str | None,
    team: str | None,
    details: str | None,
    as_user: str | None,
    lang: str | None,
    as_json: bool,
    request_id: str | None,
) -> None:
    """Open an escalation to TEAM (or the team the summary is routed to)."""
    flags = ("--priority", priority) if priority else ()
    _run(_words("escalate", summary, flags), as_user, lang, as_json, request_id, team=team, details=details)


@click.group("escalations")
def escalations() -> None:
    """List, show and act on escalations."""


@escalations.command("list")
@click.argument("scope", nargs=-1, metavar="[mine|team TEAM|open|overdue|all]")
@common_options
def list_escalations(
    scope: tuple[str, ...], as_user: str | None, lang: str | None, as_json: bool, request_id: str | None
) -> None:
    """List escalations: open (default), mine, overdue, all, or team TEAM."""
    _run(_words("list", scope), as_user, lang, as_json, request_id)


def _id_command(verb: str, metavar: str, doc: str) -> click.Command:
    """`rolebot escalations VERB ID ...`: the words go through the same parser as chat commands."""

    @click.argument("words", nargs=-1, metavar=metavar)
    @common_options
    def command(
        words: tuple[str, ...], as_user: str | None, lang: str | None, as_json: bool, request_id: str | None
    ) -> None:
        _run(_words(verb, words), as_user, lang, as_json, request_id)

    command.__doc__ = doc
    return click.command(verb)(command)


for _verb, _metavar, _doc in (
    ("show", "ID", "Show an escalation with its full history."),
    ("ack", "ID", "Acknowledge an escalation (members of the accountable team, or admins)."),
    ("resolve", "ID [NOTE...]", "Resolve an escalation, with an optional note."),
    ("reopen", "ID", "Reopen a resolved or cancelled escalation."),
    ("cancel", "ID", "Cancel an escalation you raised."),
    ("reassign", "ID TEAM [REASON...]", "Hand an escalation to another team."),
    ("comment", "ID TEXT...", "Add a comment to an escalation."),
    ("bump", "ID", "Escalate to the next level of the team's chain now."),
):
    escalations.add_command(_id_command(_verb, _metavar, _doc))


@click.command("sweep")
@click.option("--lang", type=click.Choice(LANGUAGES, case_sensitive=False), help="Reply language (en).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def sweep(lang: str | None, as_json: bool) -> None:
    """Move overdue escalations up their escalation chain (safe to run from cron, twice, in parallel)."""
    with open_core(as_json) as core:
        result = core.assistant.runner.sweep(lang or "en")
        if as_json:
            print_json(
                [
                    {"action": o.action, "notify_level": o.notify_level, **o.escalation.as_dict()}
                    for o in result.outcomes
                ]
            )
            return
        click.echo(result.text)


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(escalate)
    cli.add_command(escalations)
    cli.add_command(sweep)
