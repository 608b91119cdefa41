"""Importing Markdown guides: parsing, section matching (map, structure, name), merging and writing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from kb_fixtures import team_dicts, write_kb

from bot.kb.guide import parse_bullet, parse_guide, parse_guide_text
from bot.kb.import_map import import_map_from_dict, match_heading, name_index
from bot.kb.importer import (
    ImportMap,
    ImportReport,
    KbImportError,
    import_files,
    load_import_map,
)
from bot.kb.validate import validate
from bot.kb.write import output_folder, team_files, write_knowledge
from bot.knowledge import KnowledgeBase, bundled_knowledge_dir, load_knowledge

GUIDES = Path(__file__).parent / "fixtures" / "guides"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
HANDBOOK_MAP = {
    "guides": {
        "fixture-handbook-0001": {
            "name": "Team handbook",
            "sections": [
                "c-level",
                {"id": "warehouse", "sub": ["logistics-manager", "inventory-manager"]},
                {"items": ["content", "data"]},
            ],
        }
    }
}


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    return load_knowledge(write_kb(tmp_path / "kb"))


def _handbook_map() -> ImportMap:
    return load_import_map().merged(import_map_from_dict(HANDBOOK_MAP))


def _sections(report: ImportReport, index: int) -> dict[str, tuple[str | None, str | None]]:
    return {s.heading: (s.target, s.how) for s in report.guides[index].sections}


# --- parsing -------------------------------------------------------------------------------------------


def test_parse_reads_front_matter_title_sections_bullets_and_notes() -> None:
    guide = parse_guide(GUIDES / "shop_roles_en.md")
    assert guide.guide_id == "0f0f0f0f-1111-2222-3333-444444444444"
    assert guide.title == "Who does what in the shop"
    assert guide.language == "en"
    assert [s.heading for s in guide.sections] == [
        "Customer Service",
        "Warehouse team",
        "Gardening club",
        "Marketing",
    ]
    assert guide.outline() == (0, 2, 0, 0)
    service = guide.sections[0]
    assert [b.text for b in service.bullets][2] == "Keeps the FAQ page & help articles in sync with policy"
    marketing = guide.sections[3]
    assert marketing.notes == ["Campaign dates are agreed with the warehouse first."]
    assert [(b.label, b.body) for b in marketing.bullets] == [
        ("Newsletters", "Sends the weekly newsletter. Keeps the mailing list tidy."),
        ("Seasonal sales", "Plans the summer and winter sales."),
    ]
    assert [s.heading for s in guide.sections[1].subsections] == ["Logistics Manager", "Night shift"]


@pytest.mark.parametrize(
    ("raw", "label", "body"),
    [
        ("**Sorting** — puts things in order", "Sorting", "puts things in order"),
        ("**Sorting**—puts things in order", "Sorting", "puts things in order"),
        ("**Sorting**- puts things in order", "Sorting", "puts things in order"),
        ("**De boel** ordenen: alles op zijn plek", "De boel ordenen", "alles op zijn plek"),
        ("plain item with a [link](https://example.com)", "", "plain item with a link"),
    ],
)
def test_bullet_labels_in_every_separator_style(raw: str, label: str, body: str) -> None:
    bullet = parse_bullet(raw)
    assert (bullet.label, bullet.body) == (label, body)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("## 反品\n\n- 處理客人的退貨申請", "zh-TW"),
        ("## 반품\n\n- 고객의 반품 요청을 처리합니다", "ko"),
        ("## Retur\n\n- Hanterar returer och svarar på frågor från kunder", "sv"),
        ("## Retour\n\n- Het team is verantwoordelijk voor de retouren van de klanten", "nl"),
        ("## Returns\n\n- The team is responsible for the returns of the customers", "en"),
    ],
)
def test_language_is_detected_from_content(text: str, language: str) -> None:
    assert parse_guide_text(text).language == language


def test_language_from_front_matter_and_override() -> None:
    text = "---\nlang: sv-SE\n---\n## Returns\n\n- The team handles returns"
    assert parse_guide_text(text).language == "sv"
    assert parse_guide_text(text, language="nl").language == "nl"


def test_guide_without_front_matter_or_sections_parses_empty() -> None:
    guide = parse_guide_text("just a line of text\n")
    assert guide.sections == () and guide.guide_id is None and dict(guide.meta) == {}


# --- matching and merging ------------------------------------------------------------------------------


def test_name_matching_reports_matches_parent_fallback_and_unmatched(kb: KnowledgeBase) -> None:
    report = import_files(kb, [GUIDES / "shop_roles_en.md"])
    guide = report.guides[0]
    assert guide.identified_by is None
    assert _sections(report, 0) == {
        "Customer Service": ("customer-service", "name"),
        "Warehouse team": ("warehouse", "name"),
        "Logistics Manager": ("logistics-manager", "name"),
        "Night shift": ("warehouse", "parent"),
        "Gardening club": (None, None),
        "Marketing": ("marketing", "name"),
    }
    (unmatched,) = guide.unmatched
    assert "no team or role name" in unmatched.reason
    service = next(s for s in guide.sections if s.heading == "Customer Service")
    assert (service.kind, service.added, service.aligned, service.filled) == ("team", 2, 1, 0)


def test_bullets_become_responsibilities_and_existing_text_is_kept(kb: KnowledgeBase) -> None:
    merged = import_files(kb, [GUIDES / "shop_roles_en.md"]).kb
    service = merged.team("customer-service")
    texts = {r.id: r.text.get("en") for r in service.responsibilities}
    assert texts["returns"] == "Handles returns and refunds"  # aligned, not overwritten
    assert "Answers delivery questions from shoppers" in texts.values()
    marketing = [r.text["en"] for r in merged.team("marketing").responsibilities]
    assert "Newsletters — Sends the weekly newsletter." in marketing
    assert not any("Campaign dates" in text for text in marketing)  # notes are not responsibilities
    logistics = [r.text["en"] for r in merged.role("logistics-manager").responsibilities]
    assert "Checks that every label matches the order!" in logistics  # paragraph sentences, no bullets
    ids = [r.id for team in merged.teams.values() for r in team.responsibilities]
    assert len(ids) == len(set(ids)) and "imported-1" in ids
    assert [r.id for r in kb.team("customer-service").responsibilities] == ["returns"]  # input untouched


def test_replace_overwrites_the_aligned_text_in_that_language(kb: KnowledgeBase) -> None:
    kept = import_files(kb, [GUIDES / "shop_roles_en.md"]).kb
    replaced_report = import_files(kb, [GUIDES / "shop_roles_en.md"], replace=True)
    returns = {r.id: r for r in replaced_report.kb.team("customer-service").responsibilities}["returns"]
    assert returns.text["en"] == "Handles returns and refunds."
    assert returns.text["sv"] == "Hanterar returer och återbetalningar"  # other languages untouched
    assert {r.id: r for r in kept.team("customer-service").responsibilities}["returns"].text["en"] == (
        "Handles returns and refunds"
    )
    assert replaced_report.total("replaced") == 1


def test_swedish_guide_detected_and_aligned_in_swedish(kb: KnowledgeBase) -> None:
    report = import_files(kb, [GUIDES / "butik_sv.md"])
    guide = report.guides[0]
    assert guide.language == "sv" and guide.guide_id is None
    assert _sections(report, 0) == {
        "Kundtjänst": ("customer-service", "name"),
        "Lager": ("warehouse", "name"),
        "Logistikchef": ("logistics-manager", "name"),
    }
    service = guide.sections[0]
    assert (service.added, service.aligned) == (1, 1)
    new = [r for r in report.kb.team("customer-service").responsibilities if r.id.startswith("imported-")]
    assert [set(r.text) for r in new] == [{"sv"}]


def test_map_by_exl_id_with_sub_sections_and_items(kb: KnowledgeBase) -> None:
    report = import_files(kb, [GUIDES / "handbook_en.md"], _handbook_map())
    guide = report.guides[0]
    assert (guide.guide_name, guide.identified_by) == ("Team handbook", "exl-id")
    assert _sections(report, 0) == {
        "Part one": ("c-level", "structure"),
        "Part two": ("warehouse", "structure"),
        "First desk": ("logistics-manager", "structure"),
        "Second desk": ("inventory-manager", "structure"),
        "Part three / The copy desk": ("content", "structure"),
        "Part three / The numbers desk": ("data", "structure"),
    }
    data = [r.text["en"] for r in report.kb.team("data").responsibilities]
    assert "Builds the weekly sales dashboard." in data


def test_without_the_map_the_same_guide_is_not_matched(kb: KnowledgeBase) -> None:
    report = import_files(kb, [GUIDES / "handbook_en.md"])
    assert report.guides[0].identified_by is None
    # "Part one/two/three" name nothing, and the desks have no matched parent to fall back to
    assert report.unmatched == 5 and report.total("added") == 0


def test_translation_without_exl_id_is_recognised_by_outline_and_aligned_by_position(
    kb: KnowledgeBase,
) -> None:
    report = import_files(kb, [GUIDES / "handbook_en.md", GUIDES / "handbook_nl.md"], _handbook_map())
    dutch = report.guides[1]
    assert (dutch.language, dutch.identified_by) == ("nl", "outline")
    assert all(s.matched and s.added == 0 for s in dutch.sections)
    plan = {r.text.get("en"): r.text.get("nl") for r in report.kb.team("c-level").responsibilities}
    assert plan["Signs off the yearly shop plan"] == "Keurt het jaarplan van de winkel goed"
    assert report.total("filled") == 9


def test_explicit_heading_map_wins_over_names(kb: KnowledgeBase) -> None:
    imap = load_import_map().merged(
        import_map_from_dict({"headings": {"Gardening Club": "c-level", "Marketing": "content"}})
    )
    report = import_files(kb, [GUIDES / "shop_roles_en.md"], imap)
    sections = _sections(report, 0)
    assert sections["Gardening club"] == ("c-level", "map")
    assert sections["Marketing"] == ("content", "map")


def test_map_naming_an_unknown_id_is_reported(kb: KnowledgeBase) -> None:
    imap = import_map_from_dict({"headings": {"Gardening club": "garden-team"}})
    report = import_files(kb, [GUIDES / "shop_roles_en.md"], imap)
    garden = next(s for s in report.guides[0].sections if s.heading == "Gardening club")
    assert not garden.matched and "garden-team" in garden.reason


def test_heading_matching_ignores_generic_team_words(kb: KnowledgeBase) -> None:
    index = name_index(kb)
    assert match_heading("IT-teamet", index) == ("it", 100.0)
    assert match_heading("客服部團隊", index) is not None
    assert match_heading("Lagerteamet", index) is not None
    assert match_heading("Gardening club", index) is None


def test_report_to_dict_is_json_ready(kb: KnowledgeBase) -> None:
    data = import_files(kb, [GUIDES / "shop_roles_en.md"]).to_dict()
    assert set(data) == {"guides", "added", "aligned", "filled", "replaced", "unmatched"}
    section = data["guides"][0]["sections"][0]
    assert {"heading", "target", "kind", "how", "added", "aligned", "reason"} <= set(section)
    assert data["unmatched"] == 1


@pytest.mark.parametrize(
    "raw",
    [
        {"guides": {"x": {"sections": "c-level"}}},
        {"guides": {"x": {"sections": [{"sub": "a"}]}}},
        {"headings": ["a"]},
    ],
)
def test_bad_map_files_are_refused(raw: dict[str, object]) -> None:
    with pytest.raises(KbImportError):
        import_map_from_dict(raw)


def test_map_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text("guides: [unclosed", encoding="utf-8")
    with pytest.raises(KbImportError, match=r"map\.yaml"):
        load_import_map(bad)
    with pytest.raises(KbImportError, match="not found"):
        load_import_map(tmp_path / "missing.yaml")


# --- writing -------------------------------------------------------------------------------------------


def test_written_knowledge_loads_back_identically(kb: KnowledgeBase, tmp_path: Path) -> None:
    report = import_files(kb, [GUIDES / "shop_roles_en.md", GUIDES / "butik_sv.md"])
    folder = output_folder(tmp_path / "out", tmp_path / "kb", in_place=False)
    written = write_knowledge(report.kb, folder, team_files(tmp_path / "kb"))
    assert len(written) == len(kb.teams) and folder == tmp_path / "out" / "teams"
    assert load_knowledge(tmp_path / "out") == report.kb
    assert not [f for f in validate(report.kb) if f.level == "error"]


def test_output_folder_is_never_the_bundled_knowledge_or_a_non_empty_folder(tmp_path: Path) -> None:
    bundled = bundled_knowledge_dir()
    with pytest.raises(KbImportError, match="bundled"):
        output_folder(None, bundled, in_place=True)
    with pytest.raises(KbImportError):
        output_folder(bundled / "teams", bundled, in_place=False)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "note.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(KbImportError, match="not empty"):
        output_folder(tmp_path / "full", bundled, in_place=False)
    with pytest.raises(KbImportError):
        output_folder(tmp_path / "kb" / "sub", tmp_path / "kb", in_place=False)


def test_default_output_folder_is_new(tmp_path: Path) -> None:
    first = output_folder(None, bundled_knowledge_dir(), in_place=False, cwd=tmp_path)
    assert first == tmp_path / "knowledge-imported" / "teams"
    first.mkdir(parents=True)
    second = output_folder(None, bundled_knowledge_dir(), in_place=False, cwd=tmp_path)
    assert second == tmp_path / "knowledge-imported-2" / "teams"


def test_in_place_keeps_file_names(tmp_path: Path) -> None:
    teams = team_dicts()
    knowledge = write_kb(tmp_path / "own", teams)
    (knowledge / "teams" / "warehouse.yaml").rename(knowledge / "teams" / "10-warehouse.yaml")
    kb = load_knowledge(knowledge)
    report = import_files(kb, [GUIDES / "butik_sv.md"])
    folder = output_folder(None, knowledge, in_place=True)
    write_knowledge(report.kb, folder, team_files(knowledge))
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(
        ["10-warehouse.yaml", *(f"{t}.yaml" for t in teams if t != "warehouse")]
    )
    reloaded = yaml.safe_load((folder / "10-warehouse.yaml").read_text(encoding="utf-8"))
    assert any(r["id"].startswith("imported-") for r in reloaded["responsibilities"])


# --- the source guides in ../shared/seeds ----------------------------------------------------------------

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} not present")
ROLES_GUIDE = [
    "head-of-digital",
    "ecommerce-sme",
    "marketing-manager",
    "business-analyst",
    "it",
    "warehouse",
    "logistics-manager",
    "inventory-manager",
    "customer-service",
    "content",
]
TEAMS_GUIDE = [
    "marketing",
    "it",
    "customer-service",
    "ecommerce",
    "warehouse",
    "c-level",
    "content",
    "data",
    "finance",
]


def _seed_report(kb: KnowledgeBase) -> ImportReport:
    return import_files(kb, sorted(SEEDS.glob("*.txt")))


def _check_seed_report(report: ImportReport) -> None:
    by_name = {Path(g.path).name[:3]: g for g in report.guides}
    for prefix, language in (("000", "zh-TW"), ("002", "sv"), ("003", "ko"), ("004", "nl")):
        guide = by_name[prefix]
        assert guide.language == language
        assert guide.guide_name == "Roles and responsibilities", guide.path
        assert [s.target for s in guide.sections] == ROLES_GUIDE, guide.path
    assert by_name["004"].identified_by == "outline"  # the Dutch copy has no exl-id
    teams_guide = by_name["001"]
    assert teams_guide.identified_by == "exl-id"
    assert [s.target for s in teams_guide.sections] == TEAMS_GUIDE
    assert report.unmatched == 0


@needs_seeds
def test_seeds_map_every_section_on_a_fixture_kb(kb: KnowledgeBase) -> None:
    report = _seed_report(kb)
    _check_seed_report(report)
    # the same bullet in four translations lands on one responsibility
    contracts = [
        r
        for r in report.kb.role("head-of-digital").responsibilities
        if r.text.get("sv") == "Hantera kontrakt"
    ]
    assert len(contracts) == 1 and {"zh-TW", "sv", "ko", "nl"} <= set(contracts[0].text)
    assert not [f for f in validate(report.kb) if f.level == "error"]


@needs_seeds
def test_seeds_map_every_section_on_the_bundled_kb() -> None:
    bundled = load_knowledge()
    missing = set(ROLES_GUIDE + TEAMS_GUIDE) - set(bundled.teams) - set(bundled.roles)
    if missing:
        pytest.skip(f"bundled knowledge not complete yet (missing {sorted(missing)})")
    _check_seed_report(_seed_report(bundled))
