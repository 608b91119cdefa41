"""Checks a knowledge base (and a directory) for duplicate ids, dangling references, gaps and clashes."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.directory import Directory, DirectoryError, load_directory
from bot.knowledge import KnowledgeBase, KnowledgeError, Responsibility, Team, team_from_dict
from bot.languages import LANGUAGES

Level = Literal["error", "warning"]
GENERIC_LEAD = "lead"  # directory leads/escalation key meaning "the team's lead", not a knowledge role


@dataclass(frozen=True)
class Finding:
    """One problem: `error` (must fix) or `warning`, a stable `code`, a message and where it is."""

    level: Level
    code: str
    message: str
    where: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _error(code: str, message: str, where: str) -> Finding:
    return Finding("error", code, message, where)


def _warning(code: str, message: str, where: str) -> Finding:
    return Finding("warning", code, message, where)


def normalise_word(word: str) -> str:
    """Casefolded, NFKC, punctuation and extra spaces removed: 'Send-back ' == 'send back'."""
    text = unicodedata.normalize("NFKC", word).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _owners(team: Team) -> Iterator[tuple[str, str, tuple[Responsibility, ...]]]:
    """(where, id, responsibilities) for the team and each of its roles."""
    yield f"team {team.id}", team.id, team.responsibilities
    for role in team.roles:
        yield f"role {role.id} (team {team.id})", role.id, role.responsibilities


def _check_ids(kb: KnowledgeBase) -> Iterator[Finding]:
    role_seen: dict[str, str] = {}
    resp_seen: dict[str, str] = {}
    for team in kb.teams.values():
        for role in team.roles:
            where = f"role {role.id} (team {team.id})"
            if role.id in role_seen:
                msg = f"role id {role.id!r} is also defined in {role_seen[role.id]}"
                yield _error("duplicate-role", msg, where)
            role_seen.setdefault(role.id, f"team {team.id}")
            if role.id in kb.teams:
                yield _error("id-clash", f"role id {role.id!r} is also a team id", where)
        team_resps: set[str] = set()
        for where, _, resps in _owners(team):
            for resp in resps:
                if resp.id in team_resps:
                    yield _error(
                        "duplicate-responsibility",
                        f"responsibility id {resp.id!r} is used twice in team {team.id}",
                        where,
                    )
                elif resp.id in resp_seen:
                    msg = f"responsibility id {resp.id!r} is also used in {resp_seen[resp.id]}"
                    yield _warning("duplicate-responsibility", msg, where)
                team_resps.add(resp.id)
                resp_seen.setdefault(resp.id, where)


def _check_references(kb: KnowledgeBase) -> Iterator[Finding]:
    for team in kb.teams.values():
        for other in team.coordinates_with:
            if other == team.id:
                yield _warning("self-reference", "coordinates_with names the team itself", f"team {team.id}")
            elif other not in kb.teams:
                msg = f"coordinates_with names unknown team {other!r}"
                yield _error("unknown-team", msg, f"team {team.id}")
        if team.lead_role and team.lead_role not in {role.id for role in team.roles}:
            msg = f"lead_role {team.lead_role!r} is not one of the team's roles"
            yield _error("unknown-role", msg, f"team {team.id}")


def _missing(text: Mapping[str, str], languages: tuple[str, ...] = LANGUAGES) -> list[str]:
    return [lang for lang in languages if not (text.get(lang) or "").strip()]


def _check_declared(team: Team) -> Iterator[Finding]:
    """A team file that says which languages it is written in: only those must be complete."""
    where = f"team {team.id}"
    if unknown := [lang for lang in team.languages if lang not in LANGUAGES]:
        yield _error("unknown-language", f"languages names unsupported {', '.join(unknown)}", where)
    if absent := [lang for lang in LANGUAGES if lang not in team.languages]:
        msg = f"written in {', '.join(team.languages)} only; questions in {', '.join(absent)} will not route"
        yield _warning("partial-languages", msg, where)


def _check_languages(kb: KnowledgeBase) -> Iterator[Finding]:
    for team in kb.teams.values():
        declared = tuple(lang for lang in team.languages if lang in LANGUAGES) or LANGUAGES
        if team.languages:
            yield from _check_declared(team)
        named = [(f"team {team.id}", team.names, team.summary)]
        named += [(f"role {r.id} (team {team.id})", r.names, r.summary) for r in team.roles]
        for where, names, summary in named:
            for field, text in (("names", names), ("summary", summary)):
                if missing := _missing(text, declared):
                    yield _error("missing-language", f"{field} missing in {', '.join(missing)}", where)
        for where, owner_id, resps in _owners(team):
            if not resps and where.startswith("role"):
                yield _error("empty-responsibilities", f"role {owner_id!r} has no responsibilities", where)
            for resp in resps:
                missing = _missing(resp.text, declared)
                resp_where = f"{where}, responsibility {resp.id}"
                if len(_missing(resp.text)) == len(LANGUAGES):
                    msg = "responsibility has no text in any language"
                    yield _error("empty-responsibility", msg, resp_where)
                elif missing:
                    # imported texts arrive in one language at a time; translating them is follow-up work
                    level = _warning if resp.id.startswith("imported-") else _error
                    yield level("missing-language", f"text missing in {', '.join(missing)}", resp_where)
        if not team.responsibilities and not any(role.responsibilities for role in team.roles):
            yield _error(
                "empty-responsibilities",
                f"team {team.id!r} has no responsibilities at all",
                f"team {team.id}",
            )


def _claims(kb: KnowledgeBase) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Normalised word → {team id: where} for names/aliases, and the same for responsibility terms."""
    names: dict[str, dict[str, str]] = defaultdict(dict)
    terms: dict[str, dict[str, str]] = defaultdict(dict)
    for team in kb.teams.values():
        owners = [(f"team {team.id}", team.names, team.aliases)]
        owners += [(f"role {r.id} (team {team.id})", r.names, r.aliases) for r in team.roles]
        for where, owner_names, aliases in owners:
            for word in [*owner_names.values(), *(w for ws in aliases.values() for w in ws)]:
                if key := normalise_word(word):
                    names[key].setdefault(team.id, where)
        for where, _, resps in _owners(team):
            for resp in resps:
                for word in (w for ws in resp.terms.values() for w in ws):
                    if key := normalise_word(word):
                        terms[key].setdefault(team.id, f"{where}, responsibility {resp.id}")
    return names, terms


