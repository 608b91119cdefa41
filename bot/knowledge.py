"""Knowledge base model (teams, roles, responsibilities in five languages) and its YAML loader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.languages import LANGUAGES, LocalizedTerms, LocalizedText, pick

# libyaml's C loader when available: the bundled knowledge parses ~10x faster, which keeps start-up short.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeError(ValueError):
    """A knowledge file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Responsibility:
    """One thing a team or role is accountable for, with the words people use for it."""

    id: str
    text: LocalizedText
    terms: LocalizedTerms = field(default_factory=dict)
    # questions as people ask them, in each language: they teach the router everyday words for the duty
    examples: LocalizedTerms = field(default_factory=dict)


@dataclass(frozen=True)
class Role:
    """A role inside a team (e.g. logistics-manager in warehouse)."""

    id: str
    team: str
    names: LocalizedText
    summary: LocalizedText
    responsibilities: tuple[Responsibility, ...]
    aliases: LocalizedTerms = field(default_factory=dict)

    def name(self, language: str) -> str:
        return pick(self.names, language)


@dataclass(frozen=True)
class Team:
    """An accountable team with its own responsibilities and roles."""

    id: str
    names: LocalizedText
    summary: LocalizedText
    responsibilities: tuple[Responsibility, ...]
    roles: tuple[Role, ...] = ()
    aliases: LocalizedTerms = field(default_factory=dict)
    coordinates_with: tuple[str, ...] = ()
    # the role accountable for the team's own (not role-specific) responsibilities, when one is
    lead_role: str | None = None
    languages: tuple[str, ...] = ()  # the languages the file is written in; empty: all five

    def name(self, language: str) -> str:
        return pick(self.names, language)


@dataclass(frozen=True)
class Entry:
    """A routable unit: one responsibility with the team and (optional) role that own it."""

    team: str
    role: str | None
    responsibility: Responsibility


@dataclass(frozen=True)
class KnowledgeBase:
    """All teams and roles, indexed by their stable ids."""

    teams: Mapping[str, Team]

    @property
    def roles(self) -> dict[str, Role]:
        return {role.id: role for team in self.teams.values() for role in team.roles}

    def team(self, team_id: str) -> Team:
        try:
            return self.teams[team_id]
        except KeyError:
            raise KeyError(f"unknown team {team_id!r}") from None

    def team_name(self, team_id: str, language: str) -> str:
        """The team's name in `language`; an id no team has (renamed, removed) is shown as it is."""
        team = self.teams.get(team_id)
        return (team.name(language) or team_id) if team is not None else team_id

    def role(self, role_id: str) -> Role:
        roles = self.roles
        if role_id not in roles:
            raise KeyError(f"unknown role {role_id!r}")
        return roles[role_id]

    def entries(self) -> Iterator[Entry]:
        """Every responsibility, team-level first, then role-level."""
        for team in self.teams.values():
            for resp in team.responsibilities:
                yield Entry(team.id, None, resp)
            for role in team.roles:
                for resp in role.responsibilities:
                    yield Entry(team.id, role.id, resp)

    def display_name(self, team_id: str, role_id: str | None, language: str) -> str:
        team = self.team(team_id)
        if role_id is None:
            return team.name(language)
        return f"{self.role(role_id).name(language)} ({team.name(language)})"


