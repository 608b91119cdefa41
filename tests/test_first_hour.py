"""What a new user trips over in the first hour (issue 14), each through the `rolebot` command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handlers.cli.main import cli


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {"ROLEBOT_DB": str(tmp_path / "rolebot.db"), "ROLEBOT_USER": "ada"}


def rolebot(env: dict[str, str], *args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=stdin, catch_exceptions=False)


def stored(env: dict[str, str]) -> int:
    if not Path(env["ROLEBOT_DB"]).exists():
        return 0
    with sqlite3.connect(env["ROLEBOT_DB"]) as db:
        return int(db.execute("SELECT COUNT(*) FROM escalations").fetchone()[0])


# ---------------------------------------------------------------- 3: a misspelt team is a mistake
@pytest.mark.parametrize(
    ("words", "said"),
    [
        (("marketting", "campaign banner is wrong"), "unknown team 'marketting' - did you mean marketing?"),
        (("wharehouse", "parcels stuck"), "did you mean warehouse?"),
        (("customer", "servise", "refund late"), "did you mean customer-service?"),
        (("no-such-team", "x"), "unknown team 'no-such-team'. Teams: c-level, content"),
    ],
)
def test_misspelt_team_creates_nothing(env: dict[str, str], words: tuple[str, ...], said: str) -> None:
    result = rolebot(env, "escalate", *words)
    assert result.exit_code == 1
    assert said in result.stderr
    assert stored(env) == 0


def test_summary_words_near_a_team_name_still_route(env: dict[str, str]) -> None:
    made = rolebot(env, "escalate", "contents", "of", "the", "returns", "page", "are", "wrong", "--json")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["summary"] == "contents of the returns page are wrong"


def test_misspelt_team_in_chat_gets_a_did_you_mean(env: dict[str, str]) -> None:
    result = rolebot(env, "chat", stdin="escalate marketting campaign banner is wrong\n")
    assert "did you mean marketing?" in result.stdout
    assert stored(env) == 0


# ---------------------------------------------------------------- 5: one bad line does not stop a batch
def test_batch_reports_a_line_that_is_not_utf8_and_answers_the_rest(env: dict[str, str]) -> None:
    lines = b"who handles returns?\n\xff\xfe broken \xc3\n" + "退貨由誰處理？\n".encode()
    result = rolebot(env, "ask", "--json", "--batch", "-", stdin=lines)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["team"] == out[2]["team"] == "customer-service"
    assert out[1] == {"error": "line 2 is not valid UTF-8 (byte 1)"}
