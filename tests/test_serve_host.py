"""Where the servers listen: `--host` on every serve command; Teams in Emulator mode (no MicrosoftAppId, so
nothing is authenticated) only on loopback unless --host says otherwise, and it says so at start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from handlers.cli.main import cli

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening_on(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp) of sockets listening on `port`."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.add(address)
    return found


@pytest.mark.parametrize("command", ["slack", "teams", "all"])
def test_every_serve_command_takes_host(command: str) -> None:
    result = CliRunner().invoke(cli, ["serve", command, "--help"])
    assert result.exit_code == 0 and "--host" in result.output


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the listening sockets from /proc")
def test_teams_emulator_mode_listens_on_loopback_only_and_says_so(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MicrosoftApp")}
    env.update(ROLEBOT_DB=str(tmp_path / "r.db"), ROLEBOT_LOG_FORMAT="text", ROLEBOT_SWEEP_SECONDS="0")
    code = "from handlers.cli.main import main; main()"
    child = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "teams", "--port", str(port)],
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stderr is not None
        lines = [child.stderr.readline()]
        while "rolebot Teams bot on" not in lines[-1]:
            lines.append(child.stderr.readline())
            assert lines[-1], "".join(lines)
        assert "http://127.0.0.1:" in lines[-1]
        assert "not authenticated; listening on 127.0.0.1 only" in child.stderr.readline()
        for _ in range(200):  # the log line comes just before the socket is bound
            if _listening_on(port):
                break
            time.sleep(0.05)
        assert _listening_on(port) == {"0100007F"}  # 127.0.0.1, not 0.0.0.0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)
