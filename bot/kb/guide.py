"""Parse Markdown role/team guides (front matter, #/##/### sections, bullets, notes) into typed blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.langdetect import detect_language
from bot.languages import normalise_language


class GuideError(ValueError):
    """A guide cannot be read; the message names the file."""


@dataclass(frozen=True)
class Bullet:
    """One list item: its bold lead-in (`label`, may be empty) and the text after it (`body`)."""

    label: str
    body: str

    @property
    def text(self) -> str:
        if self.label and self.body:
            return f"{self.label} — {self.body}"
        return self.label or self.body


@dataclass
class Section:
    """A `##` (or `###`) section: its paragraphs, bullets, notes and sub-sections, in document order."""

    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def sentences(self) -> list[str]:
        """Paragraph sentences that state something (list introductions ending in ':' are left out)."""
        out: list[str] = []
        for paragraph in self.paragraphs:
            out.extend(s for s in split_sentences(paragraph) if not s.endswith((":", "：")))
        return out


@dataclass(frozen=True)
class Guide:
    """A parsed guide: front matter, title, language and its top-level (`##`) sections."""

    path: str
    meta: Mapping[str, Any]
    title: str
    language: str
    sections: tuple[Section, ...]

    @property
    def guide_id(self) -> str | None:
        value = self.meta.get("exl-id") or self.meta.get("id")
        return str(value) if value else None

    def outline(self) -> tuple[int, ...]:
        """The guide's shape: how many `###` sub-sections each `##` section has."""
        return tuple(len(section.subsections) for section in self.sections)


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_NOTE_MARK = re.compile(r"^\[!\w+\]\s*")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LABEL = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$")
_SEPARATOR = re.compile(r"\s*(?:—|–|\s-\s|:\s|-\s)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")


def clean_inline(text: str) -> str:
    """Plain text from inline Markdown: entities decoded, links reduced to their text, emphasis dropped."""
    text = html.unescape(text)
    text = _LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) > 2]


def parse_bullet(raw: str) -> Bullet:
    """Split `**Label** — body` (also `**Label**—body`, `**Half** label: body`) into label and body."""
    match = _LABEL.match(html.unescape(raw.strip()))
    if not match:
        return Bullet("", clean_inline(raw))
    label, rest = clean_inline(match.group(1)), match.group(2)
    separator = _SEPARATOR.search(rest)
    if separator and separator.start() == 0:
        rest = rest[separator.end() :]
    elif separator:
        # the bold covers only part of the label ("**De inhoud** ordenen: ..."): extend it to the separator
        label = clean_inline(f"{label} {rest[: separator.start()]}")
        rest = rest[separator.end() :]
    return Bullet(label, clean_inline(rest))


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter (empty when there is none or it is malformed) and the body after it."""
    if not text.startswith("---"):
        return {}, text
    lines = text.splitlines()
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                meta = yaml.safe_load("\n".join(lines[1:index]))
            except yaml.YAMLError:
                meta = None
            body = "\n".join(lines[index + 1 :])
            return (dict(meta) if isinstance(meta, Mapping) else {}), body
    return {}, text


class _Builder:
    """Line-by-line state of the parser: the open section, paragraph, bullet and note."""

    def __init__(self) -> None:
        self.title = ""
        self.sections: list[Section] = []
        self.current: Section | None = None
        self.paragraph: list[str] = []
        self.bullet: list[str] | None = None
        self.note: list[str] | None = None

    def flush(self) -> None:
        target = self.current
        if self.paragraph and target is not None:
            target.paragraphs.append(clean_inline(" ".join(self.paragraph)))
        if self.bullet is not None and target is not None:
            bullet = parse_bullet(" ".join(self.bullet))
            if bullet.text:
                target.bullets.append(bullet)
        if self.note and target is not None:
            text = clean_inline(" ".join(self.note))
            if text:
                target.notes.append(text)
        self.paragraph, self.bullet, self.note = [], None, None

    def heading(self, level: int, text: str) -> None:
        self.flush()
        text = clean_inline(text)
        if level == 1:
            self.title = self.title or text
            return
        section = Section(heading=text, level=level)
        if level >= 3 and self.sections:
            self.sections[-1].subsections.append(section)
        else:
            section.level = 2
            self.sections.append(section)
        self.current = section

    def line(self, line: str) -> None:
        heading = _HEADING.match(line)
        if heading:
            self.heading(len(heading.group(1)), heading.group(2))
            return
        if not line.strip():
            self.flush()
            return
        if line.lstrip().startswith(">"):
            if self.note is None:
                self.flush()
                self.note = []
            self.note.append(_NOTE_MARK.sub("", line.lstrip()[1:].strip()))
            return
        bullet = _BULLET.match(line)
        if bullet:
            self.flush()
            self.bullet = [bullet.group(1)]
        elif self.bullet is not None:
            self.bullet.append(line.strip())  # continuation of the open list item
        elif self.note is not None:
            self.flush()
            self.paragraph.append(line.strip())
        else:
            self.paragraph.append(line.strip())


def parse_guide_text(text: str, path: str = "<text>", language: str | None = None) -> Guide:
    """Parse a guide's Markdown; `language` overrides the front matter and the detected language."""
    meta, body = split_front_matter(text.replace("\r\n", "\n").lstrip("\ufeff"))
    builder = _Builder()
    for line in body.splitlines():
        builder.line(line)
    builder.flush()
    title = builder.title or str(meta.get("title") or "")
    declared = language or meta.get("lang") or meta.get("language") or meta.get("locale")
    lang = normalise_language(str(declared)) if declared else detect_language(body)  # bot/langdetect.py
    return Guide(path=path, meta=meta, title=title, language=lang, sections=tuple(builder.sections))


def parse_guide(path: Path, language: str | None = None) -> Guide:
    """Read and parse one guide file (UTF-8 Markdown)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GuideError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise GuideError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise GuideError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_guide_text(text, str(path), language)
