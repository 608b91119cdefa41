"""`rolebot kb init`: a knowledge base from an organisation's own guides, checked through the CLI and core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from bot.kb.guide import parse_guide_text
from bot.kb.import_map import normalise_heading
from bot.kb.init import init_guides, slugify, split_heading
from bot.kb.validate import validate
from bot.knowledge import load_knowledge
from handlers.cli.main import cli

ORG = Path(__file__).parent / "data" / "orgs" / "fjordpine"
GUIDES = [
    ORG / name
    for name in ("guest-teams.en.md", "guest-teams.sv.md", "back-office.en.md", "back-office.sv.md")
]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    base: dict[str, str | None] = {"ROLEBOT_KNOWLEDGE": None, "ROLEBOT_DIRECTORY": None}
    return CliRunner().invoke(cli, list(args), env={**base, **(env or {})})


@pytest.fixture(scope="module")
def hotel_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hotel") / "kb"
    result = run("kb", "init", "--from", *map(str, GUIDES), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


# --- the hotel chain's guides, end to end ---------------------------------------------------------------


def test_init_reports_what_became_what(hotel_kb: Path) -> None:
    result = run("kb", "init", "--from", *map(str, GUIDES), "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "  team front-office <- 'Front Office (Reception, front desk)' [en, sv]: 5 responsibilities" in out
    assert "    role night-auditor <- 'Night Auditor' [en, sv]: 3 responsibilities\n" in out
    assert "    role concierge <- 'Concierge' [en, sv]: 3 responsibilities, summary from its bullets" in out
    assert "back-office.en.md: en, 'Behind the scenes', guide 'Behind the scenes' (by exl-id)" in out
    # the Swedish translation has no exl-id: it is recognised by its outline and aligned by position
    assert "back-office.sv.md: sv, 'Bakom kulisserna', guide 'Behind the scenes' (by outline)" in out
    assert "  ### Lönehandläggare -> payroll-officer (role, by structure): 0 added, 3 aligned" in out
    assert "Total: 83 added, 83 aligned (83 new translations, 0 replaced), 0 unmatched sections." in out
    assert "Validation: 0 errors, 10 warnings.\nDry run: nothing written." in out


def test_init_writes_team_files_that_validate(hotel_kb: Path) -> None:
    files = sorted(p.name for p in (hotel_kb / "teams").glob("*.yaml"))
    assert files == [
        f"{team}.yaml"
        for team in (
            "finance",
            "food-beverage",
            "front-office",
            "guest-experience-loyalty",
            "hotel-systems",
            "housekeeping",
            "maintenance",
            "people-culture",
            "revenue-reservations",
            "sales-events",
        )
    ]
    result = run("kb", "validate", "--knowledge", str(hotel_kb), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["errors"], report["warnings"]) == (0, 10)
    assert {f["code"] for f in report["findings"]} == {"partial-languages"}
    front = load_knowledge(hotel_kb).team("front-office")
    assert front.names == {"en": "Front Office", "sv": "Reception"}
    assert front.aliases == {"en": ("Reception", "front desk"), "sv": ("front office", "receptionen")}
    assert front.languages == ("en", "sv")
    first = front.responsibilities[0]
    assert first.id == "checks-guests-in-and-out"
    assert first.text == {
        "en": "Checks guests in and out and hands out room key cards",
        "sv": "Checkar in och ut gäster och lämnar ut nyckelkort till rummen",
    }
    assert front.summary["sv"].startswith("Receptionen är det första och sista ansiktet")


@pytest.mark.parametrize(
    ("question", "team", "role"),
    [
        ("Who checks guests in?", "front-office", None),
        ("the key card does not open the door", "hotel-systems", None),
        ("Who answers reviews on TripAdvisor?", "guest-experience-loyalty", None),
        ("Vem betalar ut lönen?", "finance", "payroll-officer"),
        ("Vem lagar trasiga kranar i gästrummen?", "maintenance", None),
    ],
)
def test_init_output_routes_questions(
    hotel_kb: Path, tmp_path: Path, question: str, team: str, role: str
) -> None:
    env = {"ROLEBOT_KNOWLEDGE": str(hotel_kb), "ROLEBOT_DB": str(tmp_path / "none.db")}
    result = run("ask", "--json", question, env=env)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert (answer["team"], answer["role"]) == (team, role)


def test_init_output_abstains_out_of_scope_and_eval_runs(hotel_kb: Path, tmp_path: Path) -> None:
    env = {"ROLEBOT_KNOWLEDGE": str(hotel_kb), "ROLEBOT_DB": str(tmp_path / "none.db")}
    assert json.loads(run("ask", "--json", "who won the football match", env=env).stdout)["team"] is None
    result = run("eval", "--json", str(ORG / "questions.jsonl"), env=env)
    assert result.exit_code == 0, result.output
    overall = json.loads(result.stdout)["overall"]
    assert overall["counts"] == {"team": 62, "role": 21, "out_of_scope": 5}
    # the README's figure; a floor well under it guards against kb init losing what the guides say
    assert overall["team_accuracy"] >= 0.5


def test_init_json_report_and_refusals(tmp_path: Path) -> None:
    result = run("kb", "init", "--from", str(GUIDES[0]), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["out"] is None and data["written"] == [] and data["validation"]["errors"] == 0
    assert [c["id"] for c in data["created"]][:3] == ["front-office", "night-auditor", "concierge"]
    assert data["guides"][0]["identified_by"] == "exl-id" and data["unmatched"] == 0
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x.txt").write_text("x", encoding="utf-8")
    refused = run("kb", "init", "--from", str(GUIDES[0]), "--out", str(busy))
    assert refused.exit_code == 2 and "exists and is not empty" in refused.stderr
    missing = run("kb", "init", "--out", str(tmp_path / "new"))
    assert missing.exit_code == 2 and "--from" in missing.stderr


def test_init_ids_are_editable_with_a_map(tmp_path: Path) -> None:
    map_file = tmp_path / "ids.yaml"
    map_file.write_text(
        yaml.safe_dump({"headings": {"Front Office": "reception", "Night Auditor": "night-audit"}}),
        encoding="utf-8",
    )
    out = tmp_path / "kb"
    result = run(
        "kb", "init", "--from", str(GUIDES[0]), str(GUIDES[1]), "--map", str(map_file), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "  team reception <- 'Front Office (Reception, front desk)' [en, sv, id map]" in result.stdout
    kb = load_knowledge(out)
    assert kb.roles["night-audit"].team == "reception"
    assert kb.team("reception").names["sv"] == "Reception"


# --- layouts and edge cases, on guides written here -------------------------------------------------------

SHOP = """---
exl-id: shop-1
---
# Shop

