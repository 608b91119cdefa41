"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temporary folder, unix socket only."""

from __future__ import annotations

import atexit
import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

SKIP_VARIABLE = "ROLEBOT_SKIP_POSTGRES"
MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found: install them (Debian: apt-get install"
    " postgresql; .ci/run does) or set ROLEBOT_SKIP_POSTGRES=1 to skip the PostgreSQL tests locally"
)


def find_bindir() -> Path | None:
    """ROLEBOT_PG_BINDIR when set; else `pg_config --bindir` when it has the server binaries, else the
    newest /usr/lib/postgresql/*/bin."""
    chosen = os.environ.get("ROLEBOT_PG_BINDIR", "").strip()
    if chosen:
        return Path(chosen) if (Path(chosen) / "initdb").exists() else None
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()))
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += [Path(p) for p in sorted(versions, key=lambda p: int(p.split("/")[-2]), reverse=True)]
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    return None


def _free_port() -> int:
    # The socket file is named after the port; a free TCP port keeps it unique on shared machines too.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """One cluster. As root, the server runs as the `postgres` user (initdb refuses to run as root)."""

    bindir: Path
    base: Path
    port: int
    run_as: str | None

    @property
    def url(self) -> str:
        return self.url_for("rolebot")

    def url_for(self, database: str) -> str:
        return f"postgresql://rolebot@/{database}?host={self.base}&port={self.port}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")

    @classmethod
    def start(cls, bindir: Path, *, durable: bool = False) -> PostgresServer:
        base = Path(tempfile.mkdtemp(prefix="rolebot-pg-"))
        run_as = None
        if os.geteuid() == 0:
            run_as = "postgres" if _user_exists("postgres") else "nobody"
            entry = pwd.getpwnam(run_as)
            os.chown(base, entry.pw_uid, entry.pw_gid)
        server = cls(bindir, base, _free_port(), run_as)
        data = base / "data"
        server._run("initdb", "-D", str(data), "-U", "rolebot", "--auth=trust", "-E", "UTF8", "--no-sync")
        # Test data is thrown away: no fsync, no TCP, the socket in our own folder (benchmarks: durable).
        options = f"-p {server.port} -k {base} -c listen_addresses='' -c max_connections=60"
        if durable:
            options += " -c shared_buffers=256MB"
        else:
            options += (
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB"
            )
        server._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start")
        server._run("createdb", "-h", str(base), "-p", str(server.port), "-U", "rolebot", "rolebot")
        return server

    def stop(self) -> None:
        if not self.base.exists():
            return  # stopped already
        try:
            self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


# ---- pytest fixtures (registered by conftest's pytest_plugins): one cluster per xdist worker ----


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Started on first use; fails (never skips silently) without the binaries unless told to skip."""
    bindir = find_bindir()
    problem = None if bindir is not None else MISSING
    if problem is None and importlib.util.find_spec("psycopg") is None:
        problem = (
            "psycopg is not installed: pip install psycopg[binary] psycopg_pool (or ROLEBOT_SKIP_POSTGRES=1)"
        )
    if problem is not None:
        if os.environ.get(SKIP_VARIABLE) == "1":
            pytest.skip(f"{SKIP_VARIABLE}=1: PostgreSQL tests skipped")
        pytest.fail(problem, pytrace=False)
    assert bindir is not None
    server = PostgresServer.start(bindir)
    atexit.register(server.stop)  # an interrupted session (pytest -x under xdist) skips the teardown below
    yield server
    from bot.storage.postgres.pool import close_shared

    close_shared()
    server.stop()


@pytest.fixture(scope="session")
def postgres_database(postgres_server: PostgresServer) -> str:
    """One database migrated once per worker; tests empty it rather than make their own (CREATE
    DATABASE takes 0.5-1 s on a busy machine, TRUNCATE of every table a few milliseconds)."""
    from bot.storage.postgres.migrate import apply_migrations
    from bot.storage.postgres.pool import connect

    with connect(postgres_server.url) as conn:
        conn.autocommit = True
        conn.execute("CREATE DATABASE rolebot_test")
    with connect(postgres_server.url_for("rolebot_test")) as conn:
        apply_migrations(conn)
    return postgres_server.url_for("rolebot_test")


@pytest.fixture()
def pg_url(postgres_database: str) -> str:
    """The URL of the worker's migrated database, emptied, with ids starting again at 1."""
    from bot.storage.postgres.pool import connect

    with connect(postgres_database) as conn:
        tables = [
            str(row[0])
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                " AND table_type = 'BASE TABLE' AND table_name != 'rolebot_migrations'"
            )
        ]
        # replica mode: the audit log's append-only trigger refuses TRUNCATE, rightly, except here
        conn.execute("SET session_replication_role = replica")
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]
    return postgres_database


@pytest.fixture()
def pg_pool(pg_url: str) -> Iterator[ConnectionPool]:
    from bot.storage.postgres.pool import open_pool

    pool = open_pool(pg_url, max_size=8)
    yield pool
    pool.close()
