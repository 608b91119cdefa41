"""Digest content from a real SQLite file filled through the real EscalationService, and its renderers."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from digest_support import KB, MONDAY_0900_STOCKHOLM, Clock, service_on

from bot.digest.model import DigestBuilder, TeamDigest
from bot.digest.render_text import digest_text
from bot.digest.topics import AskedQuestionLog
from bot.escalations.models import Actor
from bot.i18n import message_ids
from bot.languages import LANGUAGES
from bot.routing import Routing
from bot.storage.sqlite.asked import SqliteAskedQuestions
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.feedback import SqliteFeedbackStore
from bot.storage.sqlite.stores import stores_on
from handlers.slack.render.digest import digest_blocks, digest_message
from handlers.teams.render.digest import digest_activity, digest_card

BO, ADA = Actor("cli", "bo"), Actor("cli", "ada")
Filled = tuple[DigestBuilder, Clock, dict[str, str]]
RUN_DATE = date(2025, 3, 4)


@pytest.fixture()
def filled(tmp_path: Path) -> Filled:
    """Yesterday and today in the e-commerce team: one old open P1 (overdue), one acknowledged,
    one resolved today, one created today, plus a marketing escalation that must not show."""
    db = open_database(tmp_path / "rolebot.db")
    clock = Clock(MONDAY_0900_STOCKHOLM - timedelta(hours=1))  # an hour before Monday's digest
    service = service_on(db, clock)

    def create(summary: str, team: str = "ecommerce", priority: str = "P2") -> str:
        return service.create(BO, summary, team=team, priority=priority).escalation.ref

    refs = {
        "old": create("Checkout shows the wrong VAT", priority="P1"),
        "acked": create("Banner <broken> on *home*", priority="P3"),
        "gone": create("Refund button missing"),
        "other": create("Newsletter typo", "marketing"),
    }
    clock.advance(hours=2)
    service.acknowledge(refs["acked"], ADA)
    clock.advance(hours=23)  # Tuesday 09:00: the digest covers Monday 09:00 .. now
    service.resolve(refs["gone"], ADA, "fixed")
    refs["fresh"] = create("Promo code rejected")
    feedback = SqliteFeedbackStore(db, clock)
    for text in ("Who waters the office plants?", "who waters the office plants", "Where is the gym?"):
        feedback.record_unrouted(text, "en", "cli", "bo", near_team="ecommerce")
    feedback.record_unrouted("Who books the ski trip?", "en", "cli", "bo", near_team="marketing")
    asked = AskedQuestionLog(SqliteAskedQuestions(db), clock)
    topic = next(
        f"ecommerce/{r.id}/{r.responsibilities[0].id}"
        for r in KB.teams["ecommerce"].roles
        if r.responsibilities
    )
    for _ in range(3):
        asked.record(Routing("q", "en", "ecommerce", topic.split("/")[1], 0.9, matched_id=topic), "slack")
    asked.record(Routing("q", "en", "marketing", None, 0.9, matched_id="marketing/-/x"), "slack")
    refs["topic"] = topic
    return DigestBuilder(stores_on(db, clock), KB, service.directory, clock), clock, refs


def _refs(section: object) -> list[str]:
    return [item.ref for item in section.items]  # type: ignore[attr-defined]


def test_team_digest_sections(filled: Filled) -> None:
    builder, clock, refs = filled
    digest = builder.team("ecommerce", RUN_DATE, clock.now - timedelta(days=1))
    assert _refs(digest.new) == [refs["fresh"]]  # Monday's four came before Monday's digest
    assert _refs(digest.open) == [refs["old"], refs["acked"], refs["fresh"]]  # oldest first
    assert digest.open.items[0].age == timedelta(hours=25)
    assert _refs(digest.overdue)[0] == refs["old"]  # P1: 30 min around the clock
    assert digest.overdue.items[0].overdue_by == timedelta(hours=24, minutes=30)
    assert _refs(digest.resolved) == [refs["gone"]]
    assert refs["other"] not in _refs(digest.open)
    # grouped case- and punctuation-insensitively, shown in the latest wording
    assert [(g.label, g.count) for g in digest.gaps] == [
        ("who waters the office plants", 2),
        ("Where is the gym?", 1),
    ]
    assert [t.count for t in digest.topics] == [3]
    assert digest.topics[0].label != refs["topic"]  # the responsibility's own words, not its id
    assert digest.language == "en" and digest.zone == "Europe/Stockholm"


def test_new_counts_everything_since_last_digest(filled: Filled) -> None:
    builder, clock, refs = filled
    digest = builder.team("ecommerce", RUN_DATE, clock.now - timedelta(days=2))
    assert digest.new.total == 4 and refs["other"] not in _refs(digest.new)


def test_marketing_digest_is_swedish_and_separate(filled: Filled) -> None:
    builder, clock, refs = filled
    digest = builder.team("marketing", RUN_DATE, clock.now - timedelta(days=2))
    assert digest.language == "sv"
    assert _refs(digest.open) == [refs["other"]]
    assert [g.label for g in digest.gaps] == ["Who books the ski trip?"]
    text = digest_text(digest)
    assert "daglig sammanfattning" in text and "Öppna, äldst först (1)" in text


def test_leadership_digest(filled: Filled) -> None:
    builder, clock, _ = filled
    digest = builder.leadership(RUN_DATE, clock.now - timedelta(days=1))
    assert digest.team == "ecommerce"  # where the head-of-digital role lives
    first = digest.teams[0]
    assert (first.team, first.open, first.acknowledged, first.new, first.resolved, first.gaps) == (
        "ecommerce",
        2,
        1,
        1,
        1,
        3,
    )
    assert first.overdue >= 1 and first.oldest_age == timedelta(hours=25)
    marketing = next(load for load in digest.teams if load.team == "marketing")
    assert (marketing.open, marketing.new) == (1, 0)
    assert {item.team for item in digest.breaches.items} >= {"ecommerce"}
    assert digest.totals.open == 3 and digest.totals.acknowledged == 1
    assert "Leadership digest" in digest_text(digest)


@pytest.mark.parametrize("language", LANGUAGES)
def test_renders_in_every_language(filled: Filled, language: str) -> None:
    builder, clock, refs = filled
    digest = builder.team("ecommerce", RUN_DATE, clock.now - timedelta(days=1), language=language)
    text = digest_text(digest)
    assert refs["old"] in text and "digest-" not in text  # no missing message ids
    assert KB.teams["ecommerce"].name(language) in text
    for leadership in (False, True):
        shown = builder.leadership(RUN_DATE, clock.now, language=language) if leadership else digest
        assert "digest-" not in json.dumps(digest_message(shown), ensure_ascii=False)
        assert "digest-" not in json.dumps(digest_card(shown), ensure_ascii=False)


def test_every_language_has_every_digest_message() -> None:
    english = {key for key in message_ids("en") if key.startswith("digest-")}
    assert len(english) > 20
    for language in LANGUAGES:
        assert english <= message_ids(language), language


def test_slack_blocks_escape_and_stay_in_limits(filled: Filled) -> None:
    builder, clock, _ = filled
    blocks = digest_blocks(builder.team("ecommerce", RUN_DATE, clock.now - timedelta(days=1)))
    assert blocks[0]["type"] == "header" and len(blocks) <= 50
    body = json.dumps(blocks)
    assert "&lt;broken&gt;" in body and "<broken>" not in body
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    assert digest_message(builder.leadership(RUN_DATE, clock.now))["text"].startswith("Leadership digest")


def test_teams_card_is_an_adaptive_card(filled: Filled) -> None:
    builder, clock, _ = filled
    activity = digest_activity(builder.team("ecommerce", RUN_DATE, clock.now - timedelta(days=1)))
    card = activity["attachments"][0]["content"]
    assert activity["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    body = json.dumps(card)
    assert r"\\*home\\*" in body  # Markdown in a summary is shown, not applied
    leadership = digest_card(builder.leadership(RUN_DATE, clock.now))
    assert any(element["type"] == "FactSet" for element in leadership["body"])


def test_quiet_team(tmp_path: Path) -> None:
    db = open_database(tmp_path / "quiet.db")
    clock = Clock()
    digest = DigestBuilder(stores_on(db, clock), KB, service_on(db, clock).directory, clock).team(
        "finance", RUN_DATE, clock.now - timedelta(days=1)
    )
    assert isinstance(digest, TeamDigest) and digest.quiet
    assert "All quiet" in digest_text(digest)
    assert len(digest_blocks(digest)) == 3
