"""The delivery job: takes a row id and calls the service (Huey runs immediately in tests)."""

from __future__ import annotations

import pytest

from steward.core.outbox import OutboxStatus
from steward.notifications.services import notification_send
from steward.notifications.tasks import notification_deliver
from steward.notifications.tests import factories

pytestmark = pytest.mark.django_db


def test_job_delivers_the_row_and_reports_its_status(smtp):
    person = factories.person(email="job@example.com")
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})
    delivery = notification.deliveries.get()

    first = notification_deliver.call_local(delivery.pk)
    second = notification_deliver.call_local(delivery.pk)

    delivery.refresh_from_db()
    assert (first, second) == ("done", "nothing_to_do")
    assert delivery.status == OutboxStatus.DONE
    assert len(smtp.mailbox.messages) == 1


def test_enqueued_job_runs_through_the_queue(smtp):
    person = factories.person(email="queue@example.com")
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})

    notification_deliver(notification.deliveries.get().pk)

    assert [m["To"] for m in smtp.mailbox.messages] == ["queue@example.com"]
