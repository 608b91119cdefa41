"""What every `rolebot serve ...` process runs beside its adapters: scheduler settings and metrics."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.config import ConfigError
from bot.observability import Metrics, default_metrics
from bot.scheduler import SchedulerSettings

if TYPE_CHECKING:
    from bot.runtime import Core


def scheduler_settings(env: Mapping[str, str], sweep_interval: float | None = None) -> SchedulerSettings:
    """ROLEBOT_SWEEP_SECONDS / ROLEBOT_DIGEST_RETRY_SECONDS / ROLEBOT_DIGESTS, with `--sweep-interval`
    (when given) overriding the sweep; 0 means no sweep in this process."""
    try:
        settings = SchedulerSettings.from_env(env)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if sweep_interval is None:
        return settings
    if sweep_interval < 0:
        raise ConfigError("--sweep-interval must not be negative")
    return dataclasses.replace(settings, sweep_seconds=sweep_interval)


def serving_metrics(core: Core) -> Metrics:
    """The process's metrics, with the escalation gauges read from the core's database at each scrape."""
    metrics = default_metrics()
    metrics.watch(core.db)
    return metrics
