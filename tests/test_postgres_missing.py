"""Without the PostgreSQL binaries the PostgreSQL tests fail loudly, unless ROLEBOT_SKIP_POSTGRES=1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
def test_needs_postgres(postgres_server):
    assert postgres_server.url
"""


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    tests = Path(__file__).resolve().parent
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["postgres_server"]\n', encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": f"{tests}{os.pathsep}{tests.parent}", **env}
    environment.pop("ROLEBOT_SKIP_POSTGRES", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_missing_binaries_fail_with_a_message_saying_what_to_do(tmp_path: Path) -> None:
    done = _run(tmp_path, ROLEBOT_PG_BINDIR=str(tmp_path / "nowhere"))
    assert done.returncode == 1, done.stdout
    assert "apt-get install postgresql" in done.stdout and "ROLEBOT_SKIP_POSTGRES=1" in done.stdout
    assert "1 error" in done.stdout


def test_rolebot_skip_postgres_skips_them_instead(tmp_path: Path) -> None:
    done = _run(tmp_path, ROLEBOT_PG_BINDIR=str(tmp_path / "nowhere"), ROLEBOT_SKIP_POSTGRES="1")
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
