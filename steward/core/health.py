"""Operational endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from steward.core import metrics, outbox


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up."""
    return JsonResponse({"status": "ok"})


def _queue_depth() -> int:
    from huey.contrib.djhuey import HUEY

    return int(HUEY.pending_count())


def readiness() -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["database"] = "ok"
        checks["migrations"] = "ok" if not unapplied else f"{len(unapplied)} unapplied"
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure as text
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        metrics.QUEUE_DEPTH.set(_queue_depth())
        checks["queue"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["queue"] = f"error: {exc.__class__.__name__}"
    return checks


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Database and queue reachable, no unapplied migrations."""
    checks = readiness()
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    try:
        metrics.QUEUE_DEPTH.set(_queue_depth())
        for label, count in outbox.backlog().items():
            metrics.OUTBOX_BACKLOG.labels(label).set(count)
    except Exception:  # noqa: BLE001, S110 - metrics must render even if a gauge cannot be read
        pass
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)
