"""Standups as `rolebot serve slack|all` wire them: the surface's prompter, the scheduler's standup job,
and in `serve all` each person asked on one platform (Slack when they have a Slack id, else Teams)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from serve_support import due_directory, slack_config, teams_serving
from slack_fake_api import FakeSlackApi
from slack_harness import TrackingExecutor
from standup_fixtures import RecordingPrompter

from bot.config import Config
from bot.directory import Person
from bot.runtime import Core
from bot.scheduler import SchedulerSettings
from handlers.serve_all import build_all
from handlers.slack.serve import start_serving
from handlers.slack.standup import SlackStandupPrompter
from handlers.standup_fanout import FanoutStandupPrompter, NoChatAccount
from handlers.teams.cli import build_teams
from handlers.teams.server import SCHEDULING
from handlers.teams.standup import TeamsStandupPrompter

SETTINGS = SchedulerSettings(sweep_seconds=0, catchup_seconds=0)


def standup_now(tmp_path: Path, *, without_slack: tuple[str, ...] = ()) -> Path:
    """The due directory (it is 14:xx there) with IT's standup taking answers all day."""
    path = due_directory(tmp_path)
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["teams"]["it"].update(digest_time="23:59", standup={"ask_time": "00:00"})
    for person in without_slack:
        data["people"][person].pop("slack")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def settled(core: Core, asked: set[str], pending: set[str]) -> None:
    """Wait until the scheduler's first standup tick (run at start-up, in its thread) is done."""
    assert core.standup is not None
    deadline, states = time.monotonic() + 10, {}
    while time.monotonic() < deadline:
        runs = core.standup.store.open_runs(["it"])
        prompts = core.standup.store.prompts(runs[0].id) if runs else {}
        states = {person: prompt.ask_state for person, prompt in prompts.items()}
        if states == {**dict.fromkeys(asked, "asked"), **dict.fromkeys(pending, "pending")}:
            return
        time.sleep(0.02)
    raise AssertionError(f"the standup tick did not finish: {states}")


def test_serve_slack_asks_the_standup_by_dm(tmp_path: Path, fake: FakeSlackApi) -> None:
    config = slack_config(tmp_path / "rolebot.db", fake, standup_now(tmp_path))
    executor = TrackingExecutor()
    serving = start_serving(config, port=0, host="127.0.0.1", executor=executor, settings=SETTINGS)
    try:
        core = serving.runtime.core
        assert core.standup is not None and isinstance(core.standup.prompter, SlackStandupPrompter)
        jobs = {job.id: job for job in serving.scheduler.get_jobs()}
        assert "standup" in jobs
        settled(core, {"felix", "greta"}, set())
        jobs["standup"].func()  # a second tick asks nobody again
        assert sorted(c["channel"] for c in fake.calls("chat.postMessage")) == ["D0FELIX", "D0GRETA"]
        assert sorted(c["users"] for c in fake.calls("conversations.open")) == ["U0FELIX", "U0GRETA"]
    finally:
        serving.close()
        executor.shutdown()


def test_serve_all_asks_each_person_on_one_platform(tmp_path: Path, fake: FakeSlackApi) -> None:
    config = slack_config(tmp_path / "rolebot.db", fake, standup_now(tmp_path, without_slack=("greta",)))
    executor = TrackingExecutor()
    runtime = build_all(config, slack_port=0, host="127.0.0.1", settings=SETTINGS, slack_executor=executor)
    assert runtime.core.standup is not None
    assert isinstance(runtime.core.standup.prompter, FanoutStandupPrompter)

    async def body() -> None:
        async with teams_serving(runtime.app, runtime.core) as teams:
            # Felix is asked on Slack at once; Greta (Teams only) waits until a Teams service is known.
            await asyncio.to_thread(settled, runtime.core, {"felix"}, {"greta"})
            assert (await teams.post(teams.activity("conversation_update_team_install"))).status == 200
            scheduler = runtime.scheduling.scheduler
            assert scheduler is not None
            await asyncio.to_thread(scheduler.get_job("standup").func)
            [create] = teams.fake.of_kind("create")
            assert create.body["members"] == [{"id": "29:greta"}]
            [question] = teams.fake.to(str(create.response_id))
            assert "What did you get done yesterday?" in question.body["text"]
        assert [c["channel"] for c in fake.calls("chat.postMessage")] == ["D0FELIX"]

    asyncio.run(body())
    executor.shutdown()


def test_serve_teams_asks_the_standup_in_personal_chats(tmp_path: Path) -> None:
    config = Config(db_path=tmp_path / "rolebot.db", directory_path=standup_now(tmp_path))
    app, core = build_teams(config, SETTINGS)  # what `rolebot serve teams` serves
    assert isinstance(core.standup.prompter, TeamsStandupPrompter)

    async def body() -> None:
        async with teams_serving(app, core) as teams:
            # No Teams service is known yet: both stay pending until the bot is installed somewhere.
            await asyncio.to_thread(settled, core, set(), {"felix", "greta"})
            assert (await teams.post(teams.activity("conversation_update_team_install"))).status == 200
            scheduler = app[SCHEDULING].scheduler
            assert scheduler is not None and scheduler.get_job("standup") is not None
            await asyncio.to_thread(scheduler.get_job("standup").func)
            # the scheduler's own tick may be asking one of them at the same moment: wait for both asks
            await asyncio.to_thread(settled, core, {"felix", "greta"}, set())
            members = sorted(c.body["members"][0]["id"] for c in teams.fake.of_kind("create"))
            assert members == ["29:felix", "29:greta"]

    asyncio.run(body())


def test_fanout_prefers_slack_then_teams() -> None:
    slack, teams = RecordingPrompter(), RecordingPrompter()
    both = FanoutStandupPrompter(slack, teams)
    both.ask(Person("felix", "Felix", slack="U1", ms_teams="29:felix"), "it", "q", "en")
    both.remind(Person("greta", "Greta", ms_teams="29:greta"), "it", "r", "en")
    assert [a[0] for a in slack.asked] == ["felix"] and teams.asked == []
    assert [r[0] for r in teams.reminded] == ["greta"] and slack.reminded == []
    felix = Person("felix", "Felix", slack="U1", ms_teams="29:felix")
    FanoutStandupPrompter(None, teams).ask(felix, "it", "q", "en")  # no Slack in this process
    assert [a[0] for a in teams.asked] == ["felix"]
    with pytest.raises(NoChatAccount):
        both.ask(Person("zoe", "Zoe"), "it", "q", "en")
