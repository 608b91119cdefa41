"""CLI commands for the knowledge base: `rolebot kb init|import|validate|show`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NoReturn

import click
from rapidfuzz import fuzz, process

from bot.commands.language import team_index
from bot.config import Config
from bot.kb.guide import GuideError, parse_guide
from bot.kb.importer import (
    ImportReport,
    KbImportError,
    SectionReport,
    import_guides,
    load_import_map,
)
from bot.kb.init import InitReport, init_guides
from bot.kb.validate import Finding, validate, validate_folder
from bot.kb.write import output_folder, team_files, write_knowledge
from bot.knowledge import KnowledgeBase, KnowledgeError, bundled_knowledge_dir, load_knowledge, team_to_dict
from bot.languages import LANGUAGES, pick

_LANG = click.Choice(LANGUAGES, case_sensitive=False)
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_KNOWLEDGE_HELP = "Knowledge folder (default: $ROLEBOT_KNOWLEDGE, else the bundled knowledge)."


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def _knowledge_dir(option: Path | None) -> Path:
    return option or Config.from_env(os.environ).knowledge_dir or bundled_knowledge_dir()


def _load(knowledge_dir: Path) -> KnowledgeBase:
    try:
        return load_knowledge(knowledge_dir)
    except KnowledgeError as exc:
        _fail(f"{exc} (run `rolebot kb validate` for every problem)", 1)


def _language(value: str | None) -> str | None:
    """Click's case-insensitive choice returns the user's spelling; use the canonical code."""
    return next((lang for lang in LANGUAGES if value and lang.lower() == value.lower()), None)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _section_line(section: SectionReport) -> str:
    marker = "#" * section.level
    if not section.matched:
        return f"  {marker} {section.heading} -> not matched: {section.reason}"
    how = f"{section.how}, {section.score:g}" if section.score is not None else section.how
    counts = f"{section.added} added, {section.aligned} aligned"
    if section.filled or section.replaced:
        counts += f" ({_count(section.filled, 'new translation')}, {section.replaced} replaced)"
    return f"  {marker} {section.heading} -> {section.target} ({section.kind}, by {how}): {counts}"


def _print_guides(report: ImportReport) -> None:
    for guide in report.guides:
        known = "unknown guide"
        if guide.guide_name:
            known = f"guide {guide.guide_name!r} (by {guide.identified_by})"
        click.echo(f"{guide.path}: {guide.language}, {guide.title!r}, {known}")
        if guide.note:
            click.echo(f"  note: {guide.note}")
        if not guide.sections:
            click.echo("  no ## sections found")
        for section in guide.sections:
            click.echo(_section_line(section))
    click.echo(
        f"Total: {report.total('added')} added, {report.total('aligned')} aligned "
        f"({_count(report.total('filled'), 'new translation')}, {report.total('replaced')} replaced), "
        f"{_count(report.unmatched, 'unmatched section')}."
    )


def _print_written(written: list[Path], folder: Path | None) -> None:
    if folder is None:
        click.echo("Dry run: nothing written.")
    else:
        click.echo(f"Wrote {len(written)} team files to {folder}")


@click.group("kb")
def kb_group() -> None:
    """Knowledge base: import role/team guides, validate, show a team or role."""


@kb_group.command("import")
@click.argument("files", nargs=-1, required=True, type=_FILE)
@click.option(
    "--map",
    "map_file",
    type=_FILE,
    help="Extra map file (guides by exl-id, headings -> ids); overrides the bundled map.",
)
@click.option("--lang", type=_LANG, help="Language of the guides (default: front matter, else detected).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="New (or empty) folder for the merged knowledge (default: ./knowledge-imported[-N]).",
)
@click.option("--knowledge", type=click.Path(file_okay=False, path_type=Path), help=_KNOWLEDGE_HELP)
@click.option("--in-place", is_flag=True, help="Write into --knowledge itself (never the bundled knowledge).")
@click.option("--replace", is_flag=True, help="Overwrite existing texts in the guide's language.")
@click.option("--dry-run", is_flag=True, help="Report only; write nothing.")
@click.option("--strict", is_flag=True, help="Exit 1 when a section could not be matched.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def import_command(
    files: tuple[Path, ...],
    map_file: Path | None,
    lang: str | None,
    out: Path | None,
    knowledge: Path | None,
    in_place: bool,
    replace: bool,
    dry_run: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Merge Markdown role/team guides (any language) into the knowledge, aligned to existing ids."""
    knowledge_dir = _knowledge_dir(knowledge)
    kb = _load(knowledge_dir)
    try:
        imap = load_import_map()
        if map_file is not None:
            imap = imap.merged(load_import_map(map_file))
        folder = None if dry_run else output_folder(out, knowledge_dir, in_place)
        guides = [parse_guide(file, _language(lang)) for file in files]
    except (KbImportError, GuideError) as exc:
        _fail(str(exc))
    report = import_guides(kb, guides, imap, replace=replace)
    written = [] if folder is None else write_knowledge(report.kb, folder, team_files(knowledge_dir))
    if as_json:
        findings = validate(report.kb)
        click.echo(
            json.dumps(
                {
                    **report.to_dict(),
                    "knowledge": str(knowledge_dir),
                    "out": None if folder is None else str(folder),
                    "written": [str(path) for path in written],
                    "validation": {
                        "errors": sum(f.level == "error" for f in findings),
                        "warnings": sum(f.level == "warning" for f in findings),
                    },
                },
                ensure_ascii=False,
            )
        )
    else:
        _print_guides(report)
        _print_written(written, folder)
    if strict and report.unmatched:
        raise SystemExit(1)