## Kitchen (galley)

Cooks for the canteen.

- Plans the lunch menu
- Orders vegetables

### Shift Lead

- Opens the kitchen at six

## Stores team

### Shift Lead

- Counts the pallets

## Empty corner

## 物流部

- 安排貨運
"""

SHOP_SV = """---
exl-id: shop-1
---
# Butik

## Kök (matsal)

Lagar mat till personalmatsalen.

- Planerar lunchmenyn
- Beställer grönsaker

### Skiftledare

- Öppnar köket klockan sex

## Förråd

### Skiftledare

- Räknar pallarna

## Tomt hörn

## 物流部

- 安排貨運
"""


def test_sections_become_teams_roles_and_responsibilities() -> None:
    report = init_guides(
        [parse_guide_text(SHOP, "shop.md", "en"), parse_guide_text(SHOP_SV, "butik.md", "sv")]
    )
    kb = report.kb
    assert list(kb.teams) == ["kitchen", "stores", "team-1"]
    kitchen = kb.team("kitchen")
    assert kitchen.names == {"en": "Kitchen", "sv": "Kök"}
    assert kitchen.aliases == {"en": ("galley",), "sv": ("matsal",)}
    assert [r.id for r in kitchen.responsibilities] == ["plans-the-lunch-menu", "orders-vegetables"]
    assert kitchen.responsibilities[1].text == {"en": "Orders vegetables", "sv": "Beställer grönsaker"}
    # two roles share a heading: the second is qualified by its team, in id and (where they clash) name
    assert [r.id for r in kitchen.roles] == ["shift-lead"]
    stores = kb.team("stores")
    assert [r.id for r in stores.roles] == ["stores-shift-lead"]
    assert stores.names["en"] == "Stores team"  # generic words like "team" stay out of the id
    assert stores.roles[0].names == {"en": "Shift Lead (Stores team)", "sv": "Skiftledare (Förråd)"}
    assert stores.summary == {"en": "Shift Lead", "sv": "Skiftledare"}  # a team of roles only: their names
    # a heading without Latin letters gets a numbered id; an empty section is reported, not invented
    assert kb.team("team-1").names == {"en": "物流部", "sv": "物流部"}
    assert [(d.id, d.reason) for d in report.dropped] == [
        ("empty-corner", "no bullets, sentences or roles under it")
    ]
    how = {c.id: c.how for c in report.created}
    assert (how["kitchen"], how["stores-shift-lead"], how["team-1"]) == ("heading", "renamed", "numbered")
    assert [f for f in validate(kb) if f.level == "error"] == []


def test_translation_with_another_outline_is_matched_by_name_and_reported() -> None:
    other = "---\nexl-id: shop-1\n---\n# Butik\n\n## Kitchen team\n\n- Diskar\n\n## Okänt\n\n- Något\n"
    report = init_guides([parse_guide_text(SHOP, "shop.md", "en"), parse_guide_text(other, "x.md", "sv")])
    guide = report.guides.guides[1]
    assert guide.identified_by is None and guide.note.startswith("outline differs from map entry")
    assert [(s.target, s.how) for s in guide.sections] == [("kitchen", "name"), (None, None)]
    assert report.guides.unmatched == 1
    assert any(r.text.get("sv") == "Diskar" for r in report.kb.team("kitchen").responsibilities)


def test_headings_slugs_and_aliases() -> None:
    assert slugify("Food & Beverage") == "food-beverage"
    assert slugify("Människor & kultur") == "manniskor-kultur"
    assert slugify("物流部") == ""
    assert split_heading("Maintenance (engineering, facilities)") == (
        "Maintenance",
        ("engineering", "facilities"),
    )
    assert split_heading("客服（客戶服務、售後）") == ("客服", ("客戶服務", "售後"))
    assert split_heading("Finance") == ("Finance", ())
    assert normalise_heading("Front Office") == "front office"
