"""Import Markdown role/team guides into a knowledge base, aligned to its existing team and role ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.kb.guide import Bullet, Guide, Section, parse_guide, split_sentences
from bot.kb.import_map import (
    GuideMap,
    ImportMap,
    KbImportError,
    SectionMap,
    load_import_map,
    match_heading,
    name_index,
    normalise_heading,
)
from bot.knowledge import KnowledgeBase, team_from_dict, team_to_dict

ALIGN_CUTOFF = 85.0  # imported sentence vs an existing responsibility text in the same language


@dataclass(frozen=True)
class SectionReport:
    """What one section matched (`how`: map, structure, name or parent) and what it contributed."""

    heading: str
    level: int
    target: str | None
    kind: str | None = None  # "team" or "role"
    how: str | None = None
    score: float | None = None
    added: int = 0
    aligned: int = 0
    filled: int = 0  # aligned texts that gave an existing responsibility a new language
    replaced: int = 0
    reason: str = ""  # why nothing was matched

    @property
    def matched(self) -> bool:
        return self.target is not None


@dataclass(frozen=True)
class GuideReport:
    """The outcome of importing one guide."""

    path: str
    title: str
    language: str
    guide_id: str | None
    guide_name: str | None  # the map entry used, when the guide was recognised
    identified_by: str | None  # "exl-id" or "outline"
    note: str
    sections: tuple[SectionReport, ...]

    @property
    def unmatched(self) -> tuple[SectionReport, ...]:
        return tuple(s for s in self.sections if not s.matched)


@dataclass(frozen=True)
class ImportReport:
    """Every guide's report and the merged knowledge base."""

    guides: tuple[GuideReport, ...]
    kb: KnowledgeBase

    def total(self, counter: str) -> int:
        return sum(getattr(s, counter) for g in self.guides for s in g.sections)

    @property
    def unmatched(self) -> int:
        return sum(len(g.unmatched) for g in self.guides)

    def to_dict(self) -> dict[str, Any]:
        totals = {name: self.total(name) for name in ("added", "aligned", "filled", "replaced")}
        return {
            "guides": [
                {
                    **{k: v for k, v in asdict(g).items() if k != "sections"},
                    "sections": [asdict(s) for s in g.sections],
                }
                for g in self.guides
            ],
            **totals,
            "unmatched": self.unmatched,
        }


@dataclass(frozen=True)
class _Planned:
    """A section (or one bullet of an `items` section) with its target and the texts it brings."""

    heading: str
    level: int
    target: str | None
    how: str | None
    score: float | None
    texts: tuple[str, ...]
    slot: tuple[Any, ...] | None  # where the same text sits in other translations of the guide
    reason: str = ""


def _bullet_text(bullet: Bullet) -> str:
    if bullet.label and bullet.body:
        first = split_sentences(bullet.body)
        return f"{bullet.label} — {first[0] if first else bullet.body}"
    return bullet.text


def section_texts(section: Section) -> tuple[str, ...]:
    """A section's bullets, or its paragraph sentences when it has no bullets."""
    if section.bullets:
        return tuple(_bullet_text(b) for b in section.bullets)
    return tuple(section.sentences())


