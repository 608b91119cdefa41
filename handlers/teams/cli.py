"""CLI for Teams: `rolebot serve teams` (via serve.py's SERVE_TARGETS) and `rolebot teams package`."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.config import Config, ConfigError

if TYPE_CHECKING:
    from aiohttp import web

    from bot.runtime import Core
    from bot.scheduler import SchedulerSettings

log = logging.getLogger(__name__)


def _config() -> Config:
    try:
        return Config.from_env(os.environ)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def build_teams(config: Config, settings: SchedulerSettings | None = None) -> tuple[web.Application, Core]:
    """The core and the Teams app `rolebot serve teams` serves: /api/messages, /healthz, /metrics, and
    the scheduler (Adaptive Card digests, escalation sweep) started and stopped with the app."""
    from handlers.ops_http import ready_once_started
    from handlers.serving import serving_metrics
    from handlers.teams.server import (
        READINESS,
        add_scheduler,
        settings_from,
        teams_app,
        teams_digest_poster,
    )

    settings_from(config)  # fail on missing MicrosoftApp* settings before opening anything
    app, core = teams_app(config)
    add_scheduler(app, core, teams_digest_poster(app, core.directory), settings, serving_metrics(core))
    ready_once_started(app, app[READINESS])
    return app, core


def listen_host(config: Config, host: str | None) -> str:
    """--host when given; else every interface for an Azure Bot, but only loopback in Emulator mode
    (no MicrosoftAppId: nothing is authenticated, so anyone who can reach the port could post)."""
    if host:
        return host
    return "0.0.0.0" if config.teams_app_id else "127.0.0.1"


def serve_teams(
    config: Config,
    *,
    port: int | None = None,
    host: str | None = None,
    settings: SchedulerSettings | None = None,
) -> None:
    """Serve the Teams app from `config` until SIGINT/SIGTERM (aiohttp's run_app handles both)."""
    from handlers.serving import run_aiohttp
    from handlers.teams.server import DEFAULT_PORT

    app, _core = build_teams(config, settings)
    listen = port or config.port or DEFAULT_PORT
    bind = listen_host(config, host)
    mode = "Azure Bot " + config.teams_app_id if config.teams_app_id else "Bot Framework Emulator (no auth)"
    log.info("rolebot Teams bot on http://%s:%s/api/messages for %s", bind, listen, mode)
    if not config.teams_app_id:
        log.warning(
            "Emulator mode: no MicrosoftAppId, so requests are not authenticated; listening on %s%s",
            bind,
            " only (pass --host to listen elsewhere)" if host is None else " as --host asked",
        )
    run_aiohttp(app, bind, listen)


@click.command("teams")
@click.option("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3978).")
@click.option(
    "--host",
    default=None,
    help="Interface to listen on (default: 0.0.0.0; 127.0.0.1 without MicrosoftAppId, as nothing is"
    " authenticated then).",
)
@click.option(
    "--sweep-interval",
    type=float,
    default=None,
    help="Seconds between escalation sweeps (default: $ROLEBOT_SWEEP_SECONDS, else 60;"
    " 0: do not sweep in this process).",
)
def serve_teams_command(port: int | None, host: str | None, sweep_interval: float | None) -> None:
    """Run the Teams bot: POST /api/messages (no MicrosoftAppId: for the Bot Framework Emulator)."""
    from bot.observability import configure_logging
    from handlers.serving import scheduler_settings

    config = _config()
    try:
        settings = scheduler_settings(os.environ, sweep_interval)
        configure_logging(config.log_level, config.log_format)
        serve_teams(config, port=port, host=host, settings=settings)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def register_serve(serve: click.Group) -> None:
    """Hook for handlers/cli/serve.py: adds `rolebot serve teams`."""
    serve.add_command(serve_teams_command)


@click.group("teams")
def teams_group() -> None:
    """Microsoft Teams app: build the app package to upload in Teams."""


@teams_group.command("package")
@click.option(
    "--app-id",
    envvar="MicrosoftAppId",
    default=None,
    help="The bot's Microsoft App ID (GUID); default: $MicrosoftAppId.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("rolebot-teams.zip"),
    show_default=True,
    help="Where to write the zip.",
)
def package_command(app_id: str | None, output: Path) -> None:
    """Zip handlers/teams/manifest/ (manifest.json + icons) into a Teams app package."""
    from handlers.teams.package import PackageError, build_package

    if not app_id:
        raise click.ClickException("missing setting: pass --app-id or set MicrosoftAppId")
    try:
        path = build_package(app_id, output)
    except PackageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {path}: upload it in Teams (Apps > Manage your apps > Upload an app)")


def register(cli: click.Group) -> None:
    """Add `rolebot teams ...` to the root group (handlers/cli/main.py)."""
    cli.add_command(teams_group)
