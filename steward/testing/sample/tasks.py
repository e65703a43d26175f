"""Background job for the sample outbox: takes a row id, idempotent (see services)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from steward.testing.sample import services


@db_task()  # type: ignore[untyped-decorator]
def sample_job_process(job_id: int) -> None:
    services.sample_job_run(job_id=job_id)
