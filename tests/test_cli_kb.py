"""`rolebot kb import|validate|show` through click's CliRunner: exit codes, text and --json shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from kb_fixtures import directory_dict, team_dicts, write_kb

from bot.knowledge import bundled_knowledge_dir, load_knowledge
from handlers.cli.main import cli

GUIDES = Path(__file__).parent / "fixtures" / "guides"


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    folder = write_kb(tmp_path / "kb")
    (folder / "directory.yaml").write_text(yaml.safe_dump(directory_dict()), encoding="utf-8")
    return folder


def run(*args: str, knowledge: Path | None = None) -> Result:
    env = {"ROLEBOT_KNOWLEDGE": str(knowledge) if knowledge else None, "ROLEBOT_DIRECTORY": None}
    return CliRunner().invoke(cli, ["kb", *args], env=env)


# --- show ------------------------------------------------------------------------------------------------


def test_show_team_as_text(knowledge: Path) -> None:
    result = run("show", "marketing", knowledge=knowledge)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("team marketing\n")
    for name in ("Marketing", "行銷部", "Marknad", "마케팅"):
        assert name in out
    assert "campaigns: Plans campaigns and promotions" in out
    assert "terms: campaign, promo" in out
    assert "roles: marketing-manager (Marketing manager)" in out
    assert "coordinates with: warehouse (Warehouse), customer-service (Customer service)" in out


def test_show_in_another_language(knowledge: Path) -> None:
    result = run("show", "customer-service", "--lang", "SV", knowledge=knowledge)
    assert result.exit_code == 0, result.output
    assert "returns: Hanterar returer och återbetalningar" in result.stdout
    assert "coordinates with: warehouse (Lager)" in result.stdout


def test_show_json_for_team_and_role(knowledge: Path) -> None:
    team = json.loads(run("show", "warehouse", "--json", knowledge=knowledge).stdout)
    assert team["kind"] == "team" and team["id"] == "warehouse"
    assert set(team["names"]) == {"en", "zh-TW", "sv", "ko", "nl"}
    assert [r["id"] for r in team["roles"]] == ["logistics-manager", "inventory-manager"]
    assert team["responsibilities"][0] == {
        "id": "packing",
        "text": team_dicts()["warehouse"]["responsibilities"][0]["text"],
        "terms": {"en": ["packing"]},
    }
    role = json.loads(run("show", "tester", "--json", "--lang", "ko", knowledge=knowledge).stdout)
    assert (role["kind"], role["team"], role["id"], role["language"]) == ("role", "it", "tester", "ko")
    assert "coordinates_with" not in role


def test_show_unknown_id_suggests_close_ids(knowledge: Path) -> None:
    result = run("show", "warehous", knowledge=knowledge)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: unknown id 'warehous' - did you mean warehouse?"
    by_name = run("show", "Kundtjänst", knowledge=knowledge)
    assert by_name.exit_code == 2 and "did you mean customer-service" in by_name.stderr
    nothing = run("show", "qqqqqqq", knowledge=knowledge)
    assert nothing.exit_code == 2 and "known teams: " in nothing.stderr


def test_show_reports_a_broken_knowledge_folder(tmp_path: Path) -> None:
    write_kb(tmp_path)
    (tmp_path / "teams" / "broken.yaml").write_text("id: [x", encoding="utf-8")
    result = run("show", "it", "--knowledge", str(tmp_path))
    assert result.exit_code == 1
    assert "broken.yaml" in result.stderr and "rolebot kb validate" in result.stderr


# --- validate --------------------------------------------------------------------------------------------


def test_validate_clean_exits_0(knowledge: Path) -> None:
    result = run("validate", knowledge=knowledge)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: ") and "directory.yaml" in result.stdout


def test_validate_errors_exit_1_with_json(tmp_path: Path) -> None:
    teams = team_dicts()
    teams["it"]["coordinates_with"] = ["sales"]
    teams["data"]["coordinates_with"] = ["data"]
    write_kb(tmp_path, teams)
    result = run("validate", "--knowledge", str(tmp_path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"ok", "errors", "warnings", "knowledge", "directory", "findings"}
    assert (data["ok"], data["errors"], data["warnings"], data["directory"]) == (False, 1, 1, None)
    message = "coordinates_with names unknown team 'sales'"
    assert data["findings"][0] == {
        "level": "error",
        "code": "unknown-team",
        "message": message,
        "where": "team it",
    }


def test_validate_text_lists_findings(tmp_path: Path) -> None:
    teams = team_dicts()
    del teams["it"]["names"]["sv"]
    write_kb(tmp_path, teams)
    result = run("validate", knowledge=tmp_path)
    assert result.exit_code == 1
    assert "missing-language" in result.stdout and "team it: names missing in sv" in result.stdout
    assert "1 error, 0 warnings" in result.stdout


def test_validate_checks_a_given_directory(knowledge: Path, tmp_path: Path) -> None:
    raw = directory_dict()
    raw["teams"]["sales"] = {"owners": ["nobody"]}
    file = tmp_path / "mine.yaml"
    file.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = run("validate", "--directory", str(file), "--json", knowledge=knowledge)
    assert result.exit_code == 1
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert codes == {"unknown-team", "unknown-person"}


# --- import ----------------------------------------------------------------------------------------------


def test_import_writes_a_new_folder_and_reports(knowledge: Path, tmp_path: Path) -> None:
    out = tmp_path / "merged"
    result = run(
        "import",
        str(GUIDES / "shop_roles_en.md"),
        str(GUIDES / "butik_sv.md"),
        "--out",
        str(out),
        knowledge=knowledge,
    )
    assert result.exit_code == 0, result.output
    assert "## Customer Service -> customer-service (team, by name, 100): 2 added, 1 aligned" in result.stdout
    assert "## Gardening club -> not matched: no team or role name" in result.stdout
    assert "### Night shift -> warehouse (team, by parent)" in result.stdout
    assert f"Wrote 9 team files to {out / 'teams'}" in result.stdout
    merged = load_knowledge(out)
    assert any(
        r.text.get("sv", "").startswith("Svarar på frågor")
        for r in merged.team("customer-service").responsibilities
    )
    assert load_knowledge(knowledge) == load_knowledge(write_kb(tmp_path / "fresh"))  # source untouched


def test_import_json_shape_and_map_option(knowledge: Path, tmp_path: Path) -> None:
    map_file = tmp_path / "map.yaml"
    map_file.write_text(
        yaml.safe_dump(
            {
                "guides": {
                    "fixture-handbook-0001": {
                        "sections": [
                            "c-level",
                            {"id": "warehouse", "sub": ["logistics-manager", "inventory-manager"]},
                            {"items": ["content", "data"]},
                        ]
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    result = run(
        "import",
        str(GUIDES / "handbook_en.md"),
        str(GUIDES / "handbook_nl.md"),
        "--map",
        str(map_file),
        "--out",
        str(tmp_path / "o"),
        "--json",
        knowledge=knowledge,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {
        "guides",
        "added",
        "aligned",
        "filled",
        "replaced",
        "unmatched",
        "knowledge",
        "out",
        "written",
        "validation",
    } <= set(data)
    assert (data["added"], data["filled"], data["unmatched"]) == (9, 9, 0)
    assert [g["identified_by"] for g in data["guides"]] == ["exl-id", "outline"]
    assert data["validation"]["errors"] == 0 and len(data["written"]) == 9


def test_import_dry_run_writes_nothing(knowledge: Path, tmp_path: Path) -> None:
    result = run(
        "import", str(GUIDES / "butik_sv.md"), "--dry-run", "--out", str(tmp_path / "o"), knowledge=knowledge
    )
    assert result.exit_code == 0 and "Dry run: nothing written." in result.stdout
    assert not (tmp_path / "o").exists()


def test_import_lang_option_overrides_detection(knowledge: Path, tmp_path: Path) -> None:
    result = run(
        "import", str(GUIDES / "butik_sv.md"), "--lang", "nl", "--dry-run", "--json", knowledge=knowledge
    )
    assert json.loads(result.stdout)["guides"][0]["language"] == "nl"


def test_import_in_place_into_own_knowledge(knowledge: Path) -> None:
    result = run("import", str(GUIDES / "butik_sv.md"), "--in-place", knowledge=knowledge)
    assert result.exit_code == 0, result.output
    new = [r for r in load_knowledge(knowledge).team("warehouse").responsibilities if r.id.startswith("imp")]
    sentence = (
        "Lagret packar alla ordrar som kommer in under dagen och ser till att de är klara för upphämtning."
    )
    assert [r.text for r in new] == [{"sv": sentence}]


def test_import_strict_fails_on_unmatched_sections(knowledge: Path) -> None:
    result = run("import", str(GUIDES / "shop_roles_en.md"), "--dry-run", "--strict", knowledge=knowledge)
    assert result.exit_code == 1 and "1 unmatched section." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--in-place", "--knowledge", str(bundled_knowledge_dir())], "refusing to write into the bundled"),
        (["--out", "{nonempty}"], "exists and is not empty"),
        (["--map", "{badmap}"], "needs a 'sections' list"),
    ],
)
def test_import_refusals_exit_2(knowledge: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("guides: {g: {name: x}}\n", encoding="utf-8")
    args = [a.format(nonempty=tmp_path / "full", badmap=tmp_path / "bad.yaml") for a in args]
    result = run("import", str(GUIDES / "butik_sv.md"), *args, knowledge=knowledge)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert (tmp_path / "full" / "x.txt").read_text(encoding="utf-8") == "keep"


def test_import_bad_files_exit_2(knowledge: Path, tmp_path: Path) -> None:
    missing = run("import", str(tmp_path / "nope.md"), knowledge=knowledge)
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    binary = tmp_path / "guide.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = run("import", str(binary), "--dry-run", knowledge=knowledge)
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    assert run("import", knowledge=knowledge).exit_code == 2  # no files at all
