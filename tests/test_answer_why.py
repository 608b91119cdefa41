"""'Why' names the duty the team owns for the question, and a word's other sense is no alternative:
the README's first answer, through `rolebot ask --json`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from handlers.cli.main import cli


def ask(tmp_path: Path, question: str) -> dict[str, object]:
    env = {"ROLEBOT_DB": str(tmp_path / "rolebot.db"), "ROLEBOT_CACHE_DIR": str(tmp_path / "cache")}
    result = CliRunner().invoke(cli, ["ask", "--json", question], env=env)
    assert result.exit_code == 0, result.output
    answer: dict[str, object] = json.loads(result.output)
    return answer


def test_why_is_the_duty_the_team_owns_not_one_it_shares(tmp_path: Path) -> None:
    answer = ask(tmp_path, "who handles returns?")
    assert answer["team"] == "customer-service"
    # both duties speak of returns; the stock side is shared with the warehouse, the returns duty is not
    assert answer["matched"] == "Processes returns, refunds and exchanges of items customers send back"
    assert answer["alternatives"] == []  # "return on investment" is not a return of goods


def test_an_investment_question_still_reaches_the_executives(tmp_path: Path) -> None:
    assert ask(tmp_path, "who signs off the ROI of the new app project?")["team"] == "c-level"
