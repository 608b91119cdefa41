"""`rolebot ask`, `rolebot eval` and `rolebot chat` through click's runner, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

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
    }
    assert (data["language"], data["team"], data["role"]) == ("sv", "it", "developer")
    assert "Developer" in data["answer"] or "Utvecklare" in data["answer"]


def test_ask_json_abstains_with_nulls(runner: CliRunner) -> None:
    data = json.loads(runner.invoke(cli, ["ask", "--json", "what's the wifi password?"]).output)
    assert data["team"] is None and data["role"] is None
    assert "don't know" in data["answer"]


def test_empty_question_exits_2_with_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "   "])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "empty" in result.output


def test_overlong_question_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "returns " * 600])
    assert result.exit_code == 2 and "too long" in result.output


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
