"""`rolebot escalate`, `rolebot escalations ...` and `rolebot sweep` via CliRunner on a tmp database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from escalation_org import org_directory

from handlers.cli.main import cli

TEAMS = {
    "warehouse": {"en": "Warehouse", "sv": "Lager", "zh-TW": "倉儲團隊"},
    "customer-service": {"en": "Customer Service", "sv": "Kundtjänst", "zh-TW": "客服團隊"},
    "it": {"en": "IT", "sv": "IT"},
}
# P1 due at once: a sweep moves it up the chain straight away.
DIRECTORY = org_directory(
    ack_p1="0s",
    people={"sven": {"name": "Sven Ek", "language": "sv"}},
    customer_service={"members": ["sven"]},
)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    """An organisation's own knowledge and directory, and a fresh database, all through the environment."""
    knowledge = tmp_path / "knowledge" / "teams"
    knowledge.mkdir(parents=True)
    for team_id, names in TEAMS.items():
        team = {
            "id": team_id,
            "names": names,
            "summary": {"en": f"The {team_id} team"},
            "responsibilities": [
                {"id": "work", "text": {"en": f"{team_id} work"}, "terms": {"en": [f"{team_id} problem"]}}
            ],
        }
        (knowledge / f"{team_id}.yaml").write_text(yaml.safe_dump(team, allow_unicode=True), encoding="utf-8")
    (tmp_path / "directory.yaml").write_text(yaml.safe_dump(DIRECTORY), encoding="utf-8")
    return {
        "ROLEBOT_DB": str(tmp_path / "esc.db"),
        "ROLEBOT_KNOWLEDGE": str(tmp_path / "knowledge"),
        "ROLEBOT_DIRECTORY": str(tmp_path / "directory.yaml"),
        "ROLEBOT_USER": "bo",
    }


def rolebot(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def created_ref(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def test_create_list_ack_resolve(env: dict[str, str]) -> None:
    made = rolebot(env, "escalate", "warehouse", "Parcels", "stuck", "at", "the", "dock", "--priority", "P3")
    assert made.exit_code == 0, made.output
    assert (
        made.stdout.splitlines()[0]
        == "Saved as ESC-1 (P3) for Warehouse. I'll let you know as soon as the team has it."
    )

    listed = rolebot(env, "escalations", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0] == "One escalation (open):"
    assert "ESC-1 · P3 · open · Warehouse · just now: Parcels stuck at the dock" in listed.stdout

    acked = rolebot(env, "escalations", "ack", "ESC-1", "--as", "eun")
    assert acked.exit_code == 0, acked.output
    assert acked.stdout.startswith("ESC-1 acknowledged by Eun-ji Park.")

    done = rolebot(env, "escalations", "resolve", "esc-1", "Moved", "to", "dock", "2", "--as", "eun")
    assert done.exit_code == 0
    shown = rolebot(env, "escalations", "show", "1", "--json")
    data = json.loads(shown.stdout)
    assert data["state"] == "resolved"
    assert [(e["action"], e["actor"], e["comment"]) for e in data["history"]] == [
        ("created", "cli:bo", ""),
        ("acknowledged", "cli:eun", ""),
        ("resolved", "cli:eun", "Moved to dock 2"),
    ]
    with sqlite3.connect(env["ROLEBOT_DB"]) as db:  # what the CLI said is what is stored
        assert db.execute("SELECT state FROM escalations WHERE id = 1").fetchone() == ("resolved",)


def test_json_shapes(env: dict[str, str]) -> None:
    made = json.loads(
        rolebot(
            env, "escalate", "it", "VPN", "down", "-p", "p1", "--details", "All of floor 2", "--json"
        ).stdout
    )
    assert {k: made[k] for k in ("id", "team", "priority", "state", "summary", "details", "action")} == {
        "id": "ESC-1",
        "team": "it",
        "priority": "P1",
        "state": "open",
        "summary": "VPN down",
        "details": "All of floor 2",
        "action": "created",
    }
    assert made["requester"] == {"platform": "cli", "user": "bo", "name": "Bo Chen", "email": None}
    listed = json.loads(rolebot(env, "escalations", "list", "all", "--json").stdout)
    assert [e["id"] for e in listed["escalations"]] == ["ESC-1"]
    missing = rolebot(env, "escalations", "ack", "ESC-404", "--json", "--as", "eun")
    assert missing.exit_code == 1
    assert json.loads(missing.stdout) == {
        "error": "not_found",
        "message": "There is no escalation ESC-404. Check the id, or type list to see open escalations.",
    }


def test_permission_refusal_exits_1_with_one_line(env: dict[str, str]) -> None:
    ref = created_ref(rolebot(env, "escalate", "warehouse", "Forklift", "broken", "--json"))
    refused = rolebot(env, "escalations", "ack", ref)  # bo is not in the warehouse team
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert (
        refused.stderr == f"error: You cannot acknowledge {ref}: only members of Warehouse or an admin can.\n"
    )
    cancel = rolebot(env, "escalations", "cancel", ref, "--as", "eun")
    assert cancel.exit_code == 1 and "only the person who raised it" in cancel.stderr
    assert rolebot(env, "escalations", "cancel", ref).exit_code == 0  # the requester may


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["escalations", "show", "ESC-99"], 1, "error: There is no escalation ESC-99."),
        (
            ["escalations", "ack"],
            2,
            "error: Which escalation? Give its id, for example ESC-42. Usage: ack ID",
        ),
        (["escalations", "ack", "banana"], 2, "error: 'banana' is not an escalation id."),
        (
            ["escalations", "reassign", "1", "cs"],
            1,
            "error: unknown team 'cs' - did you mean customer-service?",
        ),
        (["escalations", "list", "yesterday"], 2, "error: Cannot list 'yesterday'."),
        (["escalate"], 2, "error: Say what the problem is"),
        (["escalate", "--team", "it"], 2, "error: Say what the problem is"),
        (["escalate", "it", "x", "--priority", "P7"], 2, "error: 'P7' is not a priority."),
        (
            ["escalate", "--team", "wharehouse", "x"],
            1,
            "error: unknown team 'wharehouse' - did you mean warehouse?",
        ),
        (["escalate", "it", "x" * 5000], 2, "error: That message is too long"),
    ],
)
def test_errors_and_exit_codes(env: dict[str, str], args: list[str], code: int, message: str) -> None:
    result = rolebot(env, *args)
    assert result.exit_code == code
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_without_team_the_router_picks_it(env: dict[str, str]) -> None:
    made = json.loads(
        rolebot(env, "escalate", "we", "have", "a", "customer-service", "problem", "--json").stdout
    )
    assert made["team"] == "customer-service"


