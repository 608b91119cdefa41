"""CLI: `rolebot serve <platform>` runs a chat adapter; platforms register themselves in SERVE_TARGETS."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable

import click

from bot.config import Config, ConfigError

# Platform name -> function adding its subcommand to the `serve` group. handlers/teams/cli.py adds
# "teams" by defining `register_serve(serve: click.Group)`; it is imported lazily below when present.
SERVE_TARGETS: dict[str, Callable[[click.Group], None]] = {}
OPTIONAL_TARGETS = ("handlers.teams.cli",)


def _load_config() -> Config:
    try:
        return Config.from_env(os.environ)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _configure_logging(config: Config) -> None:
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.command("slack")
@click.option("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3000).")
@click.option(
    "--sweep-interval",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds between escalation sweeps (0: do not sweep in this process).",
)
def serve_slack(port: int | None, sweep_interval: float) -> None:
    """Run the Slack app: HTTP /slack/events, or Socket Mode when SLACK_APP_TOKEN is set."""
    config = _load_config()
    try:
        config.require(
            "slack_bot_token", "slack_app_token" if config.slack_app_token else "slack_signing_secret"
        )
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    _configure_logging(config)
    from handlers.slack.server import run

    run(config, port=port, sweep_interval=sweep_interval)


def _register_slack(serve: click.Group) -> None:
    serve.add_command(serve_slack)


SERVE_TARGETS["slack"] = _register_slack


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
