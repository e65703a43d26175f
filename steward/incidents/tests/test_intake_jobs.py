"""A new incident's jobs (triage, acknowledgement delivery, the first SLA milestone of each
clock) reach Redis after the creation commits, together: one command for the request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from huey.contrib import djhuey

from steward.core.tests.worker_processes import Queue, fresh_queue, redis_reachable
from steward.incidents.models import Incident, IncidentTriage
from steward.notifications.models import Delivery
from steward.sla.models import SlaClock

REDIS_URL = "redis://127.0.0.1:6379/14"

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not redis_reachable(REDIS_URL), reason=f"no Redis server reachable at {REDIS_URL}"
    ),
]


@pytest.fixture
def redis_queue() -> Iterator[Queue]:
    with fresh_queue(REDIS_URL) as queue:
        yield queue


def test_a_new_incident_sends_its_jobs_in_one_command(
    clock: Any, agreement: Any, requester: Any, service: Any, redis_queue: Queue, monkeypatch
):
    sent: list[str] = []
    connection = redis_queue.huey.storage.conn
    real = connection.execute_command

    def counting(*args: Any, **options: Any) -> Any:  # the real command, counted
        sent.append(str(args[0]))
        return real(*args, **options)

    monkeypatch.setattr(connection, "execute_command", counting)
    client = Client()
    client.force_login(requester)

    response = client.post(
        "/api/v1/incidents",
        {"title": "收银机无法开机", "service_id": service.pk, "impact": 1, "urgency": 2},
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    assert sent == ["LPUSH"]
    incident = Incident.objects.get(number=response.json()["number"])
    clocks = SlaClock.objects.filter(object_id=incident.pk).count()
    deliveries = Delivery.objects.filter(
        notification__object_id=incident.pk, skipped=False
    ).count()
    assert clocks == 2
    assert IncidentTriage.objects.filter(incident=incident).count() == 1
    jobs = Counter(job.name for job in djhuey.HUEY.pending())
    assert jobs == Counter(
        {"sla_milestone_fire": clocks, "incident_triage_run": 1, "notification_deliver": deliveries}
    )
