"""Prometheus metrics.

Under several web processes, prometheus_client's multiprocess mode aggregates the samples
each process writes into PROMETHEUS_MULTIPROC_DIR (set by ``steward serve``).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prom_multiprocess

REQUEST_LATENCY = Histogram(
    "steward_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOB_FAILURES = Counter(
    "steward_job_failures_total", "Background jobs that raised an error.", ["job"]
)
QUEUE_DEPTH = Gauge(
    "steward_queue_depth", "Jobs waiting in the task queue.", multiprocess_mode="livemax"
)
OUTBOX_BACKLOG = Gauge(
    "steward_outbox_backlog",
    "Outbox rows pending or in flight.",
    ["outbox"],
    multiprocess_mode="livemax",
)


def render() -> tuple[bytes, str]:
    """The metrics page, merged across processes when running under gunicorn."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
