"""Shared CLI plumbing: settings and core from the environment, the acting user, and output/exit codes."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from bot.config import Config, ConfigError
from bot.directory import Directory, DirectoryError
from bot.escalations.models import Actor
from bot.knowledge import KnowledgeError
from bot.languages import LANGUAGES, normalise_language
from bot.storage.errors import OPEN_ERRORS

if TYPE_CHECKING:
    from bot.commands.runner import CommandResult
    from bot.runtime import Core
    from bot.standup.ports import StandupPrompter

USAGE_CODES = frozenset({"usage", "too_long", "config"})  # exit 2; every other refusal exits 1
F = TypeVar("F", bound=Callable[..., Any])


def load_config() -> Config:
    """Settings from the environment, read when a command runs (never at import time)."""
    return Config.from_env(os.environ)


@contextmanager
def open_core(
    as_json: bool = False, *, prompter: StandupPrompter | None = None, now: datetime | None = None
) -> Iterator[Core]:
    """Knowledge, directory, database, router and service; a setup problem is one line and exit 2.

    prompter: who asks standup questions (`rolebot standup run` prints them). now: a fixed "now"."""
    from bot.runtime import build_core

    try:
        core = build_core(load_config(), prompter=prompter, clock=(lambda: now) if now else None)
    except (ConfigError, KnowledgeError, DirectoryError) as exc:
        fail("config", str(exc), as_json)
    except OPEN_ERRORS as exc:
        fail("database", f"cannot open the database {load_config().database_name}: {exc}", as_json)
    try:
        yield core
    finally:
        core.stores.close()


def acting_user(as_user: str | None) -> str:
    """--as USER, else $ROLEBOT_USER, else the operating-system user name."""
    if as_user and as_user.strip():
        return as_user.strip()
    from_env = os.environ.get("ROLEBOT_USER", "").strip()
    if from_env:
        return from_env
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in containers without a passwd entry
        return "cli"


def actor_for(user: str, directory: Directory) -> Actor:
    """The CLI actor: the user id is a directory person id when that person exists."""
    person = directory.person_for("cli", user)
    return Actor(
        platform="cli",
        user_id=user,
        display_name=person.name if person else user,
        person_id=person.id if person else None,
    )


def language_for(lang: str | None, actor: Actor, directory: Directory) -> str:
    """--lang, else the person's language in the directory, else English."""
    if lang:
        return normalise_language(lang)
    return directory.language_of(actor.person_id)


def common_options(command: F) -> F:
    """--as, --lang, --json and --request-id, shared by every escalation command."""
    options = [
        click.option(
            "--as",
            "as_user",
            metavar="USER",
            help="Act as this directory person (default: $ROLEBOT_USER, else your OS user).",
        ),
        click.option(
            "--lang",
            type=click.Choice(LANGUAGES, case_sensitive=False),
            help="Reply language (default: the person's language in the directory, else en).",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts."),
        click.option(
            "--request-id",
            metavar="ID",
            help="Idempotency key: retrying with the same id returns the first result.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def exit_code(result: CommandResult) -> int:
    if result.ok:
        return 0
    return 2 if result.error_code in USAGE_CODES else 1


def emit(result: CommandResult, as_json: bool) -> None:
    """Print a command result and exit with its code: 0 done, 1 refused or not found, 2 usage."""
    if as_json:
        print_json(result.as_dict())
    elif result.ok:
        click.echo(result.text)
    else:
        click.echo(f"error: {one_line(result.text)}", err=True)
    code = exit_code(result)
    if code:
        sys.exit(code)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fail(code: str, message: str, as_json: bool) -> NoReturn:
    """Report a problem outside any command result (configuration, database) and exit."""
    if as_json:
        print_json({"error": code, "message": message})
    else:
        click.echo(f"error: {one_line(message)}", err=True)
    sys.exit(2 if code in USAGE_CODES else 1)


def one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = [
    "acting_user",
    "actor_for",
    "common_options",
    "emit",
    "exit_code",
    "fail",
    "language_for",
    "load_config",
    "open_core",
    "print_json",
]
