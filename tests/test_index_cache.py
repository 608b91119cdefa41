"""The routing index kept on disk between runs: read back when it matches, rebuilt when anything changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.index_cache import load_indexed
from bot.knowledge import bundled_knowledge_dir
from bot.router import Router


def cached(folder: Path) -> list[Path]:
    return sorted(folder.glob("index-*.pickle"))


def test_a_built_index_is_kept_and_read_back(tmp_path: Path) -> None:
    kb, index = load_indexed(None, tmp_path)
    [kept] = cached(tmp_path)
    again_kb, again = load_indexed(None, tmp_path)
    assert cached(tmp_path) == [kept]
    question = "who handles returns?"
    assert Router(again_kb, index=again).route(question).team == Router(kb, index=index).route(question).team


def test_a_damaged_cache_file_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    load_indexed(None, tmp_path)
    [kept] = cached(tmp_path)
    kept.write_bytes(b"not a pickle")
    kb, index = load_indexed(None, tmp_path)
    assert Router(kb, index=index).route("who handles returns?").team == "customer-service"
    assert kept.read_bytes() != b"not a pickle"


def test_changed_knowledge_is_a_new_key(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), knowledge)
    load_indexed(knowledge, tmp_path / "cache")
    team_file = sorted((knowledge / "teams").glob("*.yaml"))[0]
    team_file.write_text(team_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load_indexed(knowledge, tmp_path / "cache")
    assert len(cached(tmp_path / "cache")) == 2
