"""Several workers holding the same delivery id: exactly one sends (committed rows, threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from steward.core.outbox import OutboxStatus
from steward.notifications import queue
from steward.notifications.services import delivery_process, notification_send
from steward.notifications.tests import factories
from steward.notifications.tests.servers import WEBHOOK_SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_workers_send_a_delivery_once(robots, monkeypatch):
    # The commit's own enqueue is dropped so that only the racing workers below process the row.
    monkeypatch.setattr(queue, "enqueue_delivery", lambda delivery_id: None)
    factories.allow_rule("127.0.0.1")
    factories.robot(kind="webhook", url=robots.webhook_url, secret=WEBHOOK_SECRET)
    person = factories.person(notification_channels=["webhook"])
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})
    delivery = notification.deliveries.get()
    start = threading.Barrier(4)
    results: list[object] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(delivery_process(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    delivery.refresh_from_db()
    assert len(robots.requests) == 1
    assert sum(result is not None for result in results) == 1
    assert (delivery.status, delivery.attempts) == (OutboxStatus.DONE, 1)
