"""`rolebot kb init`: a new knowledge base from an organisation's own guides (## teams, ### roles)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bot.kb.guide import Guide, Section
from bot.kb.import_map import GuideMap, ImportMap, SectionMap, normalise_heading
from bot.kb.importer import ImportReport, import_guides
from bot.kb.validate import normalise_word
from bot.knowledge import KnowledgeBase, team_from_dict, team_to_dict
from bot.languages import LANGUAGES

_ALIASES = re.compile(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$")
_ALIAS_SPLIT = re.compile(r"\s*[,，、;；/]\s*")
RESPONSIBILITY_ID_WORDS = 5
ID_MAX = 40


@dataclass(frozen=True)
class Created:
    """A team or role made from a heading: its id, how the id was chosen and where its names came from."""

    id: str
    kind: str  # "team" or "role"
    team: str  # the team itself, or the role's team
    heading: str
    how: str  # "heading", "map" (the --map file named it), "numbered" (no Latin letters) or "renamed"
    languages: tuple[str, ...]
    responsibilities: int = 0
    aliases: tuple[str, ...] = ()
    summary_from_bullets: bool = False


@dataclass(frozen=True)
class Dropped:
    """A team or role that could not be made: its id, heading and why."""

    id: str
    kind: str
    heading: str
    reason: str


@dataclass(frozen=True)
class InitReport:
    """What became what (the created ids and the section-by-section import) and what was left out."""

    created: tuple[Created, ...]
    dropped: tuple[Dropped, ...]
    guides: ImportReport
    kb: KnowledgeBase

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": [asdict(c) for c in self.created],
            "dropped": [asdict(d) for d in self.dropped],
            **self.guides.to_dict(),
        }


def slugify(text: str) -> str:
    """ASCII id from a heading: 'Food & Beverage' -> 'food-beverage', 'Städ' -> 'stad'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def split_heading(heading: str) -> tuple[str, tuple[str, ...]]:
    """'Front Office (Reception, front desk)' -> ('Front Office', ('Reception', 'front desk'))."""
    match = _ALIASES.match(heading)
    if not match or not match.group(1):
        return heading.strip(), ()
    aliases = tuple(a for a in _ALIAS_SPLIT.split(match.group(2).strip()) if a)
    return match.group(1).strip(), aliases


def families(guides: Sequence[Guide]) -> list[list[Guide]]:
    """Translations of one guide together: the same exl-id, or (without one) the same outline as exactly
    one family that lacks the guide's language; every other guide starts a family of its own."""
    out: list[list[Guide]] = []
    by_id: dict[str, list[Guide]] = {}
    for guide in (g for g in guides if g.guide_id):
        if guide.guide_id not in by_id:
            by_id[str(guide.guide_id)] = []
            out.append(by_id[str(guide.guide_id)])
        by_id[str(guide.guide_id)].append(guide)
    for guide in (g for g in guides if not g.guide_id):
        fits = [
            f
            for f in out
            if _primary(f).outline() == guide.outline() and guide.language not in {g.language for g in f}
        ]
        if len(fits) == 1:
            fits[0].append(guide)
        else:
            out.append([guide])
    return out


def _primary(family: Sequence[Guide]) -> Guide:
    """The guide whose headings give the ids: English when there is one, else the first given."""
    return next((g for g in family if g.language == "en"), family[0])


@dataclass
class _Owner:
    """A team or role being built: names, aliases and summary per language."""

    id: str
    kind: str
    team: str
    heading: str
    how: str
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)

    def learn(self, section: Section, language: str) -> None:
        name, aliases = split_heading(section.heading)
        self.names.setdefault(language, name)
        known = self.aliases.setdefault(language, [])
        known.extend(a for a in aliases if a not in known)
        sentences = section.sentences()
        if sentences and language not in self.summary:
            self.summary[language] = " ".join(sentences[:2])


