"""The Teams app package: manifest.json with the bot's app id filled in, plus the two icons, zipped."""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

MANIFEST_DIR = Path(__file__).parent / "manifest"
APP_ID_PLACEHOLDER = "{{MicrosoftAppId}}"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
Pixel = Callable[[int, int], tuple[int, int, int, int]]
BRAND = (46, 90, 172)  # the accent colour in manifest.json


class PackageError(ValueError):
    """The package cannot be built; the message says why."""


def png(width: int, height: int, pixel: Pixel) -> bytes:
    """An RGBA PNG drawn by `pixel(x, y)`, encoded with zlib/struct only (no imaging dependency)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(struct.pack("BBBB", *pixel(x, y)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _in_mark(x: float, y: float) -> bool:
    """A speech bubble with an up-arrow: 'ask, then escalate', in a unit square."""
    bubble = (x - 0.5) ** 2 / 0.16 + (y - 0.45) ** 2 / 0.1 <= 1 or (
        0.3 <= x <= 0.42 and 0.6 <= y <= 0.82 and x - 0.3 >= (y - 0.6) * 0.5
    )
    arrow = (0.45 <= x <= 0.55 and 0.38 <= y <= 0.62) or (
        0.25 <= y <= 0.42 and abs(x - 0.5) <= (y - 0.25) * 0.9
    )
    return bubble and not arrow


def color_icon(size: int = 192) -> bytes:
    """Full-colour icon: white mark on the brand colour."""

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        return (255, 255, 255, 255) if _in_mark((x + 0.5) / size, (y + 0.5) / size) else (*BRAND, 255)

    return png(size, size, pixel)


def outline_icon(size: int = 32) -> bytes:
    """Outline icon: white mark on transparent, as Teams requires."""

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        return (255, 255, 255, 255) if _in_mark((x + 0.5) / size, (y + 0.5) / size) else (255, 255, 255, 0)

    return png(size, size, pixel)


def write_icons(directory: Path = MANIFEST_DIR) -> None:
    (directory / "color.png").write_bytes(color_icon())
    (directory / "outline.png").write_bytes(outline_icon())


def manifest(app_id: str, directory: Path = MANIFEST_DIR) -> dict[str, Any]:
    """manifest.json with the app id filled in (the Teams app id and the bot id are the Azure app id)."""
    if not _GUID.match(app_id or ""):
        raise PackageError(f"the app id must be the bot's Microsoft App ID (a GUID), got {app_id!r}")
    text = (directory / "manifest.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text.replace(APP_ID_PLACEHOLDER, app_id))
    return data


def build_package(app_id: str, output: Path, directory: Path = MANIFEST_DIR) -> Path:
    """Zip manifest.json, color.png and outline.png (at the zip's root, as Teams expects) into `output`."""
    data = manifest(app_id, directory)
    for icon in ("color.png", "outline.png"):
        if not (directory / icon).is_file():
            raise PackageError(f"{directory / icon} is missing")
    if not output.parent.is_dir():  # a mistyped path should not quietly grow a tree of folders
        raise PackageError(f"folder {output.parent} does not exist: create it first or choose another path")
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.write(directory / "color.png", "color.png")
        archive.write(directory / "outline.png", "outline.png")
    return output
