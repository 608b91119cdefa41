"""The standup report (with routed blockers) becomes part of the team digest on every surface."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.config import Config
from bot.digest.render_text import digest_text
from bot.runtime import build_core
from bot.scheduler import build_runner
from handlers.slack.render.digest import digest_blocks
from handlers.teams.render.digest import digest_card
from tests.digest_support import RecordingPoster


def test_the_it_digest_carries_the_standup_with_its_blocker_routed(tmp_path: Path) -> None:
    now = [datetime(2025, 3, 10, 7, 0, tzinfo=UTC)]  # Monday 08:00 in Stockholm, before the 09:00 report
    core = build_core(Config(db_path=tmp_path / "rolebot.db"), clock=lambda: now[0])
    day = date(2025, 3, 10)
    core.standup.open_run("it", day)
    core.standup.record_answer(
        "felix",
        "yesterday: release notes\ntoday: checkout fixes\n"
        "blockers: the courier delivered our test parcels to the wrong address",
        team="it",
        day=day,
    )
    now[0] += timedelta(hours=1, minutes=5)  # the digest time has come
    poster = RecordingPoster()
    result = build_runner(core, poster).run("it", day)
    assert result.result == "sent"
    digest = poster.posted[0][1]
    text = digest_text(digest)
    assert "Felix Ek" in text and "checkout fixes" in text
    assert "Warehouse" in text  # the blocker is routed to the team that can remove it
    assert any("checkout fixes" in str(block) for block in digest_blocks(digest))
    assert "checkout fixes" in str(digest_card(digest))


def test_teams_without_a_standup_get_no_standup_part(tmp_path: Path) -> None:
    core = build_core(Config(db_path=tmp_path / "rolebot.db"))
    poster = RecordingPoster()
    build_runner(core, poster).run("finance", date(2025, 3, 10))
    assert poster.posted and poster.posted[0][1].parts == ()