def _check_claims(kb: KnowledgeBase) -> Iterator[Finding]:
    names, terms = _claims(kb)
    for word, teams in sorted(names.items()):
        if len(teams) > 1:
            msg = f"name/alias {word!r} is claimed by teams {', '.join(sorted(teams))}"
            yield _error("alias-conflict", msg, "; ".join(teams[t] for t in sorted(teams)))
    for word, teams in sorted(terms.items()):
        if len(teams) > 1:
            yield _warning(
                "shared-term",
                f"term {word!r} is used by teams {', '.join(sorted(teams))}",
                "; ".join(teams[t] for t in sorted(teams)),
            )


def _check_directory(kb: KnowledgeBase, directory: Directory) -> Iterator[Finding]:
    people, roles = directory.people, kb.roles
    yield from _check_chain(kb, directory, directory.default_policy.chain, "directory defaults.escalation")
    for person in sorted(directory.admins - set(people)):
        yield _error("unknown-person", f"admin {person!r} is not in people", "directory admins")
    for team_id, contact in directory.teams.items():
        where = f"directory teams.{team_id}"
        if team_id not in kb.teams:
            yield _error("unknown-team", f"team {team_id!r} is not in the knowledge base", where)
        for person in sorted({*contact.owners, *contact.members, *contact.leads.values()} - set(people)):
            yield _error("unknown-person", f"person {person!r} is not in people", where)
        for role_id in contact.leads:
            if role_id != GENERIC_LEAD and role_id not in roles:
                yield _error("unknown-role", f"leads names unknown role {role_id!r}", where)
            elif role_id in roles and roles[role_id].team != team_id:
                msg = f"lead for role {role_id!r}, a role of team {roles[role_id].team}"
                yield _warning("foreign-role", msg, where)
        if contact.policy is not None and contact.policy.chain != directory.default_policy.chain:
            yield from _check_chain(kb, directory, contact.policy.chain, f"{where}.escalation")
    yield from _check_listen(kb, directory)
    for team_id in kb.teams:
        if team_id not in directory.teams:
            yield _warning(
                "no-contact", f"team {team_id!r} has no directory entry (fallback is used)", "directory teams"
            )


