"""Runtime settings read from the environment once, at start-up (never at import time)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path


class ConfigError(ValueError):
    """A required setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Config:
    """Every setting rolebot reads. Build with `Config.from_env(os.environ)`."""

    db_path: Path = Path("rolebot.db")
    database_url: str | None = None  # postgresql://…: PostgreSQL instead of the SQLite file at db_path
    knowledge_dir: Path | None = None  # None: the bundled knowledge
    directory_path: Path | None = None  # None: the bundled example directory
    cache_dir: Path | None = None  # where `rolebot ask` keeps the built routing index; None: no cache
    log_level: str = "INFO"
    log_format: str = "json"
    port: int | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    teams_app_id: str | None = None
    teams_app_password: str | None = None
    teams_tenant_id: str | None = None
    teams_app_type: str | None = None
    inbox_lease_seconds: float = 30.0  # a dead replica's accepted requests are taken over after this
    outbox_lease_seconds: float = 120.0  # and the notices it was delivering are delivered after this

    @property
    def inbox_lease(self) -> timedelta:
        return timedelta(seconds=self.inbox_lease_seconds)

    @property
    def outbox_lease(self) -> timedelta:
        return timedelta(seconds=self.outbox_lease_seconds)

    @property
    def database(self) -> Path | str:
        """Where the stores live: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.db_path

    @property
    def database_name(self) -> str:
        """The database for messages: the SQLite file, or the URL without its password."""
        return str(self.db_path) if self.database_url is None else redact_url(self.database_url)

    def has_database(self) -> bool:
        """A database to read exists (the SQLite file is made on first write; PostgreSQL is assumed)."""
        return self.database_url is not None or self.db_path.exists()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Config:
        def path(name: str) -> Path | None:
            value = env.get(name, "").strip()
            return Path(value) if value else None

        port_raw = env.get("PORT", "").strip()
        try:
            port = int(port_raw) if port_raw else None
        except ValueError:
            raise ConfigError(f"PORT must be a number, got {port_raw!r}") from None
        database_url = env.get("ROLEBOT_DATABASE_URL", "").strip() or None
        if database_url is not None and not database_url.startswith(("postgresql://", "postgres://")):
            raise ConfigError("ROLEBOT_DATABASE_URL must be a postgresql:// URL (unset it to use ROLEBOT_DB)")
        return cls(
            db_path=path("ROLEBOT_DB") or Path("rolebot.db"),
            database_url=database_url,
            knowledge_dir=path("ROLEBOT_KNOWLEDGE"),
            directory_path=path("ROLEBOT_DIRECTORY"),
            cache_dir=_cache_dir(env),
            log_level=env.get("ROLEBOT_LOG_LEVEL", "INFO").upper(),
            log_format=env.get("ROLEBOT_LOG_FORMAT", "json").lower(),
            port=port,
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_api_url=env.get("SLACK_API_URL") or None,
            teams_app_id=env.get("MicrosoftAppId") or None,
            teams_app_password=env.get("MicrosoftAppPassword") or None,
            teams_tenant_id=env.get("MicrosoftAppTenantId") or None,
            teams_app_type=env.get("MicrosoftAppType") or None,
            inbox_lease_seconds=_seconds(env, "ROLEBOT_INBOX_LEASE_SECONDS", 30.0),
            outbox_lease_seconds=_seconds(env, "ROLEBOT_OUTBOX_LEASE_SECONDS", 120.0),
        )

    def require(self, *names: str) -> None:
        """Fail at start with one line naming the first missing setting (by its env variable)."""
        env_names = {
            "slack_bot_token": "SLACK_BOT_TOKEN",
            "slack_signing_secret": "SLACK_SIGNING_SECRET",
            "slack_app_token": "SLACK_APP_TOKEN",
            "teams_app_password": "MicrosoftAppPassword",
        }
        for name in names:
            if not getattr(self, name):
                raise ConfigError(f"missing setting: set {env_names.get(name, name.upper())}")


def redact_url(url: str) -> str:
    """A database URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ConfigError(f"{name} must be a positive number of seconds, got {raw!r}")
    return value


def _cache_dir(env: Mapping[str, str]) -> Path | None:
    """ROLEBOT_CACHE_DIR, or $XDG_CACHE_HOME/rolebot, or ~/.cache/rolebot; 'off' turns the cache off."""
    value = env.get("ROLEBOT_CACHE_DIR", "").strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    home = env.get("HOME", "").strip()
    if xdg:
        return Path(xdg) / "rolebot"
    return Path(home) / ".cache" / "rolebot" if home else None
