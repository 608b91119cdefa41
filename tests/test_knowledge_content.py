"""Checks on the bundled knowledge base content: ids, languages, coverage and no copied seed text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.languages import LANGUAGES

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

REQUIRED_TEAMS = {
    "ecommerce",
    "marketing",
    "it",
    "customer-service",
    "warehouse",
    "content",
    "data",
    "finance",
    "c-level",
}
REQUIRED_ROLES = {
    "head-of-digital": "ecommerce",
    "ecommerce-sme": "ecommerce",
    "business-analyst": "ecommerce",
    "marketing-manager": "marketing",
    "developer": "it",
    "tester": "it",
    "logistics-manager": "warehouse",
    "inventory-manager": "warehouse",
}
# Seed sentences at least this long must never appear verbatim in our files.
MIN_COPIED_LENGTH = 30


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_required_team_ids_present(kb: KnowledgeBase) -> None:
    assert set(kb.teams) >= REQUIRED_TEAMS


def test_required_roles_belong_to_their_team(kb: KnowledgeBase) -> None:
    roles = kb.roles
    for role_id, team_id in REQUIRED_ROLES.items():
        assert role_id in roles, role_id
        assert roles[role_id].team == team_id, role_id


def test_every_text_exists_in_all_languages(kb: KnowledgeBase) -> None:
    missing = []
    for team in kb.teams.values():
        owners = [(team.id, team.names, team.summary, team.responsibilities)]
        owners += [(r.id, r.names, r.summary, r.responsibilities) for r in team.roles]
        for owner, names, summary, resps in owners:
            for lang in LANGUAGES:
                if not names.get(lang):
                    missing.append(f"{owner} name {lang}")
                if not summary.get(lang):
                    missing.append(f"{owner} summary {lang}")
                for resp in resps:
                    if not resp.text.get(lang):
                        missing.append(f"{owner}/{resp.id} text {lang}")
                    if not resp.terms.get(lang):
                        missing.append(f"{owner}/{resp.id} terms {lang}")
    assert missing == []


def test_every_team_has_at_least_three_responsibilities(kb: KnowledgeBase) -> None:
    for team in kb.teams.values():
        assert len(team.responsibilities) >= 3, team.id


def test_every_role_has_responsibilities(kb: KnowledgeBase) -> None:
    for role in kb.roles.values():
        assert role.responsibilities, role.id


def test_responsibility_ids_unique_within_each_team_file(kb: KnowledgeBase) -> None:
    for team in kb.teams.values():
        ids = [r.id for r in team.responsibilities]
        ids += [r.id for role in team.roles for r in role.responsibilities]
        assert len(ids) == len(set(ids)), team.id


def test_role_ids_unique_across_teams(kb: KnowledgeBase) -> None:
    role_ids = [role.id for team in kb.teams.values() for role in team.roles]
    assert len(role_ids) == len(set(role_ids))


def test_coordinates_with_references_existing_teams(kb: KnowledgeBase) -> None:
    for team in kb.teams.values():
        assert team.id not in team.coordinates_with, team.id
        for other in team.coordinates_with:
            assert other in kb.teams, f"{team.id} -> {other}"


def test_marketing_aligns_with_warehouse_and_customer_service(kb: KnowledgeBase) -> None:
    # The guides single this out: promotions on low-stock items hurt customers and support.
    assert {"warehouse", "customer-service"} <= set(kb.team("marketing").coordinates_with)


def test_no_alias_claimed_by_two_teams(kb: KnowledgeBase) -> None:
    owner: dict[tuple[str, str], str] = {}
    clashes = []
    for team in kb.teams.values():
        alias_sets = [team.aliases] + [role.aliases for role in team.roles]
        for aliases in alias_sets:
            for lang, words in aliases.items():
                for word in words:
                    key = (lang, word.casefold())
                    if owner.setdefault(key, team.id) != team.id:
                        clashes.append(f"{key} in {owner[key]} and {team.id}")
    assert clashes == []


def _seed_sentences(text: str) -> set[str]:
    """Sentences of the seed bodies (front matter dropped, markdown marks stripped)."""
    body = re.sub(r"\A---.*?\n---", "", text, count=1, flags=re.S)
    body = re.sub(r"[*#>`]|\[!NOTE\]", " ", body)
    parts = re.split(r"(?<=[.!?。！？；;:：])\s*|\n+|\s[-—]\s", body)
    sentences = set()
    for part in parts:
        sentence = " ".join(part.split()).strip(" -—")
        if len(sentence) >= MIN_COPIED_LENGTH:
            sentences.add(sentence.casefold())
    return sentences


def test_no_seed_sentence_copied_verbatim() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    sentences: set[str] = set()
    for seed in sorted(SEEDS.glob("*.txt")):
        sentences |= _seed_sentences(seed.read_text(encoding="utf-8"))
    assert sentences, "no seed sentences found: the splitter is broken"
    copied = []
    for file in sorted((bundled_knowledge_dir() / "teams").glob("*.yaml")):
        ours = " ".join(file.read_text(encoding="utf-8").split()).casefold()
        copied += [f"{file.name}: {s}" for s in sentences if s in ours]
    assert copied == []


def test_seed_check_detects_a_copied_sentence() -> None:
    # Guards the check above against a splitter that finds nothing useful.
    sentence = "The warehouse team ships every order on the same day it arrives."
    sample = f"---\ntitle: x\n---\n\n## Team\n\n{sentence}\n"
    sentences = _seed_sentences(sample)
    assert sentence.casefold() in sentences
