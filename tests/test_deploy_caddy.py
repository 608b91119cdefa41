"""deploy/Caddyfile, run through the real `caddy validate` where caddy is installed (skipped elsewhere)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CADDYFILE = Path(__file__).resolve().parent.parent / "deploy" / "Caddyfile"
CADDY = shutil.which("caddy")
pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy is not installed (apt-get install caddy)")


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(CADDY), "validate", "--config", str(path), "--adapter", "caddyfile"]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_the_deploy_caddyfile_is_valid() -> None:
    result = _validate(CADDYFILE)
    assert result.returncode == 0, result.stderr


def test_caddy_validate_refuses_a_broken_file(tmp_path: Path) -> None:
    # The check above can fail: a directive caddy does not know is refused.
    broken = tmp_path / "Caddyfile"
    broken.write_text(CADDYFILE.read_text(encoding="utf-8").replace("respond 404", "respond_nowhere 404"))
    assert _validate(broken).returncode != 0