def _check_listen(kb: KnowledgeBase, directory: Directory) -> Iterator[Finding]:
    """listen.channels: their team and owners must exist."""
    for channel in directory.channels:
        where = f"directory listen.channels.{channel.name}"
        if channel.team is not None and channel.team not in kb.teams:
            yield _error("unknown-team", f"team {channel.team!r} is not in the knowledge base", where)
        for person in sorted(set(channel.owners) - set(directory.people)):
            yield _error("unknown-person", f"person {person!r} is not in people", where)


def _check_chain(kb: KnowledgeBase, directory: Directory, chain: Any, where: str) -> Iterator[Finding]:
    for level in chain:
        kind, _, ref = level.notify.partition(":")
        known = {
            "role": ref == GENERIC_LEAD or ref in kb.roles,
            "person": ref in directory.people,
            "team": ref in kb.teams,
        }.get(kind, level.notify == "channel")
        if not known:
            msg = f"escalation level {level.name!r} notifies unknown {level.notify!r}"
            yield _error("unknown-notify", msg, where)


def validate(kb: KnowledgeBase, directory: Directory | None = None) -> list[Finding]:
    """Every problem in `kb` (and `directory` against it), errors first, in a stable order."""
    findings = [
        *_check_ids(kb),
        *_check_references(kb),
        *_check_languages(kb),
        *_check_claims(kb),
        *(_check_directory(kb, directory) if directory is not None else ()),
    ]
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda f: f.level != "error")


def _read_teams(folder: Path) -> tuple[dict[str, Team], list[Finding]]:
    """Parse every team file, keeping the first of duplicate ids and reporting every broken file."""
    teams: dict[str, Team] = {}
    sources: dict[str, str] = {}
    findings: list[Finding] = []
    for file in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
            if not isinstance(raw, Mapping):
                raise KnowledgeError("expected a team mapping at the top level")
            team = team_from_dict(raw, where=file.name)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            findings.append(_error("invalid-yaml", f"not valid YAML: {exc}", file.name))
            continue
        except (KnowledgeError, TypeError, AttributeError) as exc:
            findings.append(_error("malformed", str(exc), file.name))
            continue
        if team.id in teams:
            msg = f"team id {team.id!r} is also defined in {sources[team.id]}"
            findings.append(_error("duplicate-team", msg, file.name))
            continue
        teams[team.id], sources[team.id] = team, file.name
    return teams, findings


def validate_folder(path: Path, directory_path: Path | None = None) -> list[Finding]:
    """Validate the team files under `path` (or `path/teams`) one by one, so all problems show at once."""
    folder = path / "teams" if (path / "teams").is_dir() else path
    if not folder.is_dir():
        return [_error("not-found", "knowledge folder not found", str(folder))]
    teams, findings = _read_teams(folder)
    if not teams and not findings:
        findings.append(_error("not-found", "no team files (*.yaml) found", str(folder)))
    directory = None
    if directory_path is not None:
        try:
            directory = load_directory(directory_path)
        except DirectoryError as exc:
            findings.append(_error("directory-malformed", str(exc), str(directory_path)))
    return sorted([*findings, *validate(KnowledgeBase(teams), directory)], key=lambda f: f.level != "error")


__all__ = ["Finding", "normalise_word", "validate", "validate_folder"]
