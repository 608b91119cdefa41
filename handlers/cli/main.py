"""Entry point of the `rolebot` console script: one click group, commands registered per concern."""

from __future__ import annotations

import sys

import click

from handlers.cli import ask, escalations, kb


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rolebot")
def cli() -> None:
    """rolebot: who is accountable for what, and escalations to that team."""


for module in (ask, kb, escalations):
    module.register(cli)


def main() -> None:
    """Console-script entry: run the CLI, turning any unexpected error into one line, never a traceback."""
    try:
        cli.main(standalone_mode=True)
    except Exception as exc:  # last line of defence: users get a message, not a traceback
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
