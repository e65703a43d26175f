"""Hooks on the job queue: count job failures for /metrics."""

from __future__ import annotations

from typing import Any

from steward.core.metrics import JOB_FAILURES


def connect_metrics() -> None:
    from huey.contrib.djhuey import HUEY
    from huey.signals import SIGNAL_ERROR

    @HUEY.signal(SIGNAL_ERROR)  # type: ignore[untyped-decorator]
    def count_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
        JOB_FAILURES.labels(task.name).inc()
