"""Platform ids resolved at run time by email and cached in the database (Slack, through the real app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from slack_fake_api import FakeSlackApi
from slack_harness import SlackHarness
from slack_sdk import WebClient

from bot.directory import bundled_directory_path, directory_from_dict, load_directory
from bot.identities import Identities
from bot.knowledge import load_knowledge
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.identities import SqliteIdentityStore
from bot.storage.sqlite.slack_refs import SqliteSlackRefs
from handlers.cli.main import cli
from handlers.slack.notifier import SlackNotifier, StaleSlackId


def identities(slack: SlackHarness) -> list[tuple[str, str | None, str | None]]:
    store = SqliteIdentityStore(slack.runtime.core.stores.health.db)
    return [(i.user_id, i.email, i.person_id) for i in store.all("slack")]


def test_a_slack_id_the_file_does_not_name_is_resolved_by_email(slack: SlackHarness, tmp_path: Path) -> None:
    # the directory says karin is U0KARIN; she writes from another account with the same email
    slack.fake.add_user("U9KARIN", "Karin Lund", "karin@example.com")
    slack.command(
        "/escalate", "warehouse P2 pallets stuck at the loading dock", user="U9KARIN", response="esc"
    )
    slack.settle()
    esc = slack.runtime.core.service.get("ESC-1")
    assert (esc.requester.user_id, esc.requester.person_id) == ("U9KARIN", "karin")
    assert esc.requester.email == "karin@example.com"
    assert identities(slack) == [("U9KARIN", "karin@example.com", "karin")]
    # after a restart the cached id is known at start-up, before she writes again
    again = SlackHarness(tmp_path / "rolebot.db", slack.fake)
    try:
        assert again.runtime.core.directory.person_for("slack", "U9KARIN").id == "karin"
        again.command("/escalate", "warehouse P3 labels are printing blank", user="U9KARIN", response="e2")
        again.settle()
        assert again.runtime.core.service.get("ESC-2").requester.person_id == "karin"
    finally:
        again.close()


def test_someone_in_no_directory_entry_gets_answers_and_sync_adds_them(
    slack: SlackHarness, tmp_path: Path
) -> None:
    slack.fake.add_user("U9NINA", "Nina Nyberg", "nina@example.com")
    assert slack.dm("who handles returns?", user="U9NINA")[0] == 200
    answer = slack.fake.wait_for("chat.postMessage")[0]
    assert "Customer Service" in answer["text"]
    slack.command("/escalate", "customer-service P3 a refund is missing", user="U9NINA", response="esc")
    slack.settle()
    esc = slack.runtime.core.service.get("ESC-1")
    assert (esc.requester.platform, esc.requester.user_id, esc.requester.person_id) == (
        "slack",
        "U9NINA",
        None,
    )
    assert esc.requester.email == "nina@example.com"  # the escalation keeps how to reach her
    assert esc.as_dict()["requester"]["email"] == "nina@example.com"
    assert identities(slack) == [("U9NINA", "nina@example.com", None)]
    copy = tmp_path / "directory.yaml"
    copy.write_text(bundled_directory_path().read_text(encoding="utf-8"), encoding="utf-8")
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.fake.api_url,
        "ROLEBOT_DB": str(tmp_path / "rolebot.db"),
    }
    result = CliRunner().invoke(
        cli,
        ["directory", "sync", "--from", "slack", "--directory", str(copy)],
        env={**env, "ROLEBOT_DIRECTORY": None},
    )
    assert result.exit_code == 0, result.output
    assert "  asked the bot   nina: used the bot as slack user U9NINA" in result.stdout
    assert "  new person      nina: Nina Nyberg <nina@example.com>" in result.stdout
    assert load_directory(copy).person_for("slack", "U9NINA").id == "nina"


def test_outbound_ids_are_looked_up_by_email_and_refreshed_when_they_fail(tmp_path: Path) -> None:
    fake = FakeSlackApi().start()
    try:
        fake.add_user("U0ZOE", "Zoe Ek", "zoe@example.com")
        raw = {
            "people": {"zoe": {"name": "Zoe Ek", "email": "zoe@example.com"}},
            "defaults": {
                "escalation": {
                    "chain": ["channel"],
                    "ack": {"P1": "1h", "P2": "1h", "P3": "1h"},
                    "resolve": {"P1": "1h", "P2": "1h", "P3": "1h"},
                }
            },
        }
        directory = directory_from_dict(raw)
        db = open_database(tmp_path / "rolebot.db")
        known = Identities(directory, SqliteIdentityStore(db))
        client = WebClient(token="xoxb-test", base_url=fake.api_url)
        notifier = SlackNotifier(client, directory, load_knowledge(), SqliteSlackRefs(db), identities=known)
        assert notifier.person_slack_id("zoe") == "U0ZOE"
        assert notifier.person_slack_id("zoe") == "U0ZOE"
        assert len(fake.calls("users.lookupByEmail")) == 1  # cached after the first look-up
        assert directory.person_for("slack", "U0ZOE").id == "zoe"
        fake.fail("chat.postMessage", "user_not_found")
        with pytest.raises(StaleSlackId):  # raised: the outbox retries, looking her up again
            notifier.dm("U0ZOE", "hello")
        assert directory.person_for("slack", "U0ZOE") is None  # the failed id is forgotten ...
        assert notifier.person_slack_id("zoe") == "U0ZOE"  # ... and looked up again
        assert len(fake.calls("users.lookupByEmail")) == 2
        notifier.dm("U0ZOE", "hello")
        assert fake.answered("chat.postMessage")[-1]["text"] == "hello"
    finally:
        fake.stop()


def test_a_teams_sender_the_file_does_not_name_is_resolved_by_email(tmp_path: Path) -> None:
    import asyncio

    from teams_fake_connector import Harness, teams_harness

    from bot.escalations.models import ListFilter

    async def body() -> None:
        async with teams_harness(tmp_path / "rolebot.db") as h:
            h.fake.add_member(
                "19:wh@thread.tacv2", "29:karin-new", "Karin Lund", "karin@example.com", aad="aad-k2"
            )
            sender = {"id": "29:karin-new", "name": "Karin Lund", "aadObjectId": "aad-k2"}
            await h.post(
                h.activity(
                    "message_personal",
                    text="escalate warehouse P2 the dock door is stuck",
                    **{"from": sender},
                )
            )
            stranger = {"id": "29:stranger", "name": "Sam Stranger", "aadObjectId": "aad-sam"}
            await h.post(
                h.activity("message_personal", id="2", text="who handles returns?", **{"from": stranger})
            )
            await h.settle()
            await check(h)

    async def check(h: Harness) -> None:
        [escalation] = h.core.service.list(ListFilter(scope="all"))
        assert (escalation.requester.user_id, escalation.requester.person_id) == ("29:karin-new", "karin")
        assert escalation.requester.email == "karin@example.com"
        [answer] = [c for c in h.fake.to("a:personal-bo") if c.kind == "reply" and c.card]  # the stranger's
        assert answer.card["body"][0]["text"] == "Customer Service is accountable for this."
        store = SqliteIdentityStore(h.core.stores.health.db)
        assert [(i.user_id, i.email, i.person_id) for i in store.all("teams")] == [
            ("29:karin-new", "karin@example.com", "karin"),
            ("29:stranger", None, None),
            ("aad-k2", "karin@example.com", "karin"),
            ("aad-sam", None, None),  # not in any roster: asked once, remembered as unknown
        ]
        lookups = [p for p in h.fake.reads if "/members/" in p]
        assert lookups == [
            "/v3/conversations/a:personal-bo/members/29:karin-new",
            "/v3/conversations/a:personal-bo/members/29:stranger",
        ]

    asyncio.run(body())


def test_members_of_a_slack_user_group_may_act_for_the_team(slack: SlackHarness) -> None:
    from slack_fake_api import channel_id

    from bot.escalations.models import State
    from handlers.slack.directory_source import SlackDirectorySource

    cs_channel = channel_id("#customer-service")
    # lars is in customer-service's user group on Slack, not in the directory's members of the team
    slack.fake.add_user("U0LARS", "Lars Berg", "lars@example.com")
    slack.fake.add_user("U9GONE", "Old Timer", "old@example.com", deleted=True)
    slack.fake.add_user("U9OUT", "Outside Olle", "olle@example.com")  # in the group, in no directory entry
    slack.fake.usergroups["S0CS"] = ["U0LARS", "U9GONE", "U9OUT"]
    slack.command("/escalate", "customer-service P2 the returns form is broken", response="esc")
    slack.settle()
    slack.click("escalation_ack", "1", user="U0LARS", channel=cs_channel)
    slack.settle()
    assert slack.runtime.core.service.get("ESC-1").state is State.OPEN  # refused: not a member yet
    # what the `directory-groups` job of `rolebot serve slack` runs at start-up and every hour
    core = slack.runtime.core
    assert core.identities is not None
    found = core.identities.refresh_groups(SlackDirectorySource(slack.runtime.app.client))
    assert found["customer-service"] == 1
    assert "customer-service" in core.directory.teams_of("lars")
    assert identities(slack) == []  # group members are not people who used the bot (sync adds those)
    slack.click("escalation_ack", "1", user="U0LARS", channel=cs_channel)
    slack.settle()
    assert slack.runtime.core.service.get("ESC-1").state is State.ACKNOWLEDGED


def test_serve_slack_reads_user_groups_at_start_up(tmp_path: Path) -> None:
    from serve_support import slack_config

    from bot.scheduler import SchedulerSettings
    from handlers.slack.serve import GROUP_REFRESH_SECONDS, start_serving

    fake = FakeSlackApi().start()
    fake.add_user("U0LARS", "Lars Berg", "lars@example.com")
    fake.usergroups["S0WH"] = ["U0LARS"]
    settings = SchedulerSettings(sweep_seconds=0, catchup_seconds=0, digests=False)
    serving = start_serving(
        slack_config(tmp_path / "rolebot.db", fake), port=0, host="127.0.0.1", settings=settings
    )
    try:
        job = {job.id: job for job in serving.scheduler.get_jobs()}["directory-groups"]
        assert job.trigger.interval.total_seconds() == GROUP_REFRESH_SECONDS
        job.func()  # what the scheduler runs right away (and again every hour)
        assert serving.runtime.core.directory.is_member("warehouse", "lars")
    finally:
        serving.close()
        fake.stop()


def test_teams_level_notice_reaches_someone_known_only_by_email(tmp_path: Path) -> None:
    import asyncio
    from dataclasses import replace
    from typing import Any, cast

    from teams_fake_connector import teams_harness

    async def body() -> None:
        async with teams_harness(tmp_path / "rolebot.db") as h:
            people = cast(dict[str, Any], h.core.directory.people)
            people["daan"] = replace(people["daan"], ms_teams=None)  # the file names Daan by email only
            h.core.directory.learn("teams", "aad-daan", "daan@example.com")  # as a roster look-up does
            await h.post(h.activity("conversation_update_team_install"))
            await h.post(h.activity("message_personal"))
            await h.post(h.activity("card_submit_escalate"))
            await h.settle()
            start = len(h.fake.calls)
            h.core.service.bump("ESC-1", h.core.assistant.actor_for("teams", "29:ada"))
            await h.settle()
            [create] = [c for c in h.fake.calls[start:] if c.kind == "create"]
            assert create.body["members"] == [{"id": "aad-daan"}]

    asyncio.run(body())


def test_serve_teams_reads_team_rosters_into_the_directory(tmp_path: Path) -> None:
    import asyncio

    import yaml
    from teams_fake_connector import FakeConnector, running

    from bot.config import Config
    from bot.scheduler import SchedulerSettings
    from bot.storage.refs import LATEST
    from bot.storage.sqlite.teams_refs import SqliteTeamsRefs
    from handlers.teams.cli import build_teams
    from handlers.teams.server import SCHEDULING

    team = "19:customer-service@thread.tacv2"
    raw = yaml.safe_load(bundled_directory_path().read_text(encoding="utf-8"))
    raw["teams"]["customer-service"]["teams_team"] = team
    directory_file = tmp_path / "directory.yaml"
    directory_file.write_text(yaml.safe_dump(raw), encoding="utf-8")
    db = tmp_path / "rolebot.db"
    fake = FakeConnector()
    fake.add_member(team, "29:lars", "Lars Berg", "lars@example.com", aad="aad-lars")
    fake.add_member(team, "29:guest", "Guest", None, aad="aad-guest")

    async def body() -> None:
        async with running(fake.app()) as connector:
            reference = {
                "serviceUrl": str(connector.make_url("/")),
                "channelId": "msteams",
                "conversation": {"id": "a:1", "conversationType": "personal"},
                "bot": {"id": "28:bot"},
                "user": {"id": "29:ada"},
            }
            SqliteTeamsRefs(open_database(db)).save_reference([LATEST], reference)
            settings = SchedulerSettings(sweep_seconds=0, catchup_seconds=0, digests=False)
            app, core = build_teams(Config(db_path=db, directory_path=directory_file), settings)
            async with running(app):
                scheduler = app[SCHEDULING].scheduler
                assert scheduler is not None
                job = {job.id: job for job in scheduler.get_jobs()}["directory-rosters"]
                await asyncio.to_thread(job.func)  # what runs at start-up and every hour
                assert core.directory.is_member("customer-service", "lars")
                assert core.directory.person_for("teams", "aad-lars").id == "lars"

    asyncio.run(body())
