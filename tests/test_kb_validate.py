"""Knowledge validation: each kind of problem is found in a deliberately broken KB, none in a clean one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from kb_fixtures import directory_dict, team_dicts, write_kb

from bot.directory import directory_from_dict
from bot.kb.validate import Finding, normalise_word, validate, validate_folder
from bot.knowledge import KnowledgeBase, bundled_knowledge_dir, load_knowledge, team_from_dict

Teams = dict[str, dict[str, Any]]


def _kb(teams: Teams) -> KnowledgeBase:
    return KnowledgeBase({tid: team_from_dict(raw) for tid, raw in teams.items()})


def _codes(findings: list[Finding], level: str | None = None) -> set[str]:
    return {f.code for f in findings if level is None or f.level == level}


def test_clean_knowledge_and_directory_have_no_findings(tmp_path: Path) -> None:
    folder = write_kb(tmp_path)
    (tmp_path / "directory.yaml").write_text(yaml.safe_dump(directory_dict()), encoding="utf-8")
    assert validate_folder(folder, tmp_path / "directory.yaml") == []
    assert validate(load_knowledge(folder)) == []


def _dup_role(t: Teams) -> None:
    copy = dict(t["it"]["roles"][0], aliases={})
    copy["names"] = {lang: f"Web {name}" for lang, name in copy["names"].items()}
    copy["responsibilities"] = [dict(copy["responsibilities"][0], id="web-features")]
    t["marketing"]["roles"].append(copy)


def _role_is_team(t: Teams) -> None:
    t["it"]["roles"][0]["id"] = "data"


def _dup_resp_in_team(t: Teams) -> None:
    t["it"]["roles"][0]["responsibilities"][0]["id"] = "site-build"


def _unknown_coordinates(t: Teams) -> None:
    t["marketing"]["coordinates_with"].append("sales")


def _missing_name(t: Teams) -> None:
    del t["warehouse"]["names"]["ko"]


def _missing_summary(t: Teams) -> None:
    t["it"]["roles"][1]["summary"]["nl"] = " "


def _missing_resp_text(t: Teams) -> None:
    del t["finance"]["responsibilities"][0]["text"]["zh-TW"]


def _alias_conflict(t: Teams) -> None:
    t["data"]["aliases"]["en"].append("Help-Desk")
    t["customer-service"]["aliases"]["en"].append("help desk")


def _name_as_alias(t: Teams) -> None:
    t["content"]["aliases"]["sv"] = ["lager"]  # the Swedish name of warehouse


def _role_without_resps(t: Teams) -> None:
    t["it"]["roles"][1]["responsibilities"] = []


def _team_without_any(t: Teams) -> None:
    t["finance"]["responsibilities"] = []


def _empty_resp(t: Teams) -> None:
    t["data"]["responsibilities"][0]["text"] = {}


@pytest.mark.parametrize(
    ("breakage", "code", "where"),
    [
        (_dup_role, "duplicate-role", "role developer (team it)"),
        (_role_is_team, "id-clash", "role data (team it)"),
        (_dup_resp_in_team, "duplicate-responsibility", "role developer (team it)"),
        (_unknown_coordinates, "unknown-team", "team marketing"),
        (_missing_name, "missing-language", "team warehouse"),
        (_missing_summary, "missing-language", "role tester (team it)"),
        (_missing_resp_text, "missing-language", "team finance, responsibility budget"),
        (_alias_conflict, "alias-conflict", "team customer-service; team data"),
        (_name_as_alias, "alias-conflict", "team content; team warehouse"),
        (_role_without_resps, "empty-responsibilities", "role tester (team it)"),
        (_team_without_any, "empty-responsibilities", "team finance"),
        (_empty_resp, "empty-responsibility", "team data, responsibility reports"),
    ],
)
def test_each_error_is_found(breakage: Callable[[Teams], None], code: str, where: str) -> None:
    teams = team_dicts()
    breakage(teams)
    findings = validate(_kb(teams))
    assert [(f.level, f.code, f.where) for f in findings] == [("error", code, where)], findings


def test_messages_say_what_is_wrong() -> None:
    teams = team_dicts()
    _missing_name(teams)
    _alias_conflict(teams)
    messages = [f.message for f in validate(_kb(teams))]
    assert "names missing in ko" in messages
    assert "name/alias 'help desk' is claimed by teams customer-service, data" in messages


def test_shared_term_and_cross_team_responsibility_id_are_warnings() -> None:
    teams = team_dicts()
    teams["data"]["responsibilities"][0]["terms"]["en"].append("Refund")
    teams["finance"]["responsibilities"][0]["id"] = "returns"
    findings = validate(_kb(teams))
    assert {(f.level, f.code) for f in findings} == {
        ("warning", "shared-term"),
        ("warning", "duplicate-responsibility"),
    }


def test_imported_texts_in_one_language_are_warnings_not_errors() -> None:
    teams = team_dicts()
    teams["data"]["responsibilities"].append({"id": "imported-1", "text": {"sv": "Bygger rapporter"}})
    (finding,) = validate(_kb(teams))
    assert (finding.level, finding.code) == ("warning", "missing-language")
    assert "en, zh-TW, ko, nl" in finding.message


def test_coordinating_with_itself_is_a_warning() -> None:
    teams = team_dicts()
    teams["data"]["coordinates_with"] = ["data"]
    assert [(f.level, f.code) for f in validate(_kb(teams))] == [("warning", "self-reference")]


def test_errors_come_before_warnings() -> None:
    teams = team_dicts()
    teams["data"]["coordinates_with"] = ["data"]
    _missing_name(teams)
    assert [f.level for f in validate(_kb(teams))] == ["error", "warning"]


def test_normalise_word() -> None:
    assert normalise_word("  Send-Back ") == normalise_word("send back") == "send back"
    assert normalise_word("ＲＭＡ") == "rma"


# --- folders: every file is checked even when some are broken -------------------------------------------


def test_folder_reports_duplicate_team_files_bad_yaml_and_other_problems_at_once(tmp_path: Path) -> None:
    teams = team_dicts()
    _missing_name(teams)
    folder = write_kb(tmp_path, teams) / "teams"
    (folder / "zz-copy.yaml").write_text((folder / "it.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    (folder / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    (folder / "no-id.yaml").write_text("names: {en: Nobody}\n", encoding="utf-8")
    findings = validate_folder(tmp_path)
    where = {(f.code, f.where) for f in findings}
    assert ("duplicate-team", "zz-copy.yaml") in where
    assert ("invalid-yaml", "broken.yaml") in where
    assert ("malformed", "list.yaml") in where
    assert ("malformed", "no-id.yaml") in where
    assert ("missing-language", "team warehouse") in where
    assert all(f.level == "error" for f in findings)


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    assert _codes(validate_folder(tmp_path / "nowhere")) == {"not-found"}
    (tmp_path / "empty").mkdir()
    assert _codes(validate_folder(tmp_path / "empty")) == {"not-found"}


# --- the directory against the knowledge ---------------------------------------------------------------


def _directory_findings(change: Callable[[dict[str, Any]], None]) -> list[Finding]:
    raw = directory_dict()
    change(raw)
    return validate(_kb(team_dicts()), directory_from_dict(raw))


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        (lambda d: d["teams"].update(sales={"owners": ["ann"]}), "unknown-team", "directory teams.sales"),
        (lambda d: d["teams"]["it"]["members"].append("zoe"), "unknown-person", "directory teams.it"),
        (lambda d: d["teams"]["it"]["leads"].update(tester="zoe"), "unknown-person", "directory teams.it"),
        (lambda d: d["admins"].append("zoe"), "unknown-person", "directory admins"),
        (lambda d: d["teams"]["it"]["leads"].update(boss="ann"), "unknown-role", "directory teams.it"),
        (
            lambda d: d["defaults"]["escalation"]["chain"].append({"notify": "person:zoe"}),
            "unknown-notify",
            "directory defaults.escalation",
        ),
        (
            lambda d: d["teams"]["it"].update(escalation={"chain": [{"notify": "team:sales"}]}),
            "unknown-notify",
            "directory teams.it.escalation",
        ),
    ],
)
def test_directory_dangling_references_are_errors(
    change: Callable[[dict[str, Any]], None], code: str, where: str
) -> None:
    findings = _directory_findings(change)
    assert [(f.level, f.code, f.where) for f in findings] == [("error", code, where)], findings


def test_directory_warnings() -> None:
    def change(d: dict[str, Any]) -> None:
        del d["teams"]["finance"]
        d["teams"]["it"]["leads"]["inventory-manager"] = "ben"

    findings = _directory_findings(change)
    assert {(f.level, f.code) for f in findings} == {("warning", "no-contact"), ("warning", "foreign-role")}


def test_malformed_directory_file_is_a_finding(tmp_path: Path) -> None:
    write_kb(tmp_path)
    bad = tmp_path / "directory.yaml"
    bad.write_text("defaults: {escalation: {ack: {P1: soon}}}\n", encoding="utf-8")
    assert _codes(validate_folder(tmp_path, bad)) == {"directory-malformed"}


def test_bundled_knowledge_has_no_errors() -> None:
    bundled = bundled_knowledge_dir()  # complete: test_knowledge_content requires every team
    errors = [f for f in validate_folder(bundled, bundled / "directory.yaml") if f.level == "error"]
    assert errors == []


def _only(teams: Teams, team_id: str, languages: list[str]) -> None:
    """Strip every text of `team_id` to `languages` and declare them, as `kb init` writes files."""
    team = teams[team_id]
    team["languages"] = languages
    for owner in [team, *team["roles"]]:
        for key in ("names", "summary", "aliases"):
            owner[key] = {lang: v for lang, v in owner.get(key, {}).items() if lang in languages}
        for resp in owner["responsibilities"]:
            resp["text"] = {lang: v for lang, v in resp["text"].items() if lang in languages}
            resp["terms"] = {lang: v for lang, v in resp.get("terms", {}).items() if lang in languages}


def test_declared_languages_are_the_only_ones_required() -> None:
    teams = team_dicts()
    _only(teams, "it", ["en", "sv"])
    findings = validate(_kb(teams))
    assert [(f.level, f.code, f.where) for f in findings] == [
        ("warning", "partial-languages", "team it"),
    ]
    assert "questions in zh-TW, ko, nl will not route" in findings[0].message
    del teams["it"]["roles"][0]["names"]["sv"]
    teams["it"]["languages"] = ["en", "sv", "de"]
    errors = {(f.code, f.message) for f in validate(_kb(teams)) if f.level == "error"}
    assert errors == {
        ("unknown-language", "languages names unsupported de"),
        ("missing-language", "names missing in sv"),
    }


def test_undeclared_languages_are_still_required() -> None:
    teams = team_dicts()
    _only(teams, "it", ["en", "sv"])
    del teams["it"]["languages"]
    assert "missing-language" in _codes(validate(_kb(teams)), "error")
