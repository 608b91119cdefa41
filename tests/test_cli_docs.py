"""Every CLI command is documented in the README (the CLI mirrors the library; users find it there)."""

from __future__ import annotations

from pathlib import Path

import click

from handlers.cli.main import COMMAND_MODULES, cli


def _command_paths(group: click.Group, prefix: str, ctx: click.Context) -> list[str]:
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{prefix} {name} is listed but cannot be loaded"
        path = f"{prefix} {name}"
        paths.append(path)
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path, ctx))
    return paths


def test_every_command_loads_and_is_in_the_readme(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    with click.Context(cli) as ctx:
        paths = _command_paths(cli, "rolebot", ctx)
    assert len(paths) >= len(set(COMMAND_MODULES))
    missing = [path for path in paths if path not in readme]
    assert not missing, f"commands missing from README.md: {missing}"
