"""CLI for Teams: `rolebot serve teams` (via serve.py's SERVE_TARGETS) and `rolebot teams package`."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from bot.config import Config, ConfigError

log = logging.getLogger(__name__)


def _config() -> Config:
    try:
        return Config.from_env(os.environ)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def serve_teams(config: Config, *, port: int | None = None, host: str = "0.0.0.0",
                sweep_interval: float = 60.0) -> None:
    """Build the core and the Teams app from `config` and serve /api/messages until interrupted."""
    from aiohttp import web

    from bot.runtime import build_core
    from bot.storage import open_database
    from handlers.teams.server import DEFAULT_PORT, create_app, settings_from

    settings_from(config)  # fail on missing MicrosoftApp* settings before opening anything
    core = build_core(config)
    # A connection of its own: the escalation store serialises its shared connection with a private lock.
    app = create_app(config, core.assistant, core.service, refs_db=open_database(config.db_path),
                     sweep_interval=sweep_interval)
    listen = port or config.port or DEFAULT_PORT
    mode = "Azure Bot " + config.teams_app_id if config.teams_app_id else "Bot Framework Emulator (no auth)"
    log.info("rolebot Teams bot on http://%s:%s/api/messages for %s", host, listen, mode)
    web.run_app(app, host=host, port=listen, print=None)


@click.command("teams")
@click.option("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3978).")
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--sweep-interval", type=float, default=60.0, show_default=True,
              help="Seconds between escalation sweeps (0: do not sweep in this process).")
def serve_teams_command(port: int | None, host: str, sweep_interval: float) -> None:
    """Run the Teams bot: POST /api/messages (no MicrosoftAppId: for the Bot Framework Emulator)."""
    config = _config()
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        serve_teams(config, port=port, host=host, sweep_interval=sweep_interval)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def register_serve(serve: click.Group) -> None:
    """Hook for handlers/cli/serve.py: adds `rolebot serve teams`."""
    serve.add_command(serve_teams_command)


@click.group("teams")
def teams_group() -> None:
    """Microsoft Teams app: build the app package to upload in Teams."""


@teams_group.command("package")
@click.option("--app-id", envvar="MicrosoftAppId", default=None,
              help="The bot's Microsoft App ID (GUID); default: $MicrosoftAppId.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("rolebot-teams.zip"), show_default=True, help="Where to write the zip.")
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
