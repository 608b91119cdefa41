"""CLI commands for the directory: `rolebot directory sync` and `rolebot directory check`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import click
import yaml

from bot.config import Config, ConfigError
from bot.directory import bundled_directory_path
from bot.directory_sync import PLATFORMS, Change, DirectorySource, check_directory, plan_sync

_LABELS = {
    "new-person": "new person",
    "asker": "asked the bot",
    "joined": "joined",
    "left-team": "left team",
    "left": "left",
    "id": "id",
    "email": "email",
    "renamed": "renamed",
    "unknown-email": "unknown email",
    "unknown-id": "unknown id",
    "no-email": "no email",
    "unknown-group": "unknown group",
    "unknown-channel": "unknown channel",
}
_FILE = click.Path(dir_okay=False, path_type=Path)


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def _directory_file(option: Path | None, config: Config) -> Path:
    return option or config.directory_path or bundled_directory_path()


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _fail(f"{path}: directory file not found")
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        _fail(f"{path}: not valid YAML ({exc})")
    if not isinstance(raw, Mapping):
        _fail(f"{path}: expected a mapping at the top level")
    return dict(raw)


def _source(platform: str, config: Config, raw: Mapping[str, Any]) -> DirectorySource:
    """The platform's directory source, from the same settings `rolebot serve` uses."""
    try:
        if platform == "slack":
            from handlers.slack.app import make_client
            from handlers.slack.directory_source import SlackDirectorySource

            return SlackDirectorySource(make_client(config))
        from handlers.teams.directory_source import teams_source

        return teams_source(config, raw)
    except ConfigError as exc:
        _fail(str(exc))


def _askers(config: Config, platform: str) -> list[str]:
    """Platform ids of people who used the bot without a directory entry (from ROLEBOT_DB, if it exists)."""
    if not config.has_database():
        return []
    from bot.storage.backends import open_stores

    return [i.user_id for i in open_stores(config.database).identities.all(platform) if not i.person_id]


def _line(change: Change) -> str:
    subject = change.person
    if change.kind == "joined":
        subject = f"{change.person} -> {change.team}"
    elif change.kind == "left-team":
        subject = f"{change.person} <- {change.team}"
    elif change.team.startswith("listen:"):
        subject = f"listen {change.team.removeprefix('listen:')}"
    elif not change.person:
        subject = f"team {change.team}" if change.team != "fallback" else "fallback"
    detail = f": {change.detail}" if change.detail else ""
    return f"  {_LABELS[change.kind]:<15} {subject}{detail}"


@click.group("directory")
def directory_group() -> None:
    """The directory of people and team channels, kept current from Slack or Teams."""


_FROM = click.option(
    "--from", "platform", type=click.Choice(PLATFORMS), required=True, help="Platform to ask."
)
_DIRECTORY = click.option(
    "--directory",
    "directory_file",
    type=_FILE,
    help="Directory file (default: $ROLEBOT_DIRECTORY, else the bundled example).",
)


@directory_group.command("sync")
@_FROM
@_DIRECTORY
@click.option(
    "--write", "write_file", type=_FILE, help="Write the updated directory here (default: --directory)."
)
@click.option("--dry-run", is_flag=True, help="Show the changes; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as one JSON object.")
def sync_command(
    platform: str, directory_file: Path | None, write_file: Path | None, dry_run: bool, as_json: bool
) -> None:
    """Who joined, left or was renamed, and which emails the platform does not know; writes the file
    with platform ids filled in, new people added and group-backed teams' members updated."""
    config = Config.from_env(os.environ)
    path = _directory_file(directory_file, config)
    target = None if dry_run else (write_file or path)
    if target is not None and target.resolve() == bundled_directory_path().resolve():
        _fail("refusing to overwrite the bundled example directory; use --write FILE or --dry-run")
    raw = _read(path)
    report = plan_sync(raw, _source(platform, config, raw), askers=_askers(config, platform))
    if target is not None:
        text = yaml.safe_dump(report.directory, allow_unicode=True, sort_keys=False, width=110)
        header = f"# rolebot directory, updated by `rolebot directory sync --from {platform}`\n"
        target.write_text(header + text, encoding="utf-8")
    changes = report.sorted()
    if as_json:
        out = {
            "platform": platform,
            "directory": str(path),
            "written": None if target is None else str(target),
        }
        click.echo(json.dumps({**out, "changes": [vars(c) for c in changes]}, ensure_ascii=False))
        return
    click.echo(f"{platform}: {path}")
    for change in changes:
        click.echo(_line(change))
    click.echo(f"{len(changes)} change{'' if len(changes) == 1 else 's'}.")
    click.echo("Dry run: nothing written." if target is None else f"Wrote {target}")


@directory_group.command("check")
@_FROM
@_DIRECTORY
@click.option("--json", "as_json", is_flag=True, help="Print the problems as one JSON object.")
def check_command(platform: str, directory_file: Path | None, as_json: bool) -> None:
    """People, user groups/teams and channels in the directory that the platform does not know (exit 1)."""
    config = Config.from_env(os.environ)
    path = _directory_file(directory_file, config)
    raw = _read(path)
    problems = check_directory(raw, _source(platform, config, raw))
    if as_json:
        data = {"platform": platform, "directory": str(path), "ok": not problems}
        click.echo(json.dumps({**data, "problems": [vars(p) for p in problems]}, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(_line(problem))
        click.echo(f"{len(problems)} problem(s) in {path}" if problems else f"OK: {platform} knows {path}")
    if problems:
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(directory_group)
