"""`rolebot directory sync|check` against the Slack Web API fake and the Teams connector fake."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp.test_utils import TestServer
from click.testing import CliRunner, Result
from slack_fake_api import FakeSlackApi
from teams_fake_connector import FakeConnector

from bot.directory import load_directory
from handlers.cli.main import cli

DIRECTORY = """
admins: [ada]
fallback: {name: Front desk, slack_channel: "#help"}
defaults:
  escalation:
    chain: [{name: team channel, notify: channel}]
    ack: {P1: 30m, P2: 4h, P3: 16h}
    resolve: {P1: 4h, P2: 16h, P3: 40h}
people:
  ada:   {name: Ada Lind, email: ada@example.com}
  bo:    {name: Bo Chen, slack: U0OLDBO, email: Bo@Example.com}
  felix: {name: Felix Ek, email: felix@example.com}
  greta: {name: Greta Holm, email: greta@example.com}
  hugo:  {name: Hugo Sand, slack: U0HUGO}
teams:
  customer-service:
    slack_channel: "#customer-service"
    slack_usergroup: S0CS
    teams_team: "19:cs@thread.tacv2"
    owners: [ada]
    members: [ada, felix]
  it:
    slack_channel: "#it-dev"
    slack_usergroup: S0GONE
    teams_team: "19:gone@thread.tacv2"
    members: [hugo]
