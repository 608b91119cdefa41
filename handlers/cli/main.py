"""Entry point of the `rolebot` console script: one click group whose commands load on first use."""

from __future__ import annotations

import importlib
import sys

import click

# Command name -> module whose `register(cli)` adds it. Modules are imported only when their command
# runs (or for --help), so `rolebot ask` does not pay for the chat SDKs' import time.
COMMAND_MODULES: dict[str, str] = {
    "ask": "handlers.cli.ask",
    "eval": "handlers.cli.ask",
    "chat": "handlers.cli.ask",
    "kb": "handlers.cli.kb",
    "directory": "handlers.cli.directory",
    "escalate": "handlers.cli.escalations",
    "escalations": "handlers.cli.escalations",
    "sweep": "handlers.cli.escalations",
    "outbox": "handlers.cli.outbox",
    "db": "handlers.cli.db",
    "digest": "handlers.cli.digest",
    "standup": "handlers.cli.standup",
    "serve": "handlers.cli.serve",
    "teams": "handlers.teams.cli",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module the first time the command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMAND_MODULES if self._load(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def _load(self, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        module_name = COMMAND_MODULES.get(name)
        if module_name is None:
            return None
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                return None  # an optional adapter that is not installed
            raise
        staging = click.Group()
        module.register(staging)
        for command_name, command in staging.commands.items():
            self.commands.setdefault(command_name, command)
        return self.commands.get(name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rolebot")
def cli() -> None:
    """rolebot: who is accountable for what, and escalations to that team."""


def main() -> None:
    """Console-script entry: run the CLI, turning any unexpected error into one line, never a traceback."""
    try:
        cli.main(standalone_mode=True)
    except Exception as exc:  # last line of defence: users get a message, not a traceback
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
