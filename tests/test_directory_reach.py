"""People the directory names by email only are reached on Slack and Teams: escalation DMs and standup
questions, their ids found by email, cached, and looked up again when they stop working."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from serve_support import slack_config
from slack_fake_api import FakeSlackApi, channel_id
from slack_harness import SlackHarness, TrackingExecutor
from slack_sdk.errors import SlackApiError
from teams_fake_connector import Harness, teams_harness

from bot.directory import Person, bundled_directory_path
from bot.scheduler import SchedulerSettings
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.identities import SqliteIdentityStore
from handlers.cli.main import cli
from handlers.standup_fanout import FanoutStandupPrompter, NoChatAccount
from handlers.teams.standup import NotDelivered, TeamsStandupPrompter

CS_TEAM = "19:customer-service@thread.tacv2"  # the team conversation_update_team_install adds the bot to


def email_only(tmp_path: Path, *people: str, **changes: Any) -> Path:
    """The bundled directory with `people` named by email only (no Slack or Teams id)."""
    raw: dict[str, Any] = yaml.safe_load(bundled_directory_path().read_text(encoding="utf-8"))
    for person in people:
        raw["people"][person].pop("slack")
        raw["people"][person].pop("teams")
    raw.update(changes)
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def cli_run(db: Path, directory: Path, *args: str) -> Result:
    env = {"ROLEBOT_DB": str(db), "ROLEBOT_DIRECTORY": str(directory), "ROLEBOT_USER": None}
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def learned(db: Path, platform: str) -> list[tuple[str, str | None]]:
    return [(i.user_id, i.person_id) for i in SqliteIdentityStore(open_database(db)).all(platform)]


# --- Slack ---------------------------------------------------------------------------------------------


def test_slack_escalation_dms_reach_someone_named_by_email_and_follow_a_new_account(tmp_path: Path) -> None:
    db, directory = tmp_path / "rolebot.db", email_only(tmp_path, "karin")
    fake = FakeSlackApi().start()
    slack = SlackHarness(db, fake, directory=directory)
    try:
        fake.add_user("U0KARIN", "Karin Lund", "karin@example.com")
        fake.rate_limit("users.lookupByEmail", retry_after=1)  # refused once: the client waits, asks again
        cli_run(db, directory, "escalate", "warehouse", "P2", "pallets stuck at the dock", "--as", "karin")
        slack.settle()
        [created] = [c for c in fake.answered("chat.postMessage") if c["channel"] == "D0KARIN"]
        assert "ESC-1" in created["text"]
        assert len(fake.calls("users.lookupByEmail")) == 2
        assert learned(db, "slack") == [("U0KARIN", "karin")]
        # Karin's account is replaced: the old one is deactivated, a new one has her email
        fake.members[-1]["deleted"] = True
        fake.add_user("U1KARIN", "Karin Lund", "karin@example.com")
        fake.fail("chat.postMessage", "account_inactive")  # the DM to the cached id
        slack.click("escalation_ack", "1", user="U0EUN", channel=channel_id("#warehouse"))
        slack.settle()
        assert slack.runtime.core.service.get("ESC-1").state.value == "acknowledged"
        [acked] = [c for c in fake.answered("chat.postMessage") if c["channel"] == "D1KARIN"]
        assert "ESC-1" in acked["text"]
        assert learned(db, "slack") == [("U1KARIN", "karin")]  # the failed id was forgotten
        assert [c["email"] for c in fake.calls("users.lookupByEmail")][2:] == ["karin@example.com"]
    finally:
        slack.close()
        fake.stop()


def test_slack_escalation_to_someone_slack_does_not_know_falls_back_at_once(tmp_path: Path) -> None:
    db, directory = tmp_path / "rolebot.db", email_only(tmp_path, "karin", "ines")
    fake = FakeSlackApi().start()
    slack = SlackHarness(db, fake, directory=directory)
    try:
        fake.add_user("U0INES", "Ines Vos", "ines@example.com", deleted=True)  # deactivated
        cli_run(db, directory, "escalate", "warehouse", "P2", "labels print blank", "--as", "karin")
        cli_run(db, directory, "escalate", "warehouse", "P2", "scanner offline", "--as", "ines")
        slack.settle()
        assert [c["users"] for c in fake.calls("conversations.open")] == []  # nobody to DM
        failed = [r for r in slack.outbox_rows() if r.state == "failed" and r.platform == "slack"]
        assert sorted(str(r.error) for r in failed) == [
            "no Slack account found for ines",
            "no Slack account found for karin",
        ]
    finally:
        slack.close()
        fake.stop()


def test_serve_slack_asks_the_standup_of_people_named_by_email(tmp_path: Path) -> None:
    from test_standup_serving import settled, standup_now

    from handlers.slack.serve import start_serving

    fake = FakeSlackApi().start()
    path = standup_now(tmp_path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for person in ("felix", "greta"):
        raw["people"][person].pop("slack")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    fake.add_user("U7FELIX", "Felix Ek", "felix@example.com")
    fake.add_user("U0GRETA", "Greta Holm", "greta@example.com", deleted=True)
    fake.rate_limit("users.lookupByEmail", retry_after=0)
    executor = TrackingExecutor()
    settings = SchedulerSettings(sweep_seconds=0, catchup_seconds=0)
    serving = start_serving(
        slack_config(tmp_path / "rolebot.db", fake, path),
        port=0,
        host="127.0.0.1",
        executor=executor,
        settings=settings,
    )
    try:
        settled(serving.runtime.core, {"felix"}, {"greta"})  # greta's account is deactivated: not asked
        # greta stays pending whether or not the tick has reached her yet: wait for her look-up too
        fake.wait_for("users.lookupByEmail", 3)  # one 429, tried again; greta once
        assert [c["users"] for c in fake.calls("conversations.open")] == ["U7FELIX"]
        assert [c["channel"] for c in fake.calls("chat.postMessage")] == ["D7FELIX"]
        assert learned(tmp_path / "rolebot.db", "slack") == [("U7FELIX", "felix")]
        # greta stays pending whether or not her lookup ran yet: wait for it before counting
        fake.wait_for("users.lookupByEmail", count=3)
        assert len(fake.calls("users.lookupByEmail")) == 3  # one 429, tried again; greta once
        # Felix's account is replaced: the DM to the cached id fails, the next one finds the new account
        fake.members[0]["deleted"] = True
        fake.add_user("U8FELIX", "Felix Ek", "felix@example.com")
        fake.fail("chat.postMessage", "account_inactive")
        core = serving.runtime.core
        assert core.standup is not None
        felix = core.directory.people["felix"]
        with pytest.raises(SlackApiError):  # the service asks again on the next tick
            core.standup.prompter.remind(felix, "it", "Reminder", "en")
        core.standup.prompter.remind(felix, "it", "Reminder", "en")
        assert fake.answered("chat.postMessage")[-1]["channel"] == "D8FELIX"
        assert learned(tmp_path / "rolebot.db", "slack") == [("U8FELIX", "felix")]
    finally:
        serving.close()
        executor.shutdown()
        fake.stop()


# --- Teams ---------------------------------------------------------------------------------------------


def test_teams_escalation_dms_reach_someone_named_by_email_and_follow_a_new_account(tmp_path: Path) -> None:
    db, directory = tmp_path / "rolebot.db", email_only(tmp_path, "karin")

    async def body() -> None:
        async with teams_harness(db, directory=directory) as h:
            h.fake.add_member(CS_TEAM, "29:karin", "Karin Lund", "karin@example.com", aad="aad-karin")
            await h.post(h.activity("conversation_update_team_install"))  # the bot is in that team
            h.fake.throttle_next = 1  # the first member read is throttled (Retry-After: 0), then retried
            await asyncio.to_thread(
                cli_run, db, directory, "escalate", "warehouse", "P2", "pallets stuck", "--as", "karin"
            )
            await h.settle()
            [create] = h.fake.of_kind("create")
            assert create.body["members"] == [{"id": "29:karin"}]
            assert "ESC-1" in h.fake.to(str(create.response_id))[0].body["text"]
            assert h.fake.reads == [f"/v3/conversations/{CS_TEAM}/members/karin@example.com"] * 2
            assert learned(db, "teams") == [("29:karin", "karin"), ("aad-karin", "karin")]
            # Karin's account is deleted and made again: the cached id is refused, then found anew
            h.fake.remove_member("29:karin")
            h.fake.gone.add("29:karin")
            h.fake.add_member(CS_TEAM, "29:karin2", "Karin Lund", "karin@example.com", aad="aad-karin2")
            await asyncio.to_thread(cli_run, db, directory, "escalations", "ack", "ESC-1", "--as", "eun")
            await h.settle()
            await check_new_account(h)

    async def check_new_account(h: Harness) -> None:
        assert h.fake.refused == ["29:karin"]
        created = h.fake.of_kind("create")
        assert [c.body["members"] for c in created[1:]] == [[{"id": "29:karin2"}]]
        assert "ESC-1" in h.fake.to(str(created[1].response_id))[0].body["text"]
        assert learned(db, "teams") == [("29:karin2", "karin"), ("aad-karin2", "karin")]

    asyncio.run(body())


def test_teams_standup_prompts_find_people_by_email(tmp_path: Path) -> None:
    db, directory = tmp_path / "rolebot.db", email_only(tmp_path, "felix", "greta", "hugo")

    async def body() -> None:
        async with teams_harness(db, directory=directory) as h:
            fake = h.fake
            fake.add_member(CS_TEAM, "29:ada", "Ada Lind", "ada@example.com")
            fake.add_member(CS_TEAM, "29:guest", "Hugo (guest)")  # no email on Teams: never matched
            # felix signs in with another name than his email: found in the paged roster
            fake.add_member(CS_TEAM, "29:felix", "Felix Ek", "felix@example.com", upn="fek@corp.example")
            await h.post(h.activity("conversation_update_team_install"))
            prompter = h.core.standup.prompter  # the one `serve teams` builds its core with
            assert isinstance(prompter, TeamsStandupPrompter)
            people = h.core.directory.people
            await asyncio.to_thread(prompter.ask, people["felix"], "it", "What did you do yesterday?", "en")
            [create] = fake.of_kind("create")
            assert create.body["members"] == [{"id": "29:felix"}]
            assert fake.reads == [
                f"/v3/conversations/{CS_TEAM}/members/felix@example.com",
                *[f"/v3/conversations/{CS_TEAM}/pagedmembers"] * 2,  # two members a page
            ]
            for person in ("greta", "hugo"):  # in no roster / no email on Teams
                with pytest.raises(NotDelivered):
                    await asyncio.to_thread(prompter.ask, people[person], "it", "q", "en")
            reads = len(fake.reads)
            with pytest.raises(NotDelivered):  # not searched for again right away
                await asyncio.to_thread(prompter.remind, people["greta"], "it", "reminder", "en")
            assert len(fake.reads) == reads
            await asyncio.to_thread(prompter.remind, people["felix"], "it", "reminder", "en")
            assert len(fake.reads) == reads and len(fake.of_kind("create")) == 1  # cached id, same chat

    asyncio.run(body())


def test_teams_escalation_of_someone_in_no_directory_entry_records_their_email(tmp_path: Path) -> None:
    db = tmp_path / "rolebot.db"

    async def body() -> None:
        async with teams_harness(db) as h:
            h.fake.add_member(CS_TEAM, "29:nina", "Nina Nyberg", "nina@example.com", aad="aad-nina")
            nina = {"id": "29:nina", "name": "Nina Nyberg", "aadObjectId": "aad-nina"}
            text = "escalate customer-service P3 a refund is missing"
            await h.post(h.activity("message_personal", text=text, **{"from": nina}))
            await h.settle()
            escalation = h.core.service.get("ESC-1")
            requester = escalation.requester
            assert (requester.user_id, requester.person_id, requester.email) == (
                "29:nina",
                None,
                "nina@example.com",
            )
            assert escalation.as_dict()["requester"]["email"] == "nina@example.com"

    asyncio.run(body())


# --- serve all -----------------------------------------------------------------------------------------


class Reaching:
    """A platform's prompter that knows some people (by id or email); records whom it asked."""

    def __init__(self, knows: set[str]) -> None:
        self.knows, self.asked, self.looked_up = knows, [], []  # type: ignore[var-annotated]

    def reaches(self, person: Person) -> bool:
        self.looked_up.append(person.id)
        return person.id in self.knows

    def ask(self, person: Person, team: str, question_text: str, language: str) -> None:
        self.asked.append(person.id)

    def remind(self, person: Person, team: str, text: str, language: str) -> None:
        self.asked.append(person.id)


def test_serve_all_asks_someone_named_by_email_where_they_are_found() -> None:
    slack, teams = Reaching({"zoe"}), Reaching({"zoe", "yan"})
    both = FanoutStandupPrompter(slack, teams)
    for person in ("zoe", "yan"):
        both.ask(Person(person, person.title(), email=f"{person}@example.com"), "it", "q", "en")
    assert (slack.asked, teams.asked) == (["zoe"], ["yan"])  # Slack first, never both
    both.ask(Person("ida", "Ida", ms_teams="29:ida", email="ida@example.com"), "it", "q", "en")
    assert teams.asked[-1] == "ida" and "ida" not in slack.looked_up  # a Teams id: Teams, no look-up
    with pytest.raises(NoChatAccount):
        both.ask(Person("xia", "Xia", email="xia@example.com"), "it", "q", "en")