"""


def write_directory(tmp_path: Path) -> Path:
    path = tmp_path / "directory.yaml"
    path.write_text(DIRECTORY, encoding="utf-8")
    return path


@pytest.fixture()
def slack(tmp_path: Path) -> Iterator[FakeSlackApi]:
    api = FakeSlackApi().start()
    api.add_user("U0ADA", "Ada Lind", "ada@example.com")
    api.add_user("U0BO", "Bo Chen", "bo@example.com")
    api.add_user("U0FELIX", "Felix Ek", "felix@example.com", deleted=True)
    api.add_user("U0HUGO", "Hugo Sandberg", "hugo@example.com")
    api.add_user("U0EVA", "Eva Lind", "eva.lind@example.com")
    api.add_user("U0NOMAIL", "Guest Contractor")
    api.add_user("USLACKBOT", "Slackbot")
    api.add_user("B0BOT", "Helper bot", "bot@example.com", bot=True)
    api.usergroups["S0CS"] = ["U0ADA", "U0BO", "U0FELIX", "U0EVA", "U0NOMAIL", "B0BOT"]
    api.channels = [{"id": "C0CS", "name": "customer-service"}, {"id": "C0HELP", "name": "help"}]
    yield api
    api.stop()


def run(*args: str, slack: FakeSlackApi | None = None, db: Path | None = None) -> Result:
    env: dict[str, str | None] = {"ROLEBOT_DIRECTORY": None, "SLACK_BOT_TOKEN": None, "SLACK_API_URL": None}
    if slack is not None:
        env.update(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack.api_url)
    env["ROLEBOT_DB"] = str(db) if db is not None else "/nonexistent/rolebot.db"
    return CliRunner().invoke(cli, ["directory", *args], env=env)


# --- Slack ---------------------------------------------------------------------------------------------


def test_slack_sync_dry_run_shows_every_kind_of_change(slack: FakeSlackApi, tmp_path: Path) -> None:
    path = write_directory(tmp_path)
    slack.rate_limit("users.list", retry_after=0)  # the first page is refused once, then retried
    result = run("sync", "--from", "slack", "--directory", str(path), "--dry-run", slack=slack)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"slack: {path}"
    assert lines[1:-2] == [
        "  new person      eva.lind: Eva Lind <eva.lind@example.com>",
        "  new person      guest-contractor: Guest Contractor <no email>",
        "  joined          bo -> customer-service",
        "  joined          eva.lind -> customer-service",
        "  joined          guest-contractor -> customer-service",
        "  left team       felix <- customer-service",
        "  left            felix: slack user U0FELIX is deactivated",
        "  id              ada: U0ADA",
        "  id              bo: U0OLDBO -> U0BO",
        "  email           hugo: hugo@example.com",
        "  renamed         hugo: Hugo Sand -> Hugo Sandberg",
        "  unknown email   greta: greta@example.com",
        "  no email        guest-contractor: slack user U0NOMAIL has no email; keyed by its id",
        "  unknown group   team it: slack_usergroup S0GONE is not known to slack",
    ]
    assert lines[-2:] == ["14 changes.", "Dry run: nothing written."]
    assert path.read_text(encoding="utf-8") == DIRECTORY
    # every listing was read page by page (two members a page), the rate-limited page again
    assert [c.get("cursor") for c in slack.calls("users.list")] == [
        None,
        None,
        *(f"page-{n}" for n in (2, 4, 6)),
    ]
    assert len(slack.calls("usergroups.users.list")) == 3 + 1  # S0CS in three pages, S0GONE refused


def test_slack_sync_writes_a_directory_that_loads(slack: FakeSlackApi, tmp_path: Path) -> None:
    path = write_directory(tmp_path)
    out = tmp_path / "synced.yaml"
    result = run("sync", "--from", "slack", "--directory", str(path), "--write", str(out), slack=slack)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"Wrote {out}\n")
    directory = load_directory(out)
    assert directory.people["eva.lind"].slack == "U0EVA"
    assert directory.people["eva.lind"].email == "eva.lind@example.com"
    assert directory.people["bo"].slack == "U0BO" and directory.people["hugo"].name == "Hugo Sandberg"
    assert directory.teams["customer-service"].members == ("ada", "bo", "eva.lind", "guest-contractor")
    assert directory.teams["it"].members == ("hugo",)  # an unknown group leaves the team as it was
    assert directory.person_for("slack", "U0EVA") is directory.people["eva.lind"]
    again = run("sync", "--from", "slack", "--directory", str(out), "--dry-run", slack=slack)
    assert again.stdout.splitlines()[1:-2] == [
        "  left            felix: slack user U0FELIX is deactivated",
        "  unknown email   greta: greta@example.com",
        "  unknown group   team it: slack_usergroup S0GONE is not known to slack",
    ]


def test_slack_sync_json_and_refusals(slack: FakeSlackApi, tmp_path: Path) -> None:
    path = write_directory(tmp_path)
    result = run("sync", "--from", "slack", "--directory", str(path), "--dry-run", "--json", slack=slack)
    data = json.loads(result.stdout)
    assert data["written"] is None and len(data["changes"]) == 14
    assert data["changes"][0] == {
        "kind": "new-person",
        "person": "eva.lind",
        "team": "",
        "detail": "Eva Lind <eva.lind@example.com>",
    }
    bundled = run("sync", "--from", "slack", slack=slack)
    assert bundled.exit_code == 2 and "refusing to overwrite the bundled example" in bundled.stderr
    no_token = run("sync", "--from", "slack", "--directory", str(path), "--dry-run")
    assert no_token.exit_code == 2 and "SLACK_BOT_TOKEN" in no_token.stderr


def test_slack_check_lists_what_slack_does_not_know(slack: FakeSlackApi, tmp_path: Path) -> None:
    path = write_directory(tmp_path)
    path.write_text(DIRECTORY.replace("teams:\n", "  ivan:  {name: Ivan, slack: U0NOBODY}\nteams:\n", 1))
    result = run("check", "--from", "slack", "--directory", str(path), slack=slack)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "  left            felix: slack user U0FELIX is deactivated",
        "  unknown email   greta: greta@example.com",
        "  unknown id      ivan: slack id U0NOBODY is unknown",
        "  unknown group   team it: slack_usergroup S0GONE is not known to slack",
        "  unknown channel team it: slack_channel #it-dev",
        f"5 problem(s) in {path}",
    ]
    slack.channels.append({"id": "C0IT", "name": "it-dev"})
    fixed = yaml.safe_load(DIRECTORY)  # without ivan
    fixed["people"]["greta"]["email"] = "eva.lind@example.com"
    del fixed["people"]["felix"]
    fixed["teams"]["customer-service"]["members"] = ["ada"]
    del fixed["teams"]["it"]["slack_usergroup"]
    path.write_text(yaml.safe_dump(fixed), encoding="utf-8")
    clean = run("check", "--from", "slack", "--directory", str(path), slack=slack)
    assert clean.exit_code == 0, clean.output
    assert clean.stdout == f"OK: slack knows {path}\n"


# --- Teams ---------------------------------------------------------------------------------------------


class ConnectorThread:
    """The fake connector served from its own event loop, so the CLI can call it synchronously."""

    def __init__(self, fake: FakeConnector) -> None:
        self.loop = asyncio.new_event_loop()
        self.server = TestServer(fake.app(), host="127.0.0.1", loop=self.loop)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start_server(), self.loop).result()

    @property
    def url(self) -> str:
        return str(self.server.make_url("/"))

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


@pytest.fixture()
def teams(tmp_path: Path) -> Iterator[tuple[FakeConnector, Path]]:
    """A fake connector with one team's roster, and a database holding the bot's last conversation."""
    from bot.storage.refs import LATEST
    from bot.storage.sqlite.database import open_database
    from bot.storage.sqlite.teams_refs import SqliteTeamsRefs

    fake = FakeConnector()
    team = "19:cs@thread.tacv2"
    fake.add_member(team, "29:ada", "Ada Lind", "ada@example.com", aad="aad-ada")
    fake.add_member(team, "29:bo", "Bo Chen", "bo@example.com", aad="aad-bo")
    fake.add_member(team, "29:eva", "Eva Lind", "eva.lind@example.com", aad="aad-eva")
    fake.add_member(team, "29:guest", "Guest (external)", None, aad="aad-guest")
    fake.channels[team] = [{"id": team, "name": "General"}, {"id": "19:cs-escalations@thread.tacv2"}]
    server = ConnectorThread(fake)
    db = tmp_path / "rolebot.db"
    reference: dict[str, Any] = {
        "serviceUrl": server.url,
        "channelId": "msteams",
        "conversation": {"id": "a:1", "conversationType": "personal"},
        "bot": {"id": "28:bot", "name": "rolebot"},
        "user": {"id": "29:ada"},
    }
    SqliteTeamsRefs(open_database(db)).save_reference([LATEST], reference)
    yield fake, db
    server.stop()


def test_teams_sync_from_paged_rosters_with_throttling(
    teams: tuple[FakeConnector, Path], tmp_path: Path
) -> None:
    fake, db = teams
    fake.throttle_next = 1
    path = write_directory(tmp_path)
    out = tmp_path / "synced.yaml"
    result = run("sync", "--from", "teams", "--directory", str(path), "--write", str(out), db=db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  new person      eva.lind: Eva Lind <eva.lind@example.com>" in lines
    assert "  new person      guest-external: Guest (external) <no email>" in lines
    assert "  left team       felix <- customer-service" in lines
    assert "  id              ada: aad-ada" in lines
    assert "  unknown email   felix: felix@example.com" in lines
    assert "  unknown group   team it: teams_team 19:gone@thread.tacv2 is not known to teams" in lines
    directory = load_directory(out)
    assert directory.teams["customer-service"].members == ("ada", "bo", "eva.lind", "guest-external")
    assert directory.person_for("teams", "aad-eva") is directory.people["eva.lind"]
    # three pages of two members each way: the throttled first read was tried again
    roster_reads = [p for p in fake.reads if p.endswith("/pagedmembers")]
    assert len(roster_reads) == 1 + 2 + 1  # throttled, two pages of the team, the unknown team


def test_teams_check_and_missing_conversation(teams: tuple[FakeConnector, Path], tmp_path: Path) -> None:
    _, db = teams
    path = write_directory(tmp_path)
    result = run("check", "--from", "teams", "--directory", str(path), "--json", db=db)
    assert result.exit_code == 1
    problems = {(p["kind"], p["person"] or p["team"]) for p in json.loads(result.stdout)["problems"]}
    assert problems == {
        ("unknown-email", "felix"),
        ("unknown-email", "greta"),
        ("unknown-group", "it"),
    }
    empty = run("check", "--from", "teams", "--directory", str(path), db=tmp_path / "fresh.db")
    assert empty.exit_code == 2 and "no Teams conversation seen yet" in empty.stderr


LISTEN = """
listen:
  channels:
    help: {slack: C0CS, teams: "19:cs-escalations@thread.tacv2"}
    gone: {slack: C0NOPE, teams: "19:nowhere@thread.tacv2"}
