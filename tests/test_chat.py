"""`rolebot chat` as a person uses it: yes/no to the escalation offer, typos in commands, a real terminal."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handlers.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {"ROLEBOT_DB": str(tmp_path / "rolebot.db"), "ROLEBOT_USER": "ada"}


def chat(env: dict[str, str], *lines: str) -> Result:
    result = CliRunner().invoke(cli, ["chat"], env=env, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result


def escalations(env: dict[str, str]) -> list[tuple[str, str]]:
    if not Path(env["ROLEBOT_DB"]).exists():
        return []
    with sqlite3.connect(env["ROLEBOT_DB"]) as db:
        return [(row[0], row[1]) for row in db.execute("SELECT team, summary FROM escalations ORDER BY id")]


@pytest.mark.parametrize(
    ("question", "yes", "no"),
    [
        ("who handles returns?", "yes", "no thanks"),
        ("退貨由誰處理？", "好", "不用了"),
        ("Vem hanterar returer?", "ja tack", "nej"),
        ("반품은 누가 처리하나요?", "네", "아니요"),
        ("Wie behandelt retouren?", "Ja, graag!", "nee"),
    ],
)
def test_yes_after_the_offer_escalates_and_no_does_not(
    env: dict[str, str], question: str, yes: str, no: str
) -> None:
    declined = chat(env, question, no)
    assert escalations(env) == []
    assert "I don't know" not in declined.stdout
    accepted = chat(env, question, yes)
    assert escalations(env) == [("customer-service", question)]
    assert "ESC-1" in accepted.stdout


def test_yes_without_an_offer_is_not_an_escalation(env: dict[str, str]) -> None:
    chat(env, "who handles returns?", "list", "yes")  # the offer was answered by something else
    assert escalations(env) == []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("esclate printer broken", "escalate"), ("akc ESC-2", "ack"), ("lst", "list"), ("shwo ESC-1", "show")],
)
def test_mistyped_commands_get_a_did_you_mean(env: dict[str, str], typed: str, meant: str) -> None:
    result = chat(env, typed)
    assert f"did you mean {meant}?" in result.stdout
    assert "I don't know" not in result.stdout
    assert escalations(env) == []


def test_questions_that_start_like_a_command_stay_questions(env: dict[str, str]) -> None:
    result = chat(env, "lost parcels, who handles them?", "escalated tickets: who follows them up?")
    assert "did you mean" not in result.stdout


def _read_until(fd: int, marker: bytes, seen: bytearray, count: int = 1) -> None:
    while seen.count(marker) < count:
        ready, _, _ = select.select([fd], [], [], 60)  # a guard against hanging, not a measurement
        assert ready, f"no {marker!r} in {bytes(seen)!r}"
        try:
            seen += os.read(fd, 4096)
        except OSError:  # the terminal closed: the process ended
            return


def test_terminal_line_editing_and_history(tmp_path: Path) -> None:
    main, child = pty.openpty()
    env = {**os.environ, "ROLEBOT_DB": str(tmp_path / "rolebot.db"), "ROLEBOT_USER": "daan", "TERM": "xterm"}
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-c", "from handlers.cli.main import main; main()", "chat"],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=ROOT,
        env=env,
    )
    os.close(child)
    seen = bytearray()
    try:
        _read_until(main, b"\x1b[?2004h", seen)  # the prompt is ready for typing
        # "who handles eturns?", then the left arrow seven times to put the missing "r" in place
        os.write(main, b"who handles eturns?" + b"\x1b[D" * 7 + b"r\r")
        _read_until(main, b"Want me to open", seen)
        _read_until(main, b"\x1b[?2004h", seen, 2)
        os.write(main, b"\x1b[A\r")  # up arrow: the same question again from history
        _read_until(main, b"Want me to open", seen, 2)
        _read_until(main, b"\x1b[?2004h", seen, 3)
        os.write(main, b"\x04")  # Ctrl-D ends the chat
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        os.close(main)
    text = bytes(seen).decode("utf-8", "replace")
    assert text.count("Customer Service is accountable for this.") == 2
    assert "^[[D" not in text
