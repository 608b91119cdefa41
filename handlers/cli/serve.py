"""CLI: `rolebot serve <platform>` runs a chat adapter; platforms register themselves in SERVE_TARGETS."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from bot.config import Config, ConfigError

if TYPE_CHECKING:
    from bot.scheduler import SchedulerSettings

# Platform name -> function adding its subcommand to the `serve` group. handlers/teams/cli.py adds
# "teams" by defining `register_serve(serve: click.Group)`; it is imported lazily below when present.
SERVE_TARGETS: dict[str, Callable[[click.Group], None]] = {}
OPTIONAL_TARGETS = ("handlers.teams.cli",)


def _load_config() -> Config:
    try:
        return Config.from_env(os.environ)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _scheduler_settings(sweep_interval: float | None) -> SchedulerSettings:
    from handlers.serving import scheduler_settings

    try:
        return scheduler_settings(os.environ, sweep_interval)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _configure_logging(config: Config) -> None:
    """JSON lines (or text) at ROLEBOT_LOG_LEVEL, once, when a server starts (never at import)."""
    from bot.observability import configure_logging

    configure_logging(config.log_level, config.log_format)


SWEEP_HELP = (
    "Seconds between escalation sweeps (default: $ROLEBOT_SWEEP_SECONDS, else 60;"
    " 0: do not sweep in this process)."
)


@click.command("slack")
@click.option("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3000).")
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--sweep-interval", type=float, default=None, help=SWEEP_HELP)
def serve_slack(port: int | None, host: str, sweep_interval: float | None) -> None:
    """Run the Slack app: HTTP /slack/events, or Socket Mode when SLACK_APP_TOKEN is set."""
    config = _load_config()
    try:
        config.require(
            "slack_bot_token", "slack_app_token" if config.slack_app_token else "slack_signing_secret"
        )
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    settings = _scheduler_settings(sweep_interval)
    _configure_logging(config)
    from handlers.slack.serve import run

    run(config, port=port, host=host, settings=settings)


@click.command("all")
@click.option("--port", type=int, default=None, help="HTTP port for both (default: $PORT, else 3000).")
@click.option(
    "--slack-port",
    type=int,
    envvar="SLACK_PORT",
    default=None,
    help="Serve Slack's /slack/events on this second port instead (default: $SLACK_PORT, else none).",
)
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--sweep-interval", type=float, default=None, help=SWEEP_HELP)
def serve_all(port: int | None, slack_port: int | None, host: str, sweep_interval: float | None) -> None:
    """Run Slack (/slack/events) and Teams (/api/messages) in one process on one port and one database,
    with /healthz, /readyz and /metrics and one scheduler for both."""
    config = _load_config()
    from handlers.serve_all import PORT, check_settings, run_all

    try:
        check_settings(config, teams_auth=True)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    port = port or config.port or PORT
    if slack_port == port:
        raise click.ClickException(
            f"--slack-port is a second port, both are {port}: leave it out to serve Slack on --port"
        )
    settings = _scheduler_settings(sweep_interval)
    _configure_logging(config)
    run_all(config, host=host, port=port, slack_port=slack_port, settings=settings)


def _register_slack(serve: click.Group) -> None:
    serve.add_command(serve_slack)


SERVE_TARGETS["slack"] = _register_slack
SERVE_TARGETS["all"] = lambda serve: serve.add_command(serve_all)


def _load_optional_targets() -> None:
    for module_name in OPTIONAL_TARGETS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # that adapter is not installed/written yet
        hook = getattr(module, "register_serve", None)
        if callable(hook):
            SERVE_TARGETS.setdefault(module_name.split(".")[1], hook)


def register(cli: click.Group) -> None:
    """Add `rolebot serve` with one subcommand per platform in SERVE_TARGETS."""

    @cli.group("serve")
    def serve() -> None:
        """Run a chat adapter (Slack, Teams) as a long-running server."""

    _load_optional_targets()
    for add in SERVE_TARGETS.values():
        add(serve)
