"""CLI: `rolebot digest` previews a team's or the leadership digest, or posts the due ones once (cron)."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import click

from bot.languages import LANGUAGES
from handlers.cli.context import fail, load_config, open_core

if TYPE_CHECKING:
    from bot.config import Config
    from bot.digest.model import Digest
    from bot.digest.ports import DigestPoster
    from bot.digest.runs import DigestRunner
    from bot.runtime import Core

FORMATS = ("text", "slack", "teams", "json")


class StdoutPoster:
    """The local "poster" when no chat platform is configured: prints each digest."""

    def post_digest(self, team: str, digest: Digest) -> None:
        from bot.digest.render_text import digest_text

        click.echo(f"=== {team} ===\n{digest_text(digest)}\n")


def poster_for(config: Config, core: Core) -> DigestPoster:
    """Slack when SLACK_BOT_TOKEN is set, Teams when MicrosoftAppId is set, else standard output."""
    if config.slack_bot_token:
        from handlers.slack.app import make_client
        from handlers.slack.digest_poster import SlackDigestPoster

        return SlackDigestPoster(make_client(config), core.directory)
    if config.teams_app_id:
        from bot.storage.backends import open_stores
        from handlers.teams.bot_adapter import BotFrameworkBridge, settings_from
        from handlers.teams.digest_poster import TeamsDigestPoster

        bridge = BotFrameworkBridge(settings_from(config))
        return TeamsDigestPoster(bridge, open_stores(config.database).teams_refs, core.directory)
    return StdoutPoster()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def render(digest: Digest, output: str) -> str:
    if output == "slack":
        from handlers.slack.render.digest import digest_message

        return json.dumps(digest_message(digest), ensure_ascii=False, indent=2)
    if output == "teams":
        from handlers.teams.render.digest import digest_activity

        return json.dumps(digest_activity(digest), ensure_ascii=False, indent=2)
    if output == "json":
        return json.dumps(_jsonable(dataclasses.asdict(digest)), ensure_ascii=False, indent=2)
    from bot.digest.render_text import digest_text

    return digest_text(digest)


def _preview(runner: DigestRunner, core: Core, team: str | None, lang: str | None, output: str) -> None:
    from bot.digest.model import leadership_team
    from bot.digest.runs import LEADERSHIP, TEAM

    kind = TEAM if team else LEADERSHIP
    target = team or leadership_team(core.kb)
    if target is None:
        fail("usage", "no team holds the head-of-digital role: nowhere to address a leadership digest", False)
    today = core.service.clock().astimezone(core.directory.contact(target).schedule.zone).date()
    click.echo(render(runner.build(target, today, kind, language=lang), output))


def _team_id(core: Core, team: str | None) -> str | None:
    """The team id for --team, written as `escalate` accepts it (id, name, alias, 'cs'), or exit 2."""
    from bot.commands.language import CommandError, team_index

    if team is None or team in core.directory.teams:
        return team
    try:
        return team_index(core.kb).resolve(team)
    except CommandError as err:
        fail("usage", err.message("en"), False)


def _send(runner: DigestRunner, team: str | None) -> None:
    from bot.digest.runs import TEAM
    from bot.scheduler import describe

    if team:
        result = runner.run_target(team, TEAM)
        results = [result] if result is not None else []
    else:
        results = runner.run_due()
    for result in results:
        line = f"{result.team} {result.kind} {result.run_date}: {result.result}"
        click.echo(line + (f" ({result.error})" if result.error else ""), err=result.error is not None)
    click.echo(describe(results) if results else "no digest due")
    if any(result.result in ("failed", "gave_up") for result in results):
        sys.exit(1)


def _runs(core: Core) -> None:
    from bot.digest.runs import DigestRuns

    runs = DigestRuns(core.stores.digest_runs).recent(30)
    if not runs:
        click.echo("no digest runs yet: `rolebot digest --send` or `rolebot serve` records them")
    for run in runs:
        error = f" {run.error}" if run.error else ""
        click.echo(
            f"{run.run_date} {run.kind:<10} {run.team:<18} {run.state:<8} attempts={run.attempts}{error}"
        )


def _schedule(core: Core) -> None:
    from bot.scheduler import next_fire_times

    now = core.service.clock()
    for team, contact in sorted(core.directory.teams.items()):
        times = next_fire_times(contact, now, 3)
        shown = ", ".join(f"{t:%a %Y-%m-%d %H:%M}" for t in times) or "never (no working days)"
        click.echo(f"{team:<18} {contact.schedule.timezone:<18} {shown}")


@click.command("digest")
@click.option("--team", metavar="TEAM", help="The team whose digest to preview (or send with --send).")
@click.option("--leadership", is_flag=True, help="The leadership digest (all teams) instead of one team's.")
@click.option("--preview", is_flag=True, help="Print the digest; nothing is posted or recorded.")
@click.option("--send", is_flag=True, help="Post every digest that is due and not yet sent, once (for cron).")
@click.option("--runs", "show_runs", is_flag=True, help="List recent digest runs and their state.")
@click.option("--schedule", "show_schedule", is_flag=True, help="Show each team's next digest times.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES, case_sensitive=False),
    help="Preview language (default: the team's language in the directory).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Preview as plain text, Slack Block Kit, a Teams activity or JSON data.",
)
def digest_command(
    team: str | None,
    leadership: bool,
    preview: bool,
    send: bool,
    show_runs: bool,
    show_schedule: bool,
    lang: str | None,
    output: str,
) -> None:
    """Daily standup digests: preview, post the due ones, list runs, show the schedule."""
    modes = [
        name
        for name, on in (
            ("--preview", preview),
            ("--send", send),
            ("--runs", show_runs),
            ("--schedule", show_schedule),
        )
        if on
    ]
    if len(modes) != 1:
        fail("usage", "choose one of --preview, --send, --runs, --schedule", False)
    if preview and not (bool(team) ^ leadership):
        fail("usage", "--preview needs --team TEAM or --leadership", False)
    config = load_config()
    with open_core() as core:
        team = _team_id(core, team)
        if show_runs:
            return _runs(core)
        if show_schedule:
            return _schedule(core)
        from bot.scheduler import build_runner

        if send:
            from bot.observability import configure_logging

            configure_logging(config.log_level, config.log_format)
            return _send(build_runner(core, poster_for(config, core)), team)
        _preview(build_runner(core, StdoutPoster()), core, team, lang, output)


def register(cli: click.Group) -> None:
    cli.add_command(digest_command)
