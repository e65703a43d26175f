"""Jobs enqueued inside ``jobs_batched()`` reach the queue together when the block ends, in
order, and only those of transactions that committed; on Redis in one command."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial

import pytest
from django.db import transaction
from huey import RedisHuey
from huey.contrib import djhuey

from steward.core import jobs
from steward.core.jobs import jobs_batched
from steward.core.tests.worker_processes import Queue, fresh_queue, use_queue
from steward.testing.sample.tasks import sample_job_process

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(params=["sqlite", "redis"], ids=["sqlite-queue", "redis-queue"])
def queue(request) -> Iterator[Queue]:
    with fresh_queue(REDIS_URL if request.param == "redis" else None) as created:
        yield created


def dequeued(queue: Queue) -> list[tuple[object, ...]]:
    """The jobs' arguments in the order a consumer takes them (through the Django Huey, which
    knows the tasks and reads ``queue``'s storage here)."""
    found = []
    while (job := djhuey.HUEY.dequeue()) is not None:
        found.append(tuple(job.args))
    return found


def test_jobs_wait_for_the_end_of_the_block_and_keep_their_order(queue):
    with jobs_batched():
        for pk in (3, 1, 2):
            jobs.enqueue(sample_job_process, pk)
        with jobs_batched():  # a nested block joins the outer one
            jobs.enqueue(sample_job_process, 4)
        assert queue.huey.pending_count() == 0
    assert dequeued(queue) == [(3,), (1,), (2,), (4,)]


def test_outside_a_block_a_job_is_sent_at_once(queue):
    jobs.enqueue(sample_job_process, 7)
    assert queue.huey.pending_count() == 1


def test_a_block_that_raises_still_sends_what_committed(queue):
    def failing_request() -> None:
        with jobs_batched():
            jobs.enqueue(sample_job_process, 1)
            raise RuntimeError("the request failed after its transaction committed")

    with pytest.raises(RuntimeError):
        failing_request()
    assert dequeued(queue) == [(1,)]


def test_a_rolled_back_savepoint_sends_nothing(queue, django_capture_on_commit_callbacks):
    with jobs_batched():
        with django_capture_on_commit_callbacks(execute=True):
            transaction.on_commit(partial(jobs.enqueue, sample_job_process, 1))

            def rolled_back() -> None:
                with transaction.atomic():
                    transaction.on_commit(partial(jobs.enqueue, sample_job_process, 2))
                    raise RuntimeError("rolled back")

            with pytest.raises(RuntimeError):
                rolled_back()
        assert queue.huey.pending_count() == 0
    assert dequeued(queue) == [(1,)]


def test_a_scheduled_job_keeps_its_time(queue):
    import datetime as dt

    eta = dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)
    with jobs_batched():
        jobs.enqueue(sample_job_process, 5, eta=eta)
    job = djhuey.HUEY.dequeue()
    assert job is not None
    assert job.args == (5,)
    assert job.eta == eta.replace(tzinfo=None)  # Huey keeps naive UTC


def test_a_queue_that_cannot_be_reached_is_logged_not_raised(caplog):
    """The rows are the truth: the sweep enqueues their jobs later; the person whose change
    committed gets no error."""
    url = "redis://127.0.0.1:9/0?socket_connect_timeout=0.2"  # the discard port: nothing there
    unreachable = Queue("test-unreachable", url, RedisHuey("test-unreachable", url=url))
    with use_queue(unreachable), caplog.at_level(logging.ERROR, logger="steward.core.jobs"):
        with jobs_batched():
            jobs.enqueue(sample_job_process, 1)
            jobs.enqueue(sample_job_process, 2)
        jobs.enqueue(sample_job_process, 3)
    assert [r.getMessage() for r in caplog.records] == [
        "2 job(s) not enqueued (sample_job_process); the outbox sweep will enqueue them "
        "from their rows",
        "1 job(s) not enqueued (sample_job_process); the outbox sweep will enqueue them "
        "from their rows",
    ]
