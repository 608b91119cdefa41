"""Operations: structured JSON logs without message text, Prometheus metrics and the health check."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, Protocol

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from bot.escalations.models import State
from bot.storage.clock import utc_now
from bot.storage.errors import DATABASE_ERRORS
from bot.storage.health import HealthStore

if TYPE_CHECKING:
    from bot.conversation.assistant import QuestionObserver
    from bot.digest.runs import RunResult
    from bot.digest.topics import AskedQuestionLog
    from bot.knowledge import KnowledgeBase
    from bot.routing import Routing
    from bot.storage.stores import Stores

log = logging.getLogger(__name__)
# Fields that carry what people wrote: only ever logged at DEBUG (a JSON line at INFO shows their size).
SENSITIVE_FIELDS = frozenset({"text", "question", "summary", "details", "comment", "note", "reason"})
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


# ------------------------------------------------------------------------------------------- logging
class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _RECORD_FIELDS or key.startswith("_"):
                continue
            if key in SENSITIVE_FIELDS and record.levelno > logging.DEBUG:
                value = {"redacted_chars": len(str(value))}
            plain = isinstance(value, str | int | float | bool | type(None) | dict)
            entry[key] = value if plain else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", fmt: str = "json", stream: IO[str] | None = None) -> None:
    """Replace the root handlers with one writing JSON lines (or plain text) to `stream` (stderr).

    Called once at start by `rolebot serve` and the digest CLI, never at import."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Library chatter (HTTP clients, the scheduler's every run) stays at WARNING unless debugging.
    for noisy in ("apscheduler", "urllib3", "aiohttp.access", "slack_sdk", "slack_bolt"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING)


# ------------------------------------------------------------------------------------------- metrics
class EscalationCollector:
    """Escalations by state and the overdue count, read from the database at each scrape."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self.store: HealthStore | None = None
        self.clock = clock

    def describe(self) -> list[Metric]:
        return []  # collected lazily: nothing to describe before a database is watched

    def collect(self) -> Iterator[Metric]:
        store = self.store
        if store is None:
            return
        by_state = GaugeMetricFamily("rolebot_escalations", "Escalations by state", labels=["state"])
        outbox = GaugeMetricFamily(
            "rolebot_outbox", "Outbox notices by platform and state", labels=["platform", "state"]
        )
        overdue = GaugeMetricFamily("rolebot_escalations_overdue", "Open or acknowledged past their SLA")
        try:
            gauges = store.gauges(self.clock())
        except DATABASE_ERRORS:
            log.warning("escalation metrics unavailable: database error", exc_info=True)
            return
        for state in State:
            by_state.add_metric([state.value], gauges.by_state.get(state.value, 0))
        overdue.add_metric([], gauges.overdue)
        for (platform, notice_state), count in sorted(gauges.outbox.items()):
            outbox.add_metric([platform, notice_state], count)
        yield by_state
        yield overdue
        yield outbox


class Metrics:
    """rolebot's Prometheus metrics on a registry of their own (tests make fresh ones)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.questions = Counter(
            "rolebot_questions",
            "Questions answered, by language and outcome",
            ["language", "outcome"],
            registry=self.registry,
        )
        self.routing_seconds = Histogram(
            "rolebot_routing_seconds",
            "Time to route and answer a question",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.digest_runs = Counter(
            "rolebot_digest_runs",
            "Digest run attempts, by kind and result",
            ["kind", "result"],
            registry=self.registry,
        )
        self.deliveries = Counter(
            "rolebot_outbox_deliveries",
            "Outbox delivery attempts, by platform and result (sent, retry, failed, fallback)",
            ["platform", "result"],
            registry=self.registry,
        )
        self.escalations = EscalationCollector()
        self.registry.register(self.escalations)

    def watch(self, store: HealthStore) -> None:
        """Report escalation gauges from `store` from now on."""
        self.escalations.store = store

    def observe_question(self, routing: Routing, seconds: float) -> None:
        outcome = "abstained" if routing.team is None else "routed"
        self.questions.labels(routing.language, outcome).inc()
        self.routing_seconds.observe(seconds)

    def observe_delivery(self, platform: str, result: str) -> None:
        self.deliveries.labels(platform, result).inc()

    def observe_digest(self, result: RunResult) -> None:
        self.digest_runs.labels(result.kind, result.result).inc()

    def payload(self) -> tuple[bytes, str]:
        """The /metrics body and its content type (Prometheus text format)."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


_DEFAULT: Metrics | None = None


def default_metrics() -> Metrics:
    """The process's metrics, created on first use (not at import)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Metrics()
    return _DEFAULT


def metrics_payload(metrics: Metrics | None = None) -> tuple[bytes, str]:
    return (metrics or default_metrics()).payload()


# -------------------------------------------------------------------------------- questions observed
def question_observer(metrics: Metrics, asked: AskedQuestionLog | None = None) -> QuestionObserver:
    """An Assistant observer that counts, times and logs (without the text) every routed question, and
    records the topic of routed ones for the digest."""

    def observer(routing: Routing, seconds: float, platform: str) -> None:
        observe_answer(routing, seconds, platform, metrics, asked)

    return observer


def observe_answer(
    routing: Routing, seconds: float, platform: str, metrics: Metrics, asked: AskedQuestionLog | None = None
) -> None:
    """Metrics, one INFO line without the question, and the asked-topic record."""
    metrics.observe_question(routing, seconds)
    log.info(
        "question answered",
        extra={
            "platform": platform,
            "language": routing.language,
            "team": routing.team,
            "role": routing.role,
            "nearest": routing.nearest,
            "confidence": round(routing.confidence, 3),
            "ms": round(seconds * 1000, 2),
            "question": routing.question,
        },
    )
    # What was asked only ever at DEBUG (the INFO line above carries it redacted to its length).
    log.debug("question text", extra={"question": routing.question, "team": routing.team})
    if asked is not None and routing.team is not None:
        try:
            asked.record(routing, platform)
        except DATABASE_ERRORS:  # a topic we fail to count must not cost the user their answer
            log.exception("could not record the asked topic")


# ---------------------------------------------------------------------------------------- health
def health_of(store: HealthStore, kb: KnowledgeBase | None) -> tuple[int, dict[str, Any]]:
    """(200, details) when the database answers and knowledge is loaded, else (503, details)."""
    checks: dict[str, Any] = {}
    try:
        problem = store.problem()
        if problem is None:
            store.probe()  # reading alone passes on a read-only file or a full disk
        checks["database"] = f"error: file {problem}" if problem else "ok"
    except DATABASE_ERRORS as exc:
        checks["database"] = f"error: {type(exc).__name__}: {exc}"
    teams = len(kb.teams) if kb is not None else 0
    checks["knowledge"] = "ok" if teams else "not loaded"
    checks["teams"] = teams
    healthy = checks["database"] == "ok" and teams > 0
    return (200 if healthy else 503), {"status": "ok" if healthy else "unavailable", "checks": checks}


class Serving(Protocol):
    """What health reads of bot.runtime.Core (which imports this module: no import back)."""

    @property
    def stores(self) -> Stores: ...
    @property
    def kb(self) -> KnowledgeBase: ...


def health(core: Serving) -> tuple[int, dict[str, Any]]:
    return health_of(core.stores.health, core.kb)
