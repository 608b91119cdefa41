"""No module under bot/ or handlers/ grows past 400 lines: a long module is two ideas waiting to be split."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400


def _modules() -> list[Path]:
    return sorted(p for folder in ("bot", "handlers") for p in (ROOT / folder).rglob("*.py"))


def test_the_tree_has_modules_to_measure() -> None:
    assert len(_modules()) > 50


def test_no_module_is_over_400_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}, f"split these by concept (limit {LIMIT} lines): {too_long}"