class _Planner:
    """Decides, per section, which id it maps to and how."""

    def __init__(self, kb: KnowledgeBase, imap: ImportMap) -> None:
        self.imap = imap
        self.index = name_index(kb)

    def identify(self, guide: Guide) -> tuple[GuideMap | None, str | None, str]:
        known = self.imap.guides.get(guide.guide_id) if guide.guide_id else None
        if known is not None:
            if known.outline() == guide.outline():
                return known, "exl-id", ""
            return None, None, f"outline differs from map entry {known.name!r}; sections matched by name"
        candidates = [g for g in self.imap.guides.values() if g.outline() == guide.outline()]
        if len(candidates) == 1 and self._agrees(guide, candidates[0]):
            return candidates[0], "outline", ""
        return None, None, ""

    def _agrees(self, guide: Guide, gm: GuideMap) -> bool:
        """Whether the headings that name-match at all mostly name what the map says (at least one)."""
        agree = disagree = 0
        for section, sm in zip(guide.sections, gm.sections, strict=True):
            pairs = [(section.heading, {sm.target, *sm.items} - {None})]
            pairs += [(sub.heading, {sid}) for sub, sid in zip(section.subsections, sm.sub, strict=True)]
            for heading, expected in pairs:
                found = match_heading(heading, self.index)
                if found and expected:
                    agree += found[0] in expected
                    disagree += found[0] not in expected
        return agree >= 1 and agree >= disagree

    def plan(self, guide: Guide, gm: GuideMap | None) -> list[_Planned]:
        out: list[_Planned] = []
        for i, section in enumerate(guide.sections):
            sm = gm.sections[i] if gm else None
            slot = (gm.key, i) if gm else None
            if sm is not None and sm.items and normalise_heading(section.heading) not in self.imap.headings:
                out.extend(self._items(section, sm, slot))
                continue
            top = self._one(section, 2, sm.target if sm else None, sm is not None, None, slot)
            out.append(top)
            for j, sub in enumerate(section.subsections):
                sub_target = sm.sub[j] if sm else None
                sub_slot = (*slot, j) if slot else None
                out.append(self._one(sub, 3, sub_target, sm is not None, top.target, sub_slot))
        return out

    def _one(
        self,
        section: Section,
        level: int,
        mapped: str | None,
        structured: bool,
        parent: str | None,
        slot: tuple[Any, ...] | None,
    ) -> _Planned:
        texts = section_texts(section)
        explicit = self.imap.headings.get(normalise_heading(section.heading))
        if explicit:
            return _Planned(section.heading, level, explicit, "map", None, texts, None)
        if structured:
            reason = "" if mapped else "skipped by the map"
            return _Planned(
                section.heading, level, mapped, "structure" if mapped else None, None, texts, slot, reason
            )
        found = match_heading(section.heading, self.index)
        if found:
            return _Planned(section.heading, level, found[0], "name", round(found[1], 1), texts, None)
        if parent:
            return _Planned(section.heading, level, parent, "parent", None, texts, None)
        return _Planned(
            section.heading,
            level,
            None,
            None,
            None,
            texts,
            None,
            "no team or role name is close to this heading",
        )

    def _items(self, section: Section, sm: SectionMap, slot: tuple[Any, ...] | None) -> list[_Planned]:
        out = []
        for k, bullet in enumerate(section.bullets):
            target = sm.items[k] if k < len(sm.items) else None
            texts = tuple(split_sentences(bullet.body)) if bullet.label else (bullet.text,)
            heading = f"{section.heading} / {bullet.label or bullet.text[:40]}"
            reason = "" if target else "the map lists no id for this item"
            item_slot = (*slot, "item", k) if slot else None
            out.append(
                _Planned(heading, 2, target, "structure" if target else None, None, texts, item_slot, reason)
            )
        return out


def _norm_text(text: str) -> str:
    return utils.default_process(unicodedata.normalize("NFKC", text))