class _Skeleton:
    """Teams and roles from the families' headings, before any responsibility is merged in."""

    def __init__(self, headings: Mapping[str, str]) -> None:
        self.headings = headings  # normalised heading -> id, from the --map file
        self.owners: dict[str, _Owner] = {}
        self.numbered = 0

    def _id(self, heading: str, kind: str, team: str | None) -> tuple[str, str]:
        name, _ = split_heading(heading)
        explicit = self.headings.get(normalise_heading(heading)) or self.headings.get(normalise_heading(name))
        if explicit:
            return explicit, "map"
        slug = slugify(normalise_heading(name))[:ID_MAX].strip("-")  # "Warehouse team" -> warehouse
        how = "heading"
        if not slug:
            self.numbered += 1
            slug, how = f"{kind}-{self.numbered}", "numbered"
        existing = self.owners.get(slug)
        if existing is None or (existing.kind == kind and (kind == "team" or existing.team == team)):
            return slug, how
        # a role named like a team, or like a role of another team: keep both, qualified by the team
        return f"{team}-{slug}" if team else f"{slug}-team", "renamed"

    def owner(self, heading: str, kind: str, team: str | None) -> _Owner:
        owner_id, how = self._id(heading, kind, team)
        if owner_id not in self.owners:
            self.owners[owner_id] = _Owner(owner_id, kind, team or owner_id, heading, how)
            if team:
                self.owners[team].roles.append(owner_id)
        return self.owners[owner_id]

    def add_family(self, key: str, family: Sequence[Guide]) -> GuideMap:
        """Owners for the primary guide's sections, names from every translation with the same outline."""
        primary = _primary(family)
        aligned = [g for g in family if g.outline() == primary.outline()]
        sections = []
        for i, section in enumerate(primary.sections):
            team = self.owner(section.heading, "team", None)
            roles = [self.owner(sub.heading, "role", team.id) for sub in section.subsections]
            for guide in aligned:
                team.learn(guide.sections[i], guide.language)
                for role, sub in zip(roles, guide.sections[i].subsections, strict=True):
                    role.learn(sub, guide.language)
            sections.append(SectionMap(team.id, tuple(r.id for r in roles)))
        return GuideMap(key, primary.title or key, tuple(sections))

    def knowledge(self) -> KnowledgeBase:
        teams = {}
        for owner in self.owners.values():
            if owner.kind == "team":
                raw = _owner_dict(owner)
                raw["roles"] = [_owner_dict(self.owners[r]) for r in owner.roles]
                teams[owner.id] = team_from_dict(raw, f"kb init {owner.id}")
        return KnowledgeBase(teams)


def _owner_dict(owner: _Owner) -> dict[str, Any]:
    aliases = {lang: words for lang, words in owner.aliases.items() if words}
    return {"id": owner.id, "names": owner.names, "summary": owner.summary, "aliases": aliases}


def init_guides(guides: Sequence[Guide], headings: Mapping[str, str] | None = None) -> InitReport:
    """A knowledge base made from `guides`; `headings` (normalised heading -> id) overrides the ids."""
    skeleton = _Skeleton(headings or {})
    maps: dict[str, GuideMap] = {}
    keys: dict[int, str] = {}  # id(guide) -> its family's map key
    how: dict[int, str] = {}  # id(guide) -> how it joined its family
    for n, family in enumerate(families(guides), 1):
        primary = _primary(family)
        key = primary.guide_id or f"kb-init-{n}"
        maps[key] = skeleton.add_family(key, family)
        for guide in family:
            keys[id(guide)] = key
            how[id(guide)] = "exl-id" if guide.guide_id else "headings" if guide is primary else "outline"
    # every guide carries its family's key, so the import aligns translations by section and position
    tagged = [replace(g, meta={**g.meta, "exl-id": keys[id(g)]}) for g in guides]
    imported = import_guides(skeleton.knowledge(), tagged, ImportMap(maps))
    reports = tuple(
        replace(r, guide_id=g.guide_id, identified_by=how[id(g)] if r.identified_by else None)
        for g, r in zip(guides, imported.guides, strict=True)
    )
    return _finish(skeleton, replace(imported, guides=reports))