def test_team_option_keeps_a_team_word_in_the_summary(env: dict[str, str]) -> None:
    made = json.loads(
        rolebot(env, "escalate", "--team", "it", "warehouse", "scanner", "offline", "--json").stdout
    )
    assert (made["team"], made["summary"]) == ("it", "warehouse scanner offline")


def test_language_from_directory_or_option(env: dict[str, str]) -> None:
    ref = created_ref(rolebot(env, "escalate", "customer-service", "Chat", "down", "--json"))
    sven = rolebot(env, "escalations", "ack", ref, "--as", "sven")
    assert sven.stdout.startswith(f"{ref} kvitterad av Sven Ek.")
    shown = rolebot(env, "escalations", "show", ref, "--lang", "zh-TW")
    assert "客服團隊" in shown.stdout and "已受理" in shown.stdout


def test_request_id_makes_a_retry_harmless(env: dict[str, str]) -> None:
    first = json.loads(rolebot(env, "escalate", "it", "Mail", "down", "--request-id", "r-1", "--json").stdout)
    again = json.loads(rolebot(env, "escalate", "it", "Mail", "down", "--request-id", "r-1", "--json").stdout)
    assert (again["id"], again["replayed"]) == (first["id"], True)
    assert len(json.loads(rolebot(env, "escalations", "list", "all", "--json").stdout)["escalations"]) == 1


def test_comment_reassign_bump_reopen(env: dict[str, str]) -> None:
    ref = created_ref(rolebot(env, "escalate", "warehouse", "Wrong", "parcel", "--json"))
    assert rolebot(env, "escalations", "comment", ref, "Customer", "called", "again").exit_code == 0
    moved = rolebot(
        env, "escalations", "reassign", ref, "customer-service", "customer", "question", "--as", "eun"
    )
    assert moved.stdout.startswith(f"{ref} moved from Warehouse to Customer Service by Eun-ji Park.")
    assert rolebot(env, "escalations", "bump", ref, "--as", "sven").exit_code == 0
    assert rolebot(env, "escalations", "resolve", ref, "--as", "sven").exit_code == 0
    assert rolebot(env, "escalations", "reopen", ref).exit_code == 0
    history = json.loads(rolebot(env, "escalations", "show", ref, "--json").stdout)["history"]
    assert [e["action"] for e in history] == [
        "created",
        "commented",
        "reassigned",
        "bumped",
        "resolved",
        "reopened",
    ]


def test_sweep_moves_overdue_escalations_once(env: dict[str, str]) -> None:
    ref = created_ref(rolebot(env, "escalate", "it", "Site", "down", "P1", "--json"))  # P1: 0s to acknowledge
    swept = rolebot(env, "sweep", "--json")
    assert swept.exit_code == 0
    moved = json.loads(swept.stdout)
    assert [(m["id"], m["action"], m["level"]) for m in moved] == [(ref, "bumped", 1)]
    top = rolebot(env, "sweep").stdout.splitlines()  # level 2 is the top of the chain
    assert top[:2] == [
        "The sweep moved one escalation:",
        f"  {ref} is at the top of its escalation chain and still not acknowledged.",
    ]
    assert rolebot(env, "sweep").stdout == "Nothing is overdue.\n"


def test_bad_configuration_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    broken = {**env, "ROLEBOT_DIRECTORY": str(tmp_path / "missing.yaml")}
    result = rolebot(broken, "escalations", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "directory file not found" in result.stderr
    assert result.stderr.count("\n") == 1


def test_help_lists_every_command(env: dict[str, str]) -> None:
    out = rolebot(env, "escalations", "--help").stdout
    for verb in ("list", "show", "ack", "resolve", "reopen", "cancel", "reassign", "comment", "bump"):
        assert f"  {verb} " in out
    assert "--as USER" in rolebot(env, "escalate", "--help").stdout