"""


def test_slack_check_lists_listen_channels_slack_does_not_know(slack: FakeSlackApi, tmp_path: Path) -> None:
    path = write_directory(tmp_path)
    path.write_text(DIRECTORY + LISTEN, encoding="utf-8")
    result = run("check", "--from", "slack", "--directory", str(path), slack=slack)
    assert result.exit_code == 1
    channels = [line for line in result.stdout.splitlines() if "unknown channel" in line]
    assert channels == [
        "  unknown channel team it: slack_channel #it-dev",
        "  unknown channel listen gone: listen.slack C0NOPE",
    ]


def other_team(fake: FakeConnector, db: Path) -> None:
    """The bot is also in a team the directory does not name (seen in one of its channels)."""
    from bot.storage.refs import channel_key
    from bot.storage.sqlite.database import open_database
    from bot.storage.sqlite.teams_refs import SqliteTeamsRefs

    team = "19:other@thread.tacv2"
    fake.add_member(team, "29:greta", "Greta Holm", "greta@example.com", aad="aad-greta")
    fake.add_member(team, "29:nina", "Nina Nyberg", "nina@example.com", aad="aad-nina")
    fake.channels[team] = [{"id": team, "name": "General"}, {"id": "19:it@thread.tacv2"}]
    reference = {"conversation": {"id": team, "conversationType": "channel"}, "teamId": team}
    SqliteTeamsRefs(open_database(db)).save_reference([channel_key(team)], reference)


def test_teams_check_reads_every_team_the_bot_is_in(
    teams: tuple[FakeConnector, Path], tmp_path: Path
) -> None:
    fake, db = teams
    other_team(fake, db)
    raw = yaml.safe_load(DIRECTORY + LISTEN)
    raw["teams"]["customer-service"]["teams_channel"] = "19:cs-escalations@thread.tacv2"
    raw["teams"]["it"]["teams_channel"] = "19:it@thread.tacv2"
    raw["fallback"]["teams_channel"] = "19:front-desk@thread.tacv2"
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = run("check", "--from", "teams", "--directory", str(path), db=db)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:-1] == [
        "  unknown email   felix: felix@example.com",  # greta is in the other team's roster
        "  unknown group   team it: teams_team 19:gone@thread.tacv2 is not known to teams",
        "  unknown channel fallback: teams_channel 19:front-desk@thread.tacv2",
        "  unknown channel listen gone: listen.teams 19:nowhere@thread.tacv2",
    ]


def test_teams_sync_adds_people_who_asked_and_keeps_29_ids(
    teams: tuple[FakeConnector, Path], tmp_path: Path
) -> None:
    from bot.identities import Identity
    from bot.storage.sqlite.database import open_database
    from bot.storage.sqlite.identities import SqliteIdentityStore

    fake, db = teams
    other_team(fake, db)
    store = SqliteIdentityStore(open_database(db))
    for user_id in ("29:nina", "aad-nina"):  # as the bot remembers someone in no directory entry
        store.save(Identity("teams", user_id, "nina@example.com", "Nina Nyberg", None))
    raw = yaml.safe_load(DIRECTORY)
    raw["people"]["bo"]["teams"] = "29:bo"  # the file may name the Teams user id instead of the AAD id
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = run("sync", "--from", "teams", "--directory", str(path), "--dry-run", db=db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  asked the bot   nina: used the bot as teams user 29:nina" in lines
    assert "  new person      nina: Nina Nyberg <nina@example.com>" in lines
    assert "  id              greta: aad-greta" in lines
    assert not [line for line in lines if line.startswith("  id              bo")]


def test_teams_ids_under_ms_teams_or_the_older_teams_key(
    teams: tuple[FakeConnector, Path], tmp_path: Path
) -> None:
    """A person's Teams id may sit under `ms_teams:` (the name that cannot be mistaken for the company's
    teams) or the older `teams:`; sync keeps the key the entry uses."""
    _, db = teams
    path = tmp_path / "directory.yaml"
    text = DIRECTORY.replace(
        "{name: Ada Lind, email: ada@example.com}",
        '{name: Ada Lind, ms_teams: "29:old", email: ada@example.com}',
    )
    path.write_text(text.replace("{name: Hugo Sand, slack: U0HUGO}", '{name: Hugo Sand, teams: "29:hugo"}'))
    before = load_directory(path)
    assert before.person_for("teams", "29:old") is before.people["ada"]
    assert before.person_for("teams", "29:hugo") is before.people["hugo"]
    out = tmp_path / "synced.yaml"
    result = run("sync", "--from", "teams", "--directory", str(path), "--write", str(out), db=db)
    assert result.exit_code == 0, result.output
    assert "  id              ada: 29:old -> aad-ada" in result.stdout.splitlines()
    people = yaml.safe_load(out.read_text(encoding="utf-8"))["people"]
    assert people["ada"]["ms_teams"] == "aad-ada" and "teams" not in people["ada"]
    after = load_directory(out)
    assert after.person_for("teams", "aad-ada") is after.people["ada"]
