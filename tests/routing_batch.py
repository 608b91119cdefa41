"""Questions asked in one batch through `rolebot ask --json --batch -`, as the blind sets are scored."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from handlers.cli.main import cli


def ask_batch(questions: Sequence[str], folder: Path) -> dict[str, dict[str, Any]]:
    """Each question's `--json` answer, keyed by the question; a database of its own in `folder`."""
    env = {"ROLEBOT_DB": str(folder / "rolebot.db"), "ROLEBOT_USER": "daan"}
    batch = "\n".join(questions) + "\n"
    result = CliRunner().invoke(cli, ["ask", "--json", "--batch", "-"], input=batch, env=env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    return dict(zip(questions, rows, strict=True))


def assert_routes_like_plain(
    answers: dict[str, dict[str, Any]], question: str, plain: str | None, team: str
) -> None:
    """`question` goes to `team`, and, when given, exactly as its plain form does (same team and
    confidence), so the wrapping neither helps nor hurts."""
    answer = answers[question]
    assert answer["team"] == team, answer
    if plain is not None:
        same = answers[plain]
        assert answer["team"] == same["team"], (answer, same)
        assert answer["confidence"] == pytest.approx(same["confidence"], abs=0.01), (answer, same)
