"""deploy/compose.yaml and its Caddyfile agree: PostgreSQL, a migration step, two replicas behind Caddy."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_two_replicas_share_one_postgres_after_migrating_behind_caddy() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    replicas = [name for name, s in services.items() if s.get("command") == ["all"]]
    assert replicas == ["rolebot-a", "rolebot-b"]
    assert services["migrate"]["entrypoint"] == ["rolebot", "db", "migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    for name in replicas:
        service = services[name]
        assert service["environment"]["ROLEBOT_DATABASE_URL"].startswith("postgresql://rolebot:")
        assert "@postgres:5432/rolebot" in service["environment"]["ROLEBOT_DATABASE_URL"]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert (
        services["migrate"]["environment"]["ROLEBOT_DATABASE_URL"]
        == (services["rolebot-a"]["environment"]["ROLEBOT_DATABASE_URL"])
    )
    mount = next(v for v in services["caddy"]["volumes"] if v.endswith(":/etc/caddy/Caddyfile:ro"))
    caddyfile = (DEPLOY / mount.split(":")[0]).read_text(encoding="utf-8")
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddyfile)
    assert upstreams and upstreams.group(1).split() == [f"{name}:3000" for name in replicas]
    assert "health_uri /readyz" in caddyfile
