"""Write a knowledge base as team files: where to (never the bundled knowledge), under which names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.kb.import_map import KbImportError
from bot.knowledge import KnowledgeBase, bundled_knowledge_dir, team_to_dict


def team_files(knowledge_dir: Path) -> dict[str, str]:
    """Team id → file name of the team files in a knowledge folder (to keep names on write)."""
    folder = knowledge_dir / "teams" if (knowledge_dir / "teams").is_dir() else knowledge_dir
    names: dict[str, str] = {}
    for file in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(raw, Mapping) and "id" in raw:
            names.setdefault(str(raw["id"]), file.name)
    return names


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def output_folder(
    out: Path | None,
    knowledge_dir: Path,
    in_place: bool,
    cwd: Path | None = None,
    default_name: str = "knowledge-imported",
) -> Path:
    """The folder team files are written to; refuses the bundled knowledge and non-empty folders."""
    bundled = bundled_knowledge_dir()
    if in_place:
        if _inside(knowledge_dir, bundled):
            raise KbImportError(
                "refusing to write into the bundled knowledge; use --out DIR "
                "(or --in-place with your organisation's own --knowledge DIR)"
            )
        return knowledge_dir / "teams" if (knowledge_dir / "teams").is_dir() else knowledge_dir
    if out is None:
        base = (cwd or Path.cwd()) / default_name
        out = next(
            p
            for n in range(1, 10_000)
            if not (p := base if n == 1 else base.with_name(f"{base.name}-{n}")).exists()
        )
    if _inside(out, bundled) or _inside(out, knowledge_dir):
        raise KbImportError(
            f"{out}: is inside the knowledge being imported into; choose a new folder or use --in-place"
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise KbImportError(f"{out}: exists and is not empty; choose a new folder")
    return out / "teams"


def write_knowledge(
    kb: KnowledgeBase,
    folder: Path,
    file_names: Mapping[str, str] | None = None,
    command: str = "kb import",
) -> list[Path]:
    """Write one YAML file per team into `folder` (created if needed); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for team in kb.teams.values():
        file = folder / (file_names or {}).get(team.id, f"{team.id}.yaml")
        text = yaml.safe_dump(team_to_dict(team), allow_unicode=True, sort_keys=False, width=120)
        file.write_text(f"# {team.id}: written by `rolebot {command}`\n{text}", encoding="utf-8")
        written.append(file)
    return written