class _Merger:
    """Mutable copy of the knowledge base that imported texts are merged into."""

    def __init__(self, kb: KnowledgeBase, replace: bool) -> None:
        self.replace = replace
        self.teams = {team_id: team_to_dict(team) for team_id, team in kb.teams.items()}
        self.owners: dict[str, tuple[str, dict[str, Any]]] = {}
        for team in self.teams.values():
            for role in team["roles"]:
                self.owners.setdefault(role["id"], ("role", role))
        for team_id, team in self.teams.items():
            self.owners[team_id] = ("team", team)  # a team wins over a role of the same id
        numbers = [
            int(m.group(1))
            for _, owner in self.owners.values()
            for r in owner["responsibilities"]
            if (m := re.fullmatch(r"imported-(\d+)", r["id"]))
        ]
        self.next_number = max(numbers, default=0) + 1
        self.slots: dict[tuple[Any, ...], str] = {}
        self.slot_sizes: dict[tuple[Any, ...], int] = {}

    def _align(self, resps: list[dict[str, Any]], text: str, language: str) -> dict[str, Any] | None:
        existing = {
            i: _norm_text(r["text"][language]) for i, r in enumerate(resps) if r["text"].get(language)
        }
        if not existing:
            return None
        best = process.extractOne(
            _norm_text(text), existing, scorer=fuzz.token_sort_ratio, score_cutoff=ALIGN_CUTOFF
        )
        return resps[best[2]] if best else None

    def add(self, planned: _Planned, language: str) -> SectionReport:
        """Merge the planned section's texts into its target; report the counts."""
        kind, owner = self.owners[planned.target or ""]
        resps: list[dict[str, Any]] = owner["responsibilities"]
        slot = planned.slot
        if slot is not None and self.slot_sizes.setdefault(slot, len(planned.texts)) != len(planned.texts):
            slot = None  # this translation has another number of items: position says nothing
        counts: dict[str, Any] = {"added": 0, "aligned": 0, "filled": 0, "replaced": 0}
        for k, text in enumerate(planned.texts):
            resp = self._align(resps, text, language)
            if resp is None and slot is not None and (slot, k) in self.slots:
                resp = next((r for r in resps if r["id"] == self.slots[(slot, k)]), None)
            if resp is None:
                resp = {"id": f"imported-{self.next_number}", "text": {language: text}, "terms": {}}
                self.next_number += 1
                resps.append(resp)
                counts["added"] += 1
            else:
                counts["aligned"] += 1
                current = resp["text"].get(language)
                if not current:
                    resp["text"][language] = text
                    counts["filled"] += 1
                elif current != text and self.replace:
                    resp["text"][language] = text
                    counts["replaced"] += 1
            if slot is not None:
                self.slots.setdefault((slot, k), resp["id"])
        return SectionReport(
            planned.heading, planned.level, planned.target, kind, planned.how, planned.score, **counts
        )

    def knowledge(self) -> KnowledgeBase:
        return KnowledgeBase({tid: team_from_dict(raw, f"imported {tid}") for tid, raw in self.teams.items()})


def import_guides(
    kb: KnowledgeBase, guides: Sequence[Guide], import_map: ImportMap | None = None, replace: bool = False
) -> ImportReport:
    """Merge parsed guides into (a copy of) `kb`; existing texts stay unless `replace` is set."""
    imap = load_import_map() if import_map is None else import_map
    planner = _Planner(kb, imap)
    merger = _Merger(kb, replace)
    reports = []
    for guide in guides:
        gm, identified_by, note = planner.identify(guide)
        sections = []
        for planned in planner.plan(guide, gm):
            if planned.target is not None and planned.target not in merger.owners:
                sections.append(
                    SectionReport(
                        planned.heading,
                        planned.level,
                        None,
                        reason=f"the map names unknown id {planned.target!r}",
                    )
                )
            elif planned.target is None:
                sections.append(SectionReport(planned.heading, planned.level, None, reason=planned.reason))
            else:
                sections.append(merger.add(planned, guide.language))
        reports.append(
            GuideReport(
                guide.path,
                guide.title,
                guide.language,
                guide.guide_id,
                gm.name if gm else None,
                identified_by,
                note,
                tuple(sections),
            )
        )
    return ImportReport(tuple(reports), merger.knowledge())


def import_files(
    kb: KnowledgeBase,
    paths: Sequence[Path],
    import_map: ImportMap | None = None,
    language: str | None = None,
    replace: bool = False,
) -> ImportReport:
    """Parse guide files (`language` overrides detection) and merge them into `kb`."""
    return import_guides(kb, [parse_guide(path, language) for path in paths], import_map, replace)


__all__ = [
    "GuideMap",
    "GuideReport",
    "ImportMap",
    "ImportReport",
    "KbImportError",
    "SectionReport",
    "import_files",
    "import_guides",
    "load_import_map",
]
