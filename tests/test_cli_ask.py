"""`rolebot ask`, `rolebot eval` and `rolebot chat` through click's runner, as a user types them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from kb_fixtures import directory_dict, write_kb

from bot.kb.suggest import suggest_terms
from bot.knowledge import KnowledgeBase
from bot.storage.feedback import Correction
from handlers.cli.main import cli


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ROLEBOT_DB", str(tmp_path / "rolebot.db"))
    monkeypatch.setenv("ROLEBOT_USER", "daan")
    return CliRunner()


def test_ask_prints_a_readable_answer(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "who handles returns?"])
    assert result.exit_code == 0
    assert "Customer Service" in result.output and "#customer-service" in result.output


def test_ask_json_has_the_documented_shape(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "--json", "Vem rättar buggar i backend?"])
    data = json.loads(result.output)
    assert set(data) == {
        "question",
        "language",
        "team",
        "role",
        "confidence",
        "answer",
        "matched",
        "alternatives",
        "choices",
    }
    assert (data["language"], data["team"], data["role"]) == ("sv", "it", "developer")
    assert "Developer" in data["answer"] or "Utvecklare" in data["answer"]


def test_ask_json_abstains_with_nulls(runner: CliRunner) -> None:
    data = json.loads(runner.invoke(cli, ["ask", "--json", "what's the weather like tomorrow?"]).output)
    assert data["team"] is None and data["role"] is None and data["choices"] == []
    assert "don't know" in data["answer"]


@pytest.fixture
def small_org(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The CLI over a small knowledge base where "roadmap promo" is honestly ambiguous (two teams' words of
    like weight; "roadmap campaign" now goes to E-commerce, "campaign" being an everyday word)."""
    knowledge = write_kb(tmp_path / "org")
    directory = tmp_path / "directory.yaml"
    directory.write_text(yaml.safe_dump(directory_dict()), encoding="utf-8")
    monkeypatch.setenv("ROLEBOT_KNOWLEDGE", str(knowledge))
    monkeypatch.setenv("ROLEBOT_DIRECTORY", str(directory))
    return runner


def test_an_unsure_answer_offers_numbered_choices_and_none_of_these(small_org: CliRunner) -> None:
    data = json.loads(small_org.invoke(cli, ["ask", "--json", "roadmap promo"]).output)
    assert data["team"] is None
    assert [choice["team"] for choice in data["choices"]] == ["ecommerce", "marketing"]
    text = small_org.invoke(cli, ["ask", "roadmap promo"]).output
    assert "  1. E-commerce" in text and "  2. " in text and "  0. none of these" in text


def test_chat_takes_a_number_as_the_askers_pick_and_learns_it(small_org: CliRunner) -> None:
    result = small_org.invoke(cli, ["chat"], input="roadmap promo\n2\nroadmap promo\n")
    assert result.exit_code == 0
    assert "Thanks!" in result.output
    # the pick answers now and the next time: marketing is named twice after the offer
    after_offer = result.output.split("0. none of these", 1)[1]
    assert after_offer.count("is accountable for this") == 2
    assert "Marketing" in after_offer.split("is accountable")[0]
    # "roadmap" was E-commerce's word; Marketing's knowledge may want it too
    suggested = small_org.invoke(cli, ["kb", "suggest"]).output.split()
    assert suggested == ["1", "marketing", "en", "roadmap"]


def test_chat_none_of_these_gives_the_fallback_contact(small_org: CliRunner) -> None:
    result = small_org.invoke(cli, ["chat"], input="roadmap promo\n0\n")
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("You could ask")
    assert "no corrections yet" in small_org.invoke(cli, ["kb", "suggest"]).output