def _print_init(report: InitReport) -> None:
    click.echo("Teams and roles:")
    for item in report.created:
        indent = "  " if item.kind == "team" else "    "
        langs = ", ".join(item.languages)
        how = "" if item.how == "heading" else f", id {item.how}"
        line = f"{indent}{item.kind} {item.id} <- {item.heading!r} [{langs}{how}]: "
        line += f"{item.responsibilities} responsibilit{'y' if item.responsibilities == 1 else 'ies'}"
        if item.summary_from_bullets:
            line += ", summary from its bullets"
        click.echo(line)
    for gone in report.dropped:
        click.echo(f"  not placed: {gone.kind} {gone.id} <- {gone.heading!r}: {gone.reason}")
    _print_guides(report.guides)


@kb_group.command("init")
@click.option("--from", "files", multiple=True, required=True, type=_FILE, help="A guide (repeat for more).")
@click.argument("more", nargs=-1, type=_FILE)
@click.option("--map", "map_file", type=_FILE, help="Map file whose 'headings' give ids to headings.")
@click.option("--lang", type=_LANG, help="Language of the guides (default: front matter, else detected).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="New (or empty) folder for the knowledge (default: ./knowledge-init[-N]).",
)
@click.option("--dry-run", is_flag=True, help="Report only; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def init_command(
    files: tuple[Path, ...],
    more: tuple[Path, ...],
    map_file: Path | None,
    lang: str | None,
    out: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Create a knowledge base from your own guides: ## sections become teams, ### roles, bullets
    responsibilities; translations of a guide (same exl-id, or same outline) are aligned."""
    try:
        headings = load_import_map(map_file).headings if map_file else {}
        folder = (
            None if dry_run else output_folder(out, bundled_knowledge_dir(), False, None, "knowledge-init")
        )
        guides = [parse_guide(file, _language(lang)) for file in (*files, *more)]
    except (KbImportError, GuideError) as exc:
        _fail(str(exc))
    report = init_guides(guides, headings)
    written = [] if folder is None else write_knowledge(report.kb, folder, command="kb init")
    findings = validate(report.kb)
    errors = [f for f in findings if f.level == "error"]
    if as_json:
        summary = {"errors": len(errors), "warnings": len(findings) - len(errors)}
        out_path = None if folder is None else str(folder.parent)
        extra = {"out": out_path, "written": [str(p) for p in written], "validation": summary}
        click.echo(json.dumps({**report.to_dict(), **extra}, ensure_ascii=False))
    else:
        _print_init(report)
        for finding in errors:
            click.echo(_finding_line(finding))
        click.echo(
            f"Validation: {_count(len(errors), 'error')}, {_count(len(findings) - len(errors), 'warning')}."
        )
        _print_written(written, folder)
    if errors or not report.kb.teams:
        raise SystemExit(1)


def _directory_path(option: Path | None, knowledge_dir: Path) -> Path | None:
    """--directory, else $ROLEBOT_DIRECTORY, else the knowledge folder's own directory.yaml if any."""
    configured = option or Config.from_env(os.environ).directory_path
    if configured is not None:
        return configured
    candidate = knowledge_dir / "directory.yaml"
    return candidate if candidate.is_file() else None


def _finding_line(finding: Finding) -> str:
    return f"{finding.level:<7} {finding.code:<24} {finding.where}: {finding.message}"


@kb_group.command("validate")
@click.option("--knowledge", type=click.Path(file_okay=False, path_type=Path), help=_KNOWLEDGE_HELP)
@click.option(
    "--directory",
    "directory_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Directory file to check against the knowledge (default: $ROLEBOT_DIRECTORY, "
    "else directory.yaml in the knowledge folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def validate_command(knowledge: Path | None, directory_file: Path | None, as_json: bool) -> None:
    """Check for duplicate ids, dangling references, missing languages and clashing aliases."""
    knowledge_dir = _knowledge_dir(knowledge)
    directory = _directory_path(directory_file, knowledge_dir)
    findings = validate_folder(knowledge_dir, directory)
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": errors == 0,
                    "errors": errors,
                    "warnings": warnings,
                    "knowledge": str(knowledge_dir),
                    "directory": None if directory is None else str(directory),
                    "findings": [f.to_dict() for f in findings],
                },
                ensure_ascii=False,
            )
        )
    else:
        for finding in findings:
            click.echo(_finding_line(finding))
        checked = f"{knowledge_dir}" + (f" with {directory}" if directory else "")
        summary = f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {checked}"
        click.echo(summary if findings else f"OK: {checked}")
    if errors:
        raise SystemExit(1)


