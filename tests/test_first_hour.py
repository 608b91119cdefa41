"""What a new user trips over in the first hour (issue 14), each through the `rolebot` command."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from bot.directory import bundled_directory_path
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


# ---------------------------------------------------------------- 10: small things
def test_digest_takes_a_team_the_way_escalate_does(env: dict[str, str]) -> None:
    shown = rolebot(env, "digest", "--team", "cs", "--preview", "--lang", "en")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("Customer Service: daily digest")
    wrong = rolebot(env, "digest", "--team", "custmer", "--preview")
    assert wrong.exit_code == 2 and "did you mean customer-service?" in wrong.stderr


def test_kb_show_an_alias_suggests_its_team_first(env: dict[str, str]) -> None:
    result = rolebot(env, "kb", "show", "cs")
    assert result.exit_code == 2
    assert "did you mean customer-service" in result.stderr


def test_digest_runs_says_when_there_are_none(env: dict[str, str]) -> None:
    result = rolebot(env, "digest", "--runs")
    assert result.exit_code == 0 and result.stdout.startswith("no digest runs yet")


def test_too_long_details_read_well_and_exit_2_like_a_too_long_summary(env: dict[str, str]) -> None:
    result = rolebot(env, "escalate", "it", "VPN down", "--details", "x" * 40_001)
    assert result.exit_code == 2
    assert result.stderr == "error: The details are too long (40,001 characters); the limit is 40,000.\n"
    assert stored(env) == 0


def test_ask_answers_without_a_usable_database(env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "notes.txt"
    broken.write_text("not a database\n" * 200, encoding="utf-8")
    result = rolebot({**env, "ROLEBOT_DB": str(broken)}, "ask", "who handles returns?")
    assert result.exit_code == 0, result.output
    assert "Customer Service" in result.stdout
    assert result.stderr.startswith(f"warning: {broken}: file is not a database")
    listed = rolebot({**env, "ROLEBOT_DB": str(broken)}, "escalations", "list")
    assert listed.exit_code == 1
    assert listed.stderr == f"error: cannot open the database {broken}: file is not a database\n"


def test_directory_pointing_at_a_folder_is_one_clear_line(env: dict[str, str], tmp_path: Path) -> None:
    for command in (("ask", "who handles returns?"), ("escalations", "list")):
        result = rolebot({**env, "ROLEBOT_DIRECTORY": str(tmp_path)}, *command)
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: {tmp_path} is a folder: point ROLEBOT_DIRECTORY at a directory YAML file\n"
        )


def test_teams_package_does_not_invent_folders(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "typo" / "app.zip"
    app = "00000000-0000-0000-0000-000000000001"
    result = rolebot(env, "teams", "package", "--app-id", app, "-o", str(out))
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_ask_help_shows_the_example_whole(env: dict[str, str]) -> None:
    assert 'rolebot ask "who handles returns?"' in rolebot(env, "ask", "--help").stdout


# ---------------------------------------------------------------- 6: a standup on a day off
def test_standup_preview_on_a_day_off_agrees_with_status(env: dict[str, str]) -> None:
    sunday = rolebot(env, "standup", "--team", "it", "--preview", "--date", "2026-11-29", "--lang", "en")
    assert sunday.exit_code == 0, sunday.output
    assert sunday.stdout.splitlines()[1:] == ["2026-11-29 is not a working day for IT: there is no standup."]
    friday = rolebot(env, "standup", "--team", "it", "--preview", "--date", "2026-11-27", "--lang", "en")
    assert (
        "Answers are still coming in." in friday.stdout and "No answer: Felix Ek, Greta Holm" in friday.stdout
    )
    cards = json.loads(
        rolebot(env, "standup", "--team", "it", "--preview", "--date", "2026-11-29", "--json").stdout
    )
    shown = json.dumps(cards, ensure_ascii=False)
    assert "not a working day" in shown and "No answer" not in shown


# ---------------------------------------------------------------- 7: times in the reader's zone, named
def _history(env: dict[str, str], reader: str) -> list[str]:
    shown = rolebot(env, "escalations", "show", "ESC-1", "--as", reader).stdout.splitlines()
    return shown[shown.index(next(line for line in shown if line.startswith(("History:", "이력:")))) + 1 :]


def test_history_times_are_in_the_readers_zone_and_stay_put(env: dict[str, str], tmp_path: Path) -> None:
    assert rolebot(env, "escalate", "it", "VPN down").exit_code == 0
    before = _history(env, "ada")
    assert len(before) == 1 and "(Sweden Time)" in before[0]
    assert re.search(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M \(Sweden Time\)", before[0])
    assert rolebot(env, "escalations", "reassign", "ESC-1", "warehouse", "--as", "ada").exit_code == 0
    after = _history(env, "ada")
    assert after[0] == before[0]  # moving to a team in Seoul does not move the entry's time
    assert "(대한민국 시간)" in _history(env, "eun")[0]  # Eun-ji reads Korean, in her team's zone
    directory = yaml.safe_load(bundled_directory_path().read_text(encoding="utf-8"))
    directory["people"]["ada"]["timezone"] = "America/New_York"
    (tmp_path / "directory.yaml").write_text(yaml.safe_dump(directory), encoding="utf-8")
    own = _history({**env, "ROLEBOT_DIRECTORY": str(tmp_path / "directory.yaml")}, "ada")
    assert "(United States (New York) Time)" in own[0]  # a person's own zone wins over their team's


# ---------------------------------------------------------------- 8: whom to contact
def test_contact_names_the_lead_and_the_channels(env: dict[str, str]) -> None:
    answer = rolebot(env, "ask", "who handles returns?").stdout
    both = "#customer-service on Slack or the Customer Service channel in Teams"
    assert f"Contact: Daan de Vries (team lead), {both}" in answer
    assert "S0CS" not in answer
    swedish = rolebot(env, "ask", "Vem hanterar returer?").stdout
    assert (
        "Kontakt: Daan de Vries (teamledare), #customer-service i Slack eller kanalen Kundtjänst i Teams"
        in swedish
    )


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("what is the meaning of life?", "Digital office"),
        ("Hur blir vädret i morgon?", "Digitala kontoret"),
        ("인생의 의미는 무엇인가요?", "디지털 오피스"),
    ],
)
def test_fallback_contact_is_named_in_the_askers_language(
    env: dict[str, str], question: str, name: str
) -> None:
    answer = rolebot(env, "ask", question).stdout
    assert f"{name}, #ask-digital, digital-office@example.com" in answer


# ---------------------------------------------------------------- 9: replies that read as written
def test_korean_particles_follow_the_word_before_them(env: dict[str, str]) -> None:
    for summary in ("VPN down", "Printer jam", "Disk full"):
        assert rolebot(env, "escalate", "it", summary, "--lang", "ko").exit_code == 0
    made = rolebot(env, "escalate", "it", "Mail bounce", "--lang", "ko").stdout  # ESC-4: 사 ends in a vowel
    assert "ESC-4(P2)로 저장했습니다" in made  # saved; the team is told by the outbox
    moved = rolebot(
        env, "escalations", "reassign", "ESC-3", "warehouse", "--as", "ada", "--lang", "ko"
    ).stdout
    assert moved.startswith("Ada Lind님이 ESC-3을 IT팀에서 물류창고팀으로 이관했습니다.")  # 삼: 을
    acked = rolebot(env, "escalations", "ack", "ESC-2", "--as", "ada", "--lang", "ko").stdout
    assert acked.startswith("Ada Lind님이 ESC-2를 접수했습니다.")  # 이: 를
    again = rolebot(env, "escalations", "ack", "ESC-2", "--as", "ada", "--lang", "ko")
    assert again.stderr.startswith("error: ESC-2는 현재")
    for text in (made, moved, acked, again.stderr):
        assert not re.search(r"\((를|을|가|이|는|은|으)\)", text)


def test_traditional_chinese_has_no_spaces_around_names(env: dict[str, str]) -> None:
    answer = rolebot(env, "ask", "退貨由誰處理？").stdout
    assert answer.startswith("這件事由客服團隊負責。")
    assert "要我向客服團隊提出升級處理嗎？" in answer


def test_dutch_and_swedish_read_naturally(env: dict[str, str]) -> None:
    assert rolebot(env, "ask", "Wie plant de verzendingen vanuit het magazijn?").stdout.startswith(
        "Dit ligt bij Magazijn (rol: Logistiek manager)."
    )
    assert (
        "Ik kan er niets over vinden in onze rollengids"
        in rolebot(env, "ask", "Wat is de zin van het leven?").stdout
    )
    headline = rolebot(env, "ask", "Vem rättar buggar i backend?").stdout.splitlines()[0]
    # "<team> ansvarar för det här, närmare bestämt rollen <role>.", not "<role> i <team> ansvarar ..."
    assert re.fullmatch(r"\S.* ansvarar för det här, närmare bestämt rollen .+\.", headline), headline
    rolebot(env, "escalate", "it", "VPN down")
    rolebot(env, "escalations", "resolve", "ESC-1", "--as", "ada")
    twice = rolebot(env, "escalations", "resolve", "ESC-1", "--as", "ada", "--lang", "nl")
    assert twice.stderr == "error: ESC-1 is opgelost, dus oplossen kan niet.\n"
    sv = rolebot(env, "escalations", "resolve", "ESC-1", "--as", "ada", "--lang", "sv")
    assert sv.stderr == "error: ESC-1 är redan löst, så den går inte att lösa.\n"


def test_digest_period_names_the_zone_and_spells_the_month(env: dict[str, str]) -> None:
    period = rolebot(env, "digest", "--team", "it", "--preview", "--lang", "en").stdout.splitlines()[1]
    assert re.fullmatch(
        r"From [A-Z][a-z]{2} \d{1,2}, \d{4}, .+ to [A-Z][a-z]{2} \d{1,2}, \d{4}, .+ \(Sweden Time\)", period
    )
