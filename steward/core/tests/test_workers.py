"""Real ``steward worker`` processes on the outbox: a SIGKILL loses nothing, and two workers
given the same rows do each exactly once.

Rows are committed (``transactional_db``) so the workers, separate processes on the same test
database, see them. Each test gets its own queue and runs twice: on the SQLite job storage in
STEWARD_HOME, and on Redis (skipped when no server answers at 127.0.0.1:6379).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from itertools import count

import pytest
from django.db.models import Count
from django.utils import timezone

from steward.core import outbox
from steward.core.outbox import OutboxStatus
from steward.core.tests.worker_processes import (
    Queue,
    Worker,
    fresh_queue,
    wait_until,
)
from steward.testing.sample.models import SampleEffect, SampleJob
from steward.testing.sample.tasks import sample_job_process

pytestmark = pytest.mark.slow

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(params=["sqlite", "redis"], ids=["sqlite-queue", "redis-queue"])
def queue(request, transactional_db, django_db_serialized_rollback) -> Iterator[Queue]:
    """A fresh queue that this process's task calls (and ``outbox.sweep()``) go to.

    Serialized rollback, as every committing test in the suite uses: without it the flush after
    the test re-creates content types under new ids (so a later serialized-rollback test fails
    to load its snapshot) and drops the rows seeded by data migrations.
    """
    with fresh_queue(REDIS_URL if request.param == "redis" else None) as created:
        yield created


@pytest.fixture
def start_worker(queue, tmp_path) -> Iterator:
    """Start ``steward worker`` processes; every one still running is killed at teardown."""
    started: list[Worker] = []
    numbers = count(1)

    def start(*, lease_seconds: int) -> Worker:
        log_path = tmp_path / f"worker-{next(numbers)}.log"
        worker = Worker(queue.worker_env(lease_seconds=lease_seconds), log_path)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def jobs(n: int, *, work_seconds: float) -> list[SampleJob]:
    return [
        SampleJob.objects.create(payload=f"job {i}", work_seconds=work_seconds) for i in range(n)
    ]


def statuses() -> dict[int, str]:
    return dict(SampleJob.objects.values_list("pk", "status"))


def effects_per_job() -> dict[int, int]:
    rows = SampleJob.objects.annotate(n=Count("effects")).values_list("pk", "n")
    return dict(rows)


def all_done() -> bool:
    return not SampleJob.objects.exclude(status=OutboxStatus.DONE).exists()


def logs(*workers: Worker) -> str:
    return "\n".join(w.log() for w in workers)


def test_a_worker_killed_mid_job_loses_nothing(queue, start_worker):
    rows = jobs(6, work_seconds=1.0)
    for row in rows:
        sample_job_process(row.pk)
    killed = start_worker(lease_seconds=3)
    wait_until(
        lambda: SampleJob.objects.filter(status=OutboxStatus.PROCESSING).exists(),
        timeout=20,
        what="the first worker to claim a row",
        log=killed.log,
    )

    killed.kill()
    in_flight = list(SampleJob.objects.filter(status=OutboxStatus.PROCESSING))
    assert in_flight, "the kill caught no job in flight"
    fresh = start_worker(lease_seconds=3)
    lease_end = max(row.lease_until for row in in_flight)
    time.sleep(max(0.0, (lease_end - timezone.now()).total_seconds()) + 0.2)
    outbox.sweep()
    wait_until(all_done, timeout=20, what="every row to be done", log=lambda: logs(killed, fresh))
    fresh.stop()

    assert killed.process.returncode == -signal.SIGKILL
    assert statuses() == {row.pk: OutboxStatus.DONE for row in rows}
    assert effects_per_job() == {row.pk: 1 for row in rows}
    recovered = SampleJob.objects.filter(pk__in=[row.pk for row in in_flight])
    assert set(recovered.values_list("effects__worker_pid", flat=True)) == {fresh.pid}
    assert min(recovered.values_list("attempts", flat=True)) >= 2


def test_two_workers_given_the_same_rows_do_each_exactly_once(queue, start_worker):
    rows = jobs(12, work_seconds=0.3)
    workers = [start_worker(lease_seconds=30), start_worker(lease_seconds=30)]
    for worker in workers:
        worker.wait_ready()

    for row in rows:
        sample_job_process(row.pk)
        sample_job_process(row.pk)
    wait_until(all_done, timeout=20, what="every row to be done", log=lambda: logs(*workers))
    wait_until(lambda: queue.huey.pending_count() == 0, timeout=10, what="the queue to drain")
    for worker in workers:
        worker.interrupt()
    for worker in workers:
        worker.stop()

    assert effects_per_job() == {row.pk: 1 for row in rows}
    assert set(SampleJob.objects.values_list("attempts", flat=True)) == {1}
    pids = set(SampleEffect.objects.values_list("worker_pid", flat=True))
    assert pids == {w.pid for w in workers}