def _suggestions(kb: KnowledgeBase, query: str) -> list[str]:
    """Ids whose id, name (any language) or responsibility id is close to `query`, best first."""
    choices: dict[str, str] = {}
    for team in kb.teams.values():
        owners = [(team.id, team.names, team.responsibilities)]
        owners += [(r.id, r.names, r.responsibilities) for r in team.roles]
        for owner_id, names, resps in owners:
            choices.setdefault(owner_id, owner_id)
            for word in [*names.values(), *(resp.id for resp in resps)]:
                choices.setdefault(word, owner_id)
    found = process.extract(query, list(choices), scorer=fuzz.WRatio, limit=12, score_cutoff=60)
    close = [match for match in found if match[1] >= found[0][1] - 10]  # only near the best guess
    # A team's alias or acronym ('cs', 'Kundtjänst') names that team: it comes first, as for `escalate`.
    index = team_index(kb)
    named = sorted(index.lookup(query)) or [t for t in [index.suggest(query)] if t]
    return list(dict.fromkeys([*named, *(choices[match[0]] for match in close)]))[:3]


def _show_text(kb: KnowledgeBase, data: dict[str, Any], language: str) -> list[str]:
    lines = [f"{data['kind']} {data['id']}" + (f" (team {data['team']})" if data["kind"] == "role" else "")]
    lines += [f"  name {lang}: {text}" for lang, text in data["names"].items()]
    lines.append(f"  summary: {pick(data['summary'], language)}")
    if aliases := data["aliases"].get(language):
        lines.append(f"  aliases: {', '.join(aliases)}")
    lines.append("  responsibilities:")
    for resp in data["responsibilities"]:
        lines.append(f"    - {resp['id']}: {pick(resp['text'], language)}")
        if terms := resp["terms"].get(language):
            lines.append(f"        terms: {', '.join(terms)}")
    if data["kind"] == "team":
        roles = [f"{role['id']} ({pick(role['names'], language)})" for role in data["roles"]]
        lines.append(f"  roles: {', '.join(roles) or '-'}")
        coordinates = [
            f"{t} ({kb.team(t).name(language)})" if t in kb.teams else t for t in data["coordinates_with"]
        ]
        lines.append(f"  coordinates with: {', '.join(coordinates) or '-'}")
    return lines


@kb_group.command("show")
@click.argument("item_id", metavar="ID")
@click.option("--lang", type=_LANG, default="en", show_default=True, help="Language of summary and texts.")
@click.option("--knowledge", type=click.Path(file_okay=False, path_type=Path), help=_KNOWLEDGE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (every language).")
def show_command(item_id: str, lang: str, knowledge: Path | None, as_json: bool) -> None:
    """Show a team or role: names, summary, responsibilities with terms, roles, coordination."""
    kb = _load(_knowledge_dir(knowledge))
    language = _language(lang) or "en"
    if item_id in kb.teams:
        data: dict[str, Any] = {"kind": "team", **team_to_dict(kb.teams[item_id])}
    elif item_id in kb.roles:
        team_id = kb.roles[item_id].team
        role = next(r for r in team_to_dict(kb.teams[team_id])["roles"] if r["id"] == item_id)
        data = {"kind": "role", "team": team_id, **role}
    else:
        hints = _suggestions(kb, item_id)
        tail = f"did you mean {', '.join(hints)}?" if hints else f"known teams: {', '.join(kb.teams)}"
        _fail(f"unknown id {item_id!r} - {tail}")
    if as_json:
        click.echo(json.dumps({**data, "language": language}, ensure_ascii=False))
    else:
        click.echo("\n".join(_show_text(kb, data, language)))


@kb_group.command("suggest")
@click.option("--min-count", type=click.IntRange(min=1), default=1, show_default=True, help="Least uses.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per suggestion.")
def suggest_command(min_count: int, as_json: bool) -> None:
    """Words people used in questions they answered by picking or correcting a team, not yet in its terms."""
    from bot.config import Config
    from bot.kb.suggest import suggest_terms
    from bot.runtime import load_kb_for
    from bot.storage.backends import open_stores

    config = Config.from_env(os.environ)
    corrections = open_stores(config.database).feedback.corrections() if config.has_database() else []
    if not corrections:
        click.echo("no corrections yet: nobody has picked or corrected a team")
        return
    suggestions = suggest_terms(load_kb_for(config), corrections, min_count)
    if not suggestions:
        click.echo("no suggested terms: every corrected question's words are already known")
    for item in suggestions:
        if as_json:
            click.echo(json.dumps(item.__dict__, ensure_ascii=False))
        else:
            owner = f"{item.team}/{item.role}" if item.role else item.team
            click.echo(f"{item.count:4}  {owner:32} {item.language:6} {item.word}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(kb_group)
