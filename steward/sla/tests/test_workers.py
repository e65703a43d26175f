"""SLA warnings and breaches fire exactly once with two real worker processes, also when every
milestone is enqueued twice and when their jobs were lost (the sweep finds them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import count

import pytest

from steward.core import outbox
from steward.core.outbox import OutboxStatus
from steward.core.tests.worker_processes import (
    Queue,
    Worker,
    fresh_queue,
    wait_until,
)
from steward.notifications.models import Notification
from steward.sla import services
from steward.sla.models import SlaClockEvent, SlaMilestone
from steward.sla.tasks import sla_milestone_fire
from steward.sla.tests.conftest import agreement, at, china  # noqa: F401 - fixtures
from steward.testing import factories

pytestmark = pytest.mark.slow
REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(params=["sqlite", "redis"], ids=["sqlite-queue", "redis-queue"])
def queue(request, transactional_db, django_db_serialized_rollback) -> Iterator[Queue]:
    with fresh_queue(REDIS_URL if request.param == "redis" else None) as created:
        yield created


@pytest.fixture
def workers(queue, tmp_path) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    numbers = count(1)
    for _ in range(2):
        started.append(
            Worker(queue.worker_env(lease_seconds=30), tmp_path / f"worker-{next(numbers)}.log")
        )
    yield started
    for worker in started:
        worker.kill()


def _overdue_clocks(agreement, n: int) -> list[SlaMilestone]:
    """``n`` records whose clocks started long ago: every milestone is due now."""
    requester = factories.person()
    for i in range(n):
        record = factories.memo(requester=requester, number=f"MEM-8{i:05d}")
        services.clocks_attach(
            record=record,
            service=agreement.service,
            state="new",
            priority=1,
            at=at(2026, 3, 2, 9, 0),
        )
    return list(SlaMilestone.objects.all())


def _fired() -> Counter[tuple[int, int]]:
    return Counter(
        (event.clock_id, event.detail["percent"])
        for event in SlaClockEvent.objects.filter(kind__in=["warning", "breach"])
    )


def _all_fired() -> bool:
    return not SlaMilestone.objects.exclude(status=OutboxStatus.DONE).exists()


def test_two_workers_fire_each_milestone_once(queue, agreement, workers):
    milestones = _overdue_clocks(agreement, 6)
    assert len(milestones) == 6 * 2 * 4
    for worker in workers:
        worker.wait_ready()
    for milestone in milestones:
        sla_milestone_fire(milestone.pk)
        sla_milestone_fire(milestone.pk)
    wait_until(
        _all_fired,
        timeout=60,
        what="every milestone to fire",
        log=lambda: "\n".join(w.log() for w in workers),
    )
    for worker in workers:
        worker.stop()

    assert _fired() == Counter({(m.clock_id, m.percent): 1 for m in milestones})
    assert set(SlaMilestone.objects.values_list("attempts", flat=True)) == {1}
    per_milestone = Counter(
        (n.event, n.subject) for n in Notification.objects.filter(event__startswith="sla.")
    )
    assert set(per_milestone.values()) == {1}  # subjects name the record, metric and percent
    assert sum(per_milestone.values()) == len(milestones)  # each reaches one person here
    # Nobody reads a job's return value, so none is kept in the queue's storage, where it
    # would pile up with every job run.
    assert queue.huey.storage.result_store_size() == 0


def test_lost_jobs_are_fired_once_by_the_sweep(queue, agreement, workers):
    milestones = _overdue_clocks(agreement, 3)
    queue.huey.storage.flush_all()  # the scheduled jobs are lost
    for worker in workers:
        worker.wait_ready()
    outbox.sweep()
    outbox.sweep()
    wait_until(
        _all_fired,
        timeout=60,
        what="every milestone to fire",
        log=lambda: "\n".join(w.log() for w in workers),
    )
    for worker in workers:
        worker.stop()

    assert _fired() == Counter({(m.clock_id, m.percent): 1 for m in milestones})
