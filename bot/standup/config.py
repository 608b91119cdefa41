"""Per-team standup settings, parsed from the optional `standup:` block of each directory team entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.directory import (
    Directory,
    DirectoryError,
    Schedule,
    bundled_directory_path,
    parse_duration,
    parse_schedule,
    parse_time,
)
from bot.languages import LANGUAGES

DEFAULT_QUESTIONS: tuple[str, ...] = ("yesterday", "today", "blockers")
BLOCKER_KEY = "blockers"
DEFAULT_LEAD = timedelta(minutes=90)  # ask this long before the digest unless ask_time is given
DEFAULT_REMIND_BEFORE = timedelta(minutes=30)
MAX_QUESTIONS = 10


@dataclass(frozen=True)
class Question:
    """One standup question. Built-in keys take their text from the catalogs; custom ones carry it."""

    key: str
    text: Mapping[str, str] = field(default_factory=dict)  # language -> text; empty: catalog text
    blocker: bool = False  # answers are split into blockers and routed


@dataclass(frozen=True)
class StandupSettings:
    """When and whom a team's standup asks, and what. `report_time` is the team's digest time."""

    team: str
    enabled: bool
    ask_time: time
    report_time: time
    remind_before: timedelta
    schedule: Schedule  # time zone, working days, holidays
    questions: tuple[Question, ...]
    participants: tuple[str, ...]
    language: str  # the team's language (its report)

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


def _question(raw: Any, where: str) -> Question:
    if isinstance(raw, str):
        key, text, blocker = raw, {}, raw == BLOCKER_KEY
    elif isinstance(raw, Mapping) and raw.get("key"):
        key = str(raw["key"])
        text_raw = raw.get("text") or {}
        if isinstance(text_raw, str):
            text_raw = {"en": text_raw}
        if not isinstance(text_raw, Mapping) or any(lang not in LANGUAGES for lang in text_raw):
            raise DirectoryError(f"{where}.text: a mapping of language ({', '.join(LANGUAGES)}) to text")
        text = {str(k): str(v) for k, v in text_raw.items()}
        blocker = bool(raw.get("blocker", key == BLOCKER_KEY))
    else:
        raise DirectoryError(f"{where}: a question is a key like 'today' or {{key: ..., text: ...}}")
    if not key.replace("-", "").replace("_", "").isalnum():
        raise DirectoryError(f"{where}: question key {key!r} must be a single word")
    if key not in DEFAULT_QUESTIONS and not text:
        raise DirectoryError(f"{where}: custom question {key!r} needs a text")
    return Question(key.lower(), text, blocker)


def _questions(raw: Any, where: str) -> tuple[Question, ...]:
    if raw is None:
        return tuple(Question(key, {}, key == BLOCKER_KEY) for key in DEFAULT_QUESTIONS)
    if not isinstance(raw, list) or not raw or len(raw) > MAX_QUESTIONS:
        raise DirectoryError(f"{where}: a list of 1 to {MAX_QUESTIONS} questions")
    questions = tuple(_question(item, f"{where}[{n}]") for n, item in enumerate(raw))
    if len({q.key for q in questions}) != len(questions):
        raise DirectoryError(f"{where}: question keys must be unique")
    return questions


def _merged(directory_raw: Mapping[str, Any], team: str) -> dict[str, Any] | None:
    """defaults.standup overlaid by teams.<team>.standup; None when neither says anything."""
    defaults = (directory_raw.get("defaults") or {}).get("standup")
    own = ((directory_raw.get("teams") or {}).get(team) or {}).get("standup")
    if defaults is None and own is None:
        return None
    merged: dict[str, Any] = {}
    for where, part in (("defaults.standup", defaults), (f"teams.{team}.standup", own)):
        if isinstance(part, bool):
            part = {"enabled": part}
        if part is not None and not isinstance(part, Mapping):
            raise DirectoryError(f"{where}: expected a mapping (or true/false)")
        merged.update(part or {})
    return merged


def standup_settings(directory_raw: Mapping[str, Any], team: str, directory: Directory) -> StandupSettings:
    """The standup settings of `team`; teams, time zone, days and members default to the directory's."""
    where = f"teams.{team}.standup"
    contact = directory.contact(team)
    raw = _merged(directory_raw, team)
    block = raw or {}
    report_time = contact.digest_time
    default_ask = timedelta(hours=report_time.hour, minutes=report_time.minute) - DEFAULT_LEAD
    ask_time = (
        parse_time(block["ask_time"], f"{where}.ask_time")
        if "ask_time" in block
        else time(*divmod(max(int(default_ask.total_seconds()) // 60, 0), 60))
    )
    if ask_time >= report_time:
        raise DirectoryError(
            f"{where}: ask_time {ask_time:%H:%M} must be before the digest time"
            f" {report_time:%H:%M}, when the report is posted"
        )
    remind = parse_duration(block.get("remind_before", DEFAULT_REMIND_BEFORE.total_seconds()))
    participants = tuple(str(p) for p in block.get("participants") or ()) or tuple(
        dict.fromkeys((*contact.members, *contact.owners))
    )
    unknown = [p for p in participants if p not in directory.people]
    if unknown:
        raise DirectoryError(f"{where}.participants: unknown people {', '.join(unknown)}")
    return StandupSettings(
        team=team,
        enabled=raw is not None and bool(block.get("enabled", True)),
        ask_time=ask_time,
        report_time=report_time,
        remind_before=remind,
        schedule=parse_schedule(block, contact.schedule, where, add_holidays=True),
        questions=_questions(block.get("questions"), f"{where}.questions"),
        participants=participants,
        language=contact.language,
    )


def read_directory_raw(path: Path | None = None) -> Mapping[str, Any]:
    """The directory YAML as a mapping (the same file bot.directory loads; bundled when None)."""
    file = path or bundled_directory_path()
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DirectoryError(f"{file}: cannot read the directory: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise DirectoryError(f"{file}: expected a mapping at the top level")
    return raw


def load_standups(
    directory: Directory, path: Path | None = None, raw: Mapping[str, Any] | None = None
) -> dict[str, StandupSettings]:
    """Settings of every directory team (enabled or not), keyed by team id."""
    source = raw if raw is not None else read_directory_raw(path)
    return {team: standup_settings(source, team, directory) for team in directory.teams}