def _finish(skeleton: _Skeleton, imported: ImportReport) -> InitReport:
    """Readable responsibility ids, summaries for owners without a paragraph, empty owners dropped."""
    teams = {tid: team_to_dict(team) for tid, team in imported.kb.teams.items()}
    created: list[Created] = []
    dropped: list[Dropped] = []
    used: set[str] = set()
    for team_id, team in list(teams.items()):
        owner = skeleton.owners[team_id]
        team_entry = len(created)
        roles = []
        for role in team["roles"]:
            role_owner = skeleton.owners[role["id"]]
            if role["responsibilities"]:
                created.append(_complete(role, role_owner, used, role["responsibilities"]))
                roles.append(role)
            else:
                dropped.append(_dropped(role_owner, "no bullets or sentences under it"))
        team["roles"] = roles
        if not team["responsibilities"] and not roles:
            dropped.append(_dropped(owner, "no bullets, sentences or roles under it"))
            del teams[team_id]
            continue
        # a team with roles only is summed up by its roles' names
        fallback = team["responsibilities"] or [{"text": r["names"]} for r in roles]
        created.insert(team_entry, _complete(team, owner, used, fallback))
        team["languages"] = [lang for lang in LANGUAGES if lang in _languages(team)]
    _resolve_name_clashes(teams)
    kb = KnowledgeBase({tid: team_from_dict(raw, f"kb init {tid}") for tid, raw in teams.items()})
    return InitReport(tuple(created), tuple(dropped), imported, kb)


def _dropped(owner: _Owner, reason: str) -> Dropped:
    return Dropped(owner.id, owner.kind, owner.heading, reason)


def _languages(team: Mapping[str, Any]) -> set[str]:
    owners = [team, *team["roles"]]
    langs = {lang for owner in owners for lang in owner["names"]}
    return langs | {lang for o in owners for r in o["responsibilities"] for lang in r["text"]}


def _complete(raw: dict[str, Any], owner: _Owner, used: set[str], fallback: list[dict[str, Any]]) -> Created:
    """Give `raw`'s responsibilities readable ids and, when it has no paragraph, a summary from `fallback`."""
    for resp in raw["responsibilities"]:
        resp["id"] = _unique(_responsibility_slug(resp["text"], owner.id), used)
    from_bullets = False
    for lang in raw["names"]:
        if not raw["summary"].get(lang):
            texts = [item["text"][lang] for item in fallback if item["text"].get(lang)][:3]
            raw["summary"][lang] = "; ".join(texts) or raw["names"][lang]
            from_bullets = True
    return Created(
        owner.id,
        owner.kind,
        owner.team,
        owner.heading,
        owner.how,
        tuple(lang for lang in LANGUAGES if lang in raw["names"]),
        len(raw["responsibilities"]),
        tuple(a for words in raw["aliases"].values() for a in words),
        from_bullets,
    )


def _responsibility_slug(text: Mapping[str, str], owner_id: str) -> str:
    source = text.get("en") or next(iter(text.values()), "")
    label, dash, _ = source.partition(" — ")
    words = slugify(label if dash else source).split("-")[:RESPONSIBILITY_ID_WORDS]
    slug = "-".join(words)[:ID_MAX].strip("-")
    return slug or owner_id


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def _resolve_name_clashes(teams: Mapping[str, dict[str, Any]]) -> None:
    """Names and aliases must point at one team: a role named like something in another team ('Shift
    lead' twice) gets its team's name added; an alias two teams use is dropped from both."""
    claims: dict[str, set[str]] = {}  # across languages, as `kb validate` checks them
    for team_id, team in teams.items():
        for owner in [team, *team["roles"]]:
            for word in [*owner["names"].values(), *(a for ws in owner["aliases"].values() for a in ws)]:
                claims.setdefault(normalise_word(word), set()).add(team_id)
    for team in teams.values():
        for owner in [team, *team["roles"]]:
            for lang, words in owner["aliases"].items():
                owner["aliases"][lang] = [w for w in words if len(claims[normalise_word(w)]) == 1]
        for role in team["roles"]:
            for lang, name in list(role["names"].items()):
                if len(claims[normalise_word(name)]) > 1:
                    role["names"][lang] = f"{name} ({team['names'].get(lang, team['id'])})"


__all__ = ["Created", "Dropped", "InitReport", "families", "init_guides", "slugify", "split_heading"]
