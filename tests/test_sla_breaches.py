"""A missed SLA deadline stays in the digests after the sweep moves the escalation up, until resolved."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.storage.clock import to_iso
from handlers.cli.main import cli


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {"ROLEBOT_DB": str(tmp_path / "rolebot.db"), "ROLEBOT_USER": "bo"}


def rolebot(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def unacknowledged_for_an_hour(env: dict[str, str], ref: str) -> None:
    """The P1's 30-minute acknowledge window ran out half an hour ago (stored times moved back)."""
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    with sqlite3.connect(env["ROLEBOT_DB"]) as db:
        db.execute(
            "UPDATE escalations SET created_at = ?, ack_due = ? WHERE id = ?",
            [to_iso(hour_ago), to_iso(hour_ago + timedelta(minutes=30)), int(ref[4:])],
        )


def test_breach_survives_the_sweep_and_counts_when_resolved_late(env: dict[str, str]) -> None:
    made = rolebot(env, "escalate", "customer-service", "Refund page down", "-p", "P1", "--json")
    ref = json.loads(made.stdout)["id"]
    unacknowledged_for_an_hour(env, ref)
    team = ("digest", "--team", "customer-service", "--preview", "--lang", "en")
    lead = ("digest", "--leadership", "--preview", "--lang", "en")
    assert "Overdue: SLA breached (1)" in rolebot(env, *team).stdout

    swept = rolebot(env, "sweep", "--json")
    assert [o["level"] for o in json.loads(swept.stdout)] == [1]  # now at the team lead

    after = rolebot(env, *team).stdout
    assert "Overdue: SLA breached (1)" in after
    line = next(line for line in after.splitlines() if ref in line)
    assert "past due" in line and "deadline missed at level 1" in line and "level 2" in line
    leadership = rolebot(env, *lead).stdout
    assert "Worst SLA breaches (1)" in leadership
    assert "1 overdue" in leadership
    listed = rolebot(env, "escalations", "list", "overdue", "--lang", "en").stdout
    assert ref in listed and "OVERDUE" in listed  # still late for whoever lists overdue escalations

    assert rolebot(env, "escalations", "ack", ref, "--as", "daan").exit_code == 0
    assert "Overdue: SLA breached (1)" in rolebot(env, *team).stdout  # acknowledged late: still a breach
    assert rolebot(env, "escalations", "resolve", ref, "--as", "daan").exit_code == 0

    resolved_team = rolebot(env, *team).stdout
    assert "Overdue: SLA breached (0)" in resolved_team
    resolved_line = next(line for line in resolved_team.splitlines() if ref in line)
    assert "late" in resolved_line  # in "Resolved since the last digest", marked late
    leadership = rolebot(env, *lead).stdout
    assert "Worst SLA breaches (1)" in leadership  # resolved late in the period: still counted
    breach = next(line for line in leadership.splitlines() if ref in line)
    assert "resolved" in breach and "late" in breach and "deadline missed at level 1" in breach
    assert "1 resolved late" in leadership


def test_on_time_escalations_are_no_breach(env: dict[str, str]) -> None:
    ref = json.loads(rolebot(env, "escalate", "it", "VPN slow", "-p", "P3", "--json").stdout)["id"]
    assert rolebot(env, "escalations", "ack", ref, "--as", "felix").exit_code == 0
    assert rolebot(env, "escalations", "resolve", ref, "--as", "felix").exit_code == 0
    assert "Worst SLA breaches (0)" in rolebot(env, "digest", "--leadership", "--preview").stdout


@pytest.mark.parametrize("move", [("bump",), ("reassign", "warehouse")])
def test_moving_an_overdue_escalation_by_hand_keeps_the_breach(
    env: dict[str, str], move: tuple[str, ...]
) -> None:
    ref = json.loads(
        rolebot(env, "escalate", "customer-service", "Refund page down", "-p", "P1", "--json").stdout
    )["id"]
    unacknowledged_for_an_hour(env, ref)
    assert rolebot(env, "escalations", move[0], ref, *move[1:], "--as", "ada").exit_code == 0
    shown = rolebot(env, "digest", "--leadership", "--preview", "--lang", "en").stdout
    assert "Worst SLA breaches (1)" in shown and "deadline missed at level 1" in shown
