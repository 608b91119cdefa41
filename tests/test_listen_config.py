"""The directory's `listen:` section: parsed, defaulted, refused when malformed, checked by `kb validate`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from kb_fixtures import directory_dict, write_kb

from bot.directory import DirectoryError, directory_from_dict, load_directory
from handlers.cli.main import cli


def test_bundled_directory_names_request_channels_with_the_default_reaction() -> None:
    directory = load_directory()
    help_desk = directory.listen_channel("slack", "C0HELPDESK")
    assert help_desk is not None and help_desk.requests and help_desk.reactions
    assert (directory.reaction, help_desk.emoji) == ("ticket", "ticket")
    assert directory.listen_channel("teams", "19:it-help@thread.tacv2").emoji == "sos"  # type: ignore[union-attr]
    assert directory.listen_channel("slack", "C0GENERAL") is None


@pytest.mark.parametrize(
    ("listen", "message"),
    [
        ({"channels": {"x": {"requests": True}}}, "give its `slack` channel id"),
        ({"channels": {"x": {"slack": "C1", "requests": "yes"}}}, "use true or false"),
        ({"reaction": "two words", "channels": {}}, "bad reaction"),
    ],
)
def test_malformed_listen_entries_are_refused_by_name(listen: dict, message: str) -> None:
    with pytest.raises(DirectoryError, match=message):
        directory_from_dict({**directory_dict(), "listen": listen})


def test_kb_validate_reports_unknown_team_and_owner_of_a_listened_channel(tmp_path: Path) -> None:
    folder = write_kb(tmp_path / "kb")
    listen = {
        "channels": {"help": {"slack": "C1", "team": "nowhere", "owners": ["nobody"], "requests": True}}
    }
    (folder / "directory.yaml").write_text(
        yaml.safe_dump({**directory_dict(), "listen": listen}), encoding="utf-8"
    )
    env = {"ROLEBOT_KNOWLEDGE": str(folder), "ROLEBOT_DIRECTORY": str(folder / "directory.yaml")}
    result = CliRunner().invoke(cli, ["kb", "validate"], env=env)
    assert result.exit_code == 1
    assert (
        "listen.channels.help" in result.output
        and "'nowhere'" in result.output
        and "'nobody'" in result.output
    )