def _text(raw: Any, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return {"en": raw.strip()}
    if not isinstance(raw, Mapping):
        raise KnowledgeError(f"{where}: expected a mapping of language -> text")
    return {str(lang): str(value).strip() for lang, value in raw.items() if value}


def _terms(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        return {"en": tuple(str(term) for term in raw)}
    if not isinstance(raw, Mapping):
        raise KnowledgeError(f"{where}: expected a mapping of language -> list of words")
    out: dict[str, tuple[str, ...]] = {}
    for lang, words in raw.items():
        if isinstance(words, str):
            words = [words]
        out[str(lang)] = tuple(str(word) for word in words or ())
    return out


def _responsibilities(raw: Any, where: str) -> tuple[Responsibility, ...]:
    out = []
    for index, item in enumerate(raw or ()):
        item_where = f"{where}.responsibilities[{index}]"
        if not isinstance(item, Mapping) or "id" not in item:
            raise KnowledgeError(f"{item_where}: each responsibility needs an id and text")
        out.append(
            Responsibility(
                id=str(item["id"]),
                text=_text(item.get("text"), item_where),
                terms=_terms(item.get("terms"), item_where),
                examples=_terms(item.get("examples"), item_where),
            )
        )
    return tuple(out)


def without_fields(kb: KnowledgeBase, fields: Iterable[str]) -> KnowledgeBase:
    """The same knowledge with every responsibility's `terms` and/or `examples` emptied: what an
    organisation bringing only its own guides starts with (measured by `rolebot eval --without`)."""
    names = set(fields)

    def strip(resps: tuple[Responsibility, ...]) -> tuple[Responsibility, ...]:
        return tuple(
            replace(
                resp,
                terms={} if "terms" in names else resp.terms,
                examples={} if "examples" in names else resp.examples,
            )
            for resp in resps
        )

    teams = {
        team_id: replace(
            team,
            responsibilities=strip(team.responsibilities),
            roles=tuple(replace(role, responsibilities=strip(role.responsibilities)) for role in team.roles),
        )
        for team_id, team in kb.teams.items()
    }
    return KnowledgeBase(teams=teams)


def team_from_dict(raw: Mapping[str, Any], where: str = "team") -> Team:
    """Build a Team (with its roles) from the parsed YAML of one team file."""
    if "id" not in raw:
        raise KnowledgeError(f"{where}: missing 'id'")
    team_id = str(raw["id"])
    roles = []
    for index, role in enumerate(raw.get("roles") or ()):
        role_where = f"{where}.roles[{index}]"
        if not isinstance(role, Mapping) or "id" not in role:
            raise KnowledgeError(f"{role_where}: each role needs an id")
        roles.append(
            Role(
                id=str(role["id"]),
                team=team_id,
                names=_text(role.get("names"), role_where),
                summary=_text(role.get("summary"), role_where),
                responsibilities=_responsibilities(role.get("responsibilities"), role_where),
                aliases=_terms(role.get("aliases"), role_where),
            )
        )
    return Team(
        id=team_id,
        names=_text(raw.get("names"), where),
        summary=_text(raw.get("summary"), where),
        responsibilities=_responsibilities(raw.get("responsibilities"), where),
        roles=tuple(roles),
        aliases=_terms(raw.get("aliases"), where),
        coordinates_with=tuple(str(t) for t in raw.get("coordinates_with") or ()),
        lead_role=str(raw["lead_role"]) if raw.get("lead_role") else None,
        languages=tuple(str(lang) for lang in raw.get("languages") or ()),
    )


def _localized_dict(values: LocalizedText | LocalizedTerms) -> dict[str, Any]:
    return {lang: (list(v) if isinstance(v, tuple) else v) for lang, v in values.items()}


def _responsibilities_dict(resps: Iterable[Responsibility]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "text": _localized_dict(r.text),
            "terms": _localized_dict(r.terms),
            **({"examples": _localized_dict(r.examples)} if r.examples else {}),
        }
        for r in resps
    ]


def team_to_dict(team: Team) -> dict[str, Any]:
    """The YAML-ready form of a team, the inverse of `team_from_dict`."""
    return {
        "id": team.id,
        **({"languages": list(team.languages)} if team.languages else {}),
        "names": _localized_dict(team.names),
        "summary": _localized_dict(team.summary),
        "aliases": _localized_dict(team.aliases),
        "coordinates_with": list(team.coordinates_with),
        **({"lead_role": team.lead_role} if team.lead_role else {}),
        "responsibilities": _responsibilities_dict(team.responsibilities),
        "roles": [
            {
                "id": role.id,
                "names": _localized_dict(role.names),
                "summary": _localized_dict(role.summary),
                "aliases": _localized_dict(role.aliases),
                "responsibilities": _responsibilities_dict(role.responsibilities),
            }
            for role in team.roles
        ],
    }


def bundled_knowledge_dir() -> Path:
    """The knowledge folder shipped with rolebot."""
    return Path(str(resources.files("knowledge")))


def load_knowledge(path: Path | None = None) -> KnowledgeBase:
    """Load every `*.yaml` team file under `path/teams` (or `path` itself), sorted by file name."""
    base = path or bundled_knowledge_dir()
    folder = base / "teams" if (base / "teams").is_dir() else base
    if not folder.is_dir():
        raise KnowledgeError(f"{folder}: knowledge folder not found")
    teams: dict[str, Team] = {}
    for file in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER)
        except yaml.YAMLError as exc:
            raise KnowledgeError(f"{file}: not valid YAML: {exc}") from exc
        if not isinstance(raw, Mapping):
            raise KnowledgeError(f"{file}: expected a team mapping at the top level")
        team = team_from_dict(raw, where=file.name)
        if team.id in teams:
            raise KnowledgeError(f"{file}: team id {team.id!r} is defined twice")
        teams[team.id] = team
    if not teams:
        raise KnowledgeError(f"{folder}: no team files (*.yaml) found")
    return KnowledgeBase(teams=teams)


__all__ = [
    "LANGUAGES",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Responsibility",
    "Role",
    "Team",
    "load_knowledge",
    "team_from_dict",
    "team_to_dict",
]