def test_suggested_terms_are_the_unknown_everyday_rare_words_of_corrected_questions(
    bundled_kb: KnowledgeBase,
) -> None:
    now = datetime.now(UTC)

    def correction(question: str, language: str) -> Correction:
        return Correction(question, question, language, None, None, "it", "developer", "cli", "u1", now)

    suggestions = suggest_terms(
        bundled_kb,
        [
            correction("the site is crawling, nobody gets through the winkelmand thingy", "en"),
            correction("De site is super traag, niemand komt door de winkelmand", "nl"),
            correction("De winkelmand hangt", "nl"),
        ],
    )
    words = {(s.language, s.word): s.count for s in suggestions}
    assert words[("nl", "winkelmand")] == 2
    assert ("nl", "super") not in words and ("nl", "niemand") not in words  # everyday words
    assert all(s.team == "it" and s.role == "developer" for s in suggestions)


def test_batch_answers_every_line_in_order_and_reports_bad_ones(runner: CliRunner) -> None:
    lines = [
        "who handles returns?",
        json.dumps({"q": "誰負責SEO？", "lang": "zh-TW", "team": "marketing"}),
        "{not json",
        json.dumps({"question": "missing q"}),
        "",
        "x" * 5000,
        "반품은 누가 처리하나요?",
    ]
    result = runner.invoke(cli, ["ask", "--json", "--batch", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["team"] == "customer-service"
    assert out[1]["team"] == "marketing" and out[1]["language"] == "zh-TW"
    assert all("error" in o for o in out[2:6])
    assert out[6]["team"] == "customer-service" and out[6]["language"] == "ko"


def test_eval_prints_accuracy_per_language_and_misses(runner: CliRunner, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(c, ensure_ascii=False)
            for c in [
                {"q": "who handles returns?", "team": "customer-service"},
                {"q": "Vem rättar buggar i backend?", "lang": "sv", "team": "it", "role": "developer"},
                {"q": "what's the wifi password?", "team": None},
                {"q": "who handles returns?", "team": "finance"},
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["eval", str(cases), "--json"])
    report = json.loads(result.output)
    assert report["overall"]["team_accuracy"] == pytest.approx(2 / 3, abs=0.001)
    assert report["overall"]["role_accuracy"] == 1.0
    assert report["overall"]["abstention_accuracy"] == 1.0
    assert set(report["by_language"]) == {"en", "sv"}
    assert [m["expected_team"] for m in report["misses"]] == [["finance"]]
    text = runner.invoke(cli, ["eval", str(cases)]).output
    assert "overall" in text and "finance" in text


def test_eval_rejects_a_malformed_file_with_its_line_number(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "ok", "team": "it"}\n[1, 2]\n', encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:2" in result.output


def test_chat_answers_questions_and_runs_commands(runner: CliRunner) -> None:
    script = "who handles returns?\nescalate customer-service parcel lost twice --priority P1\nlist mine\n"
    result = runner.invoke(cli, ["chat", "--as", "daan"], input=script)
    assert result.exit_code == 0, result.output
    assert "Klantenservice" in result.output or "Customer Service" in result.output
    assert "ESC-1" in result.output


def test_ask_keeps_the_built_index_between_runs_and_rebuilds_it_when_needed(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ROLEBOT_CACHE_DIR", str(cache))

    def team() -> str:
        return str(json.loads(runner.invoke(cli, ["ask", "--json", "who handles returns?"]).output)["team"])

    assert team() == "customer-service"
    [cached] = cache.glob("index-*.pickle")
    assert team() == "customer-service" and list(cache.glob("index-*.pickle")) == [cached]
    cached.write_bytes(b"not a pickle")  # damaged: rebuilt, never trusted
    assert team() == "customer-service" and cached.read_bytes() != b"not a pickle"
    knowledge = write_kb(tmp_path / "org")  # other knowledge: its own cache entry
    monkeypatch.setenv("ROLEBOT_KNOWLEDGE", str(knowledge))
    runner.invoke(cli, ["ask", "roadmap campaign"])
    assert len(list(cache.glob("index-*.pickle"))) == 2
    monkeypatch.setenv("ROLEBOT_CACHE_DIR", "off")
    runner.invoke(cli, ["ask", "roadmap campaign"])
    assert len(list(cache.glob("index-*.pickle"))) == 2
