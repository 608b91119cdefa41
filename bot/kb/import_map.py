"""Map files for `rolebot kb import`: known guides' section layouts and heading → id matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from bot.knowledge import KnowledgeBase, bundled_knowledge_dir

NAME_CUTOFF = 82.0  # heading vs a team/role name or alias (token_sort_ratio, 0-100)

# Words that say "a group of people" rather than which one: "IT-teamet" and "IT" name the same team.
_GENERIC = frozenset(
    ["team", "teams", "teamet", "teamen", "grupp", "gruppen", "avdelning", "avdelningen", "afdeling", "dept"]
)
_GENERIC_SUFFIXES = ("團隊", "团队", "小組", "部門", "팀", "grupp", "gruppen", "teamet", "team")


class KbImportError(ValueError):
    """An import cannot run (bad map file, unsafe output folder); the message says what to change."""


@dataclass(frozen=True)
class SectionMap:
    """What one `##` section of a known guide becomes."""

    target: str | None  # None: skip the section on purpose
    sub: tuple[str | None, ...] = ()  # one id per `###` sub-section
    items: tuple[str | None, ...] = ()  # one id per bullet (each bullet describes another team)


@dataclass(frozen=True)
class GuideMap:
    """The section layout of one known guide, keyed by its exl-id."""

    key: str
    name: str
    sections: tuple[SectionMap, ...]

    def outline(self) -> tuple[int, ...]:
        return tuple(len(section.sub) for section in self.sections)


@dataclass(frozen=True)
class ImportMap:
    """Known guides (by exl-id) and explicit heading → id mappings."""

    guides: Mapping[str, GuideMap] = field(default_factory=dict)
    headings: Mapping[str, str] = field(default_factory=dict)  # normalised heading -> id

    def merged(self, other: ImportMap) -> ImportMap:
        """This map with `other`'s entries added, `other` winning on the same key."""
        return ImportMap({**self.guides, **other.guides}, {**self.headings, **other.headings})


def _ids(raw: Any, where: str) -> tuple[str | None, ...]:
    if not isinstance(raw, list):
        raise KbImportError(f"{where}: expected a list of ids")
    return tuple(None if item is None else str(item) for item in raw)


def _section_map(raw: Any, where: str) -> SectionMap:
    if raw is None or isinstance(raw, str):
        return SectionMap(raw)
    if not isinstance(raw, Mapping):
        raise KbImportError(f"{where}: expected an id, null, {{id, sub}} or {{items}}")
    target = raw.get("id")
    sub = _ids(raw["sub"], f"{where}.sub") if "sub" in raw else ()
    items = _ids(raw["items"], f"{where}.items") if "items" in raw else ()
    return SectionMap(None if target is None else str(target), sub, items)


def import_map_from_dict(raw: Mapping[str, Any], where: str = "map") -> ImportMap:
    """Build an ImportMap from parsed YAML (see knowledge/import_map.yaml)."""
    guides = {}
    for key, entry in (raw.get("guides") or {}).items():
        entry_where = f"{where}: guides.{key}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("sections"), list):
            raise KbImportError(f"{entry_where}: needs a 'sections' list")
        sections = tuple(
            _section_map(item, f"{entry_where}.sections[{i}]") for i, item in enumerate(entry["sections"])
        )
        guides[str(key)] = GuideMap(str(key), str(entry.get("name", key)), sections)
    headings_raw = raw.get("headings") or {}
    if not isinstance(headings_raw, Mapping):
        raise KbImportError(f"{where}: 'headings' must map heading text to an id")
    headings = {normalise_heading(str(k)): str(v) for k, v in headings_raw.items()}
    return ImportMap(guides, headings)


def bundled_import_map_path() -> Path:
    return bundled_knowledge_dir() / "import_map.yaml"


def load_import_map(path: Path | None = None) -> ImportMap:
    """Read a map file (the bundled knowledge/import_map.yaml when `path` is None)."""
    file = path or bundled_import_map_path()
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KbImportError(f"{file}: map file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KbImportError(f"{file}: not valid YAML ({exc})") from None
    if raw is None:
        return ImportMap()
    if not isinstance(raw, Mapping):
        raise KbImportError(f"{file}: expected 'guides' and/or 'headings' at the top level")
    return import_map_from_dict(raw, str(file))


def normalise_heading(text: str) -> str:
    """Casefolded words of a heading or name, without generic words like 'team' (kept if nothing else)."""
    words = re.sub(r"[\s\-_/·|&]+", " ", unicodedata.normalize("NFKC", text).casefold()).split()
    kept = [w for w in words if w not in _GENERIC]
    if kept:
        last = kept[-1]
        for suffix in _GENERIC_SUFFIXES:
            if last.endswith(suffix) and len(last) > len(suffix):
                kept[-1] = last[: -len(suffix)]
                break
    return " ".join(kept or words)


def name_index(kb: KnowledgeBase) -> dict[str, str]:
    """Normalised team/role names and aliases (every language) → id; a word two ids claim is left out."""
    index: dict[str, str] = {}
    ambiguous: set[str] = set()
    for team in kb.teams.values():
        owners = [(team.id, team.names, team.aliases)] + [(r.id, r.names, r.aliases) for r in team.roles]
        for owner_id, names, aliases in owners:
            words = [*names.values(), *(word for words in aliases.values() for word in words)]
            for word in words:
                key = normalise_heading(word)
                if key and index.setdefault(key, owner_id) != owner_id:
                    ambiguous.add(key)
    return {key: owner for key, owner in index.items() if key not in ambiguous}


def match_heading(heading: str, index: Mapping[str, str]) -> tuple[str, float] | None:
    """The id whose name or alias is closest to `heading`, with its score, if close enough."""
    key = normalise_heading(heading)
    if key in index:
        return index[key], 100.0
    best = process.extractOne(key, list(index), scorer=fuzz.token_sort_ratio, score_cutoff=NAME_CUTOFF)
    return (index[best[0]], float(best[1])) if best else None
