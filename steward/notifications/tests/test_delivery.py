"""Delivery processing: retries with back-off, final failure, idempotency, the sweep, and an
administrator's retry of a failed delivery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from steward.audit.models import AuditEntry
from steward.core import outbox
from steward.core.errors import InvalidTransition, NotPermitted
from steward.core.outbox import OutboxStatus
from steward.notifications.models import Delivery
from steward.notifications.services import delivery_process, delivery_retry, notification_send
from steward.notifications.tests import factories
from steward.notifications.tests.servers import WEBHOOK_SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_loopback")]


def pending_webhook(robots) -> Delivery:
    """Given: a committed notification whose webhook delivery job has not run yet."""
    factories.robot(kind="webhook", url=robots.webhook_url, secret=WEBHOOK_SECRET)
    person = factories.person(notification_channels=["webhook"])
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})
    return notification.deliveries.get()


def time_passes(delivery: Delivery) -> None:
    """Given: the back-off of the delivery is over."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_server_error_is_retried_with_exponential_back_off(robots, settings):
    settings.STEWARD_OUTBOX_MAX_ATTEMPTS = 5
    robots.fail_next = [500, 503]
    delivery = pending_webhook(robots)

    start = timezone.now()
    first = delivery_process(delivery_id=delivery.pk)
    not_yet = delivery_process(delivery_id=delivery.pk)
    time_passes(delivery)
    second = delivery_process(delivery_id=delivery.pk)

    assert first is not None
    assert second is not None
    assert not_yet is None
    assert (first.status, first.attempts, first.response_status) == ("pending", 1, 500)
    assert start + timedelta(seconds=30) <= first.next_attempt_at
    assert first.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    assert (second.status, second.attempts, second.response_status) == ("pending", 2, 503)
    assert second.next_attempt_at >= start + timedelta(seconds=60)
    assert second.last_error == "The endpoint answered HTTP 503."
    assert len(robots.requests) == 2


def test_delivery_succeeds_after_a_failed_attempt(robots):
    robots.fail_next = [502]
    delivery = pending_webhook(robots)

    delivery_process(delivery_id=delivery.pk)
    time_passes(delivery)
    done = delivery_process(delivery_id=delivery.pk)

    assert done is not None
    assert (done.status, done.attempts, done.last_error, done.response_status) == (
        OutboxStatus.DONE, 2, "", 200
    )
    assert [r.verified for r in robots.requests] == [True, True]


def test_delivery_fails_for_good_after_the_maximum_attempts(robots, settings):
    settings.STEWARD_OUTBOX_MAX_ATTEMPTS = 3
    robots.fail_next = [500, 500, 500, 500]
    delivery = pending_webhook(robots)

    for _attempt in range(3):
        time_passes(delivery)
        delivery_process(delivery_id=delivery.pk)
    time_passes(delivery)
    after_the_end = delivery_process(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert after_the_end is None
    assert (delivery.status, delivery.attempts) == (OutboxStatus.FAILED, 3)
    assert len(robots.requests) == 3


def test_processing_a_done_delivery_again_sends_nothing(robots):
    delivery = pending_webhook(robots)

    first = delivery_process(delivery_id=delivery.pk)
    again = delivery_process(delivery_id=delivery.pk)

    assert first is not None
    assert first.status == OutboxStatus.DONE
    assert again is None
    assert len(robots.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_job_runs_once_per_committed_delivery(robots, django_capture_on_commit_callbacks):
    factories.robot(kind="webhook", url=robots.webhook_url, secret=WEBHOOK_SECRET)
    person = factories.person(notification_channels=["webhook"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(event="notification.test", recipients=[person], context={})
    for callback in callbacks:
        callback()  # a duplicate enqueue, e.g. by the sweep racing the first job

    assert len(robots.requests) == 1


def test_sweep_picks_up_a_delivery_whose_enqueue_was_lost(robots):
    delivery = pending_webhook(robots)  # on-commit callbacks never ran: the enqueue was lost

    counts = outbox.sweep()

    delivery.refresh_from_db()
    assert counts["notifications.Delivery"] == 1
    assert delivery.status == OutboxStatus.DONE
    assert len(robots.requests) == 1


def test_sweep_leaves_deliveries_in_back_off_alone(robots):
    robots.fail_next = [500]
    delivery = pending_webhook(robots)
    delivery_process(delivery_id=delivery.pk)

    counts = outbox.sweep()

    assert counts["notifications.Delivery"] == 0
    assert len(robots.requests) == 1


def test_administrator_retries_a_failed_delivery(
    robots, settings, django_capture_on_commit_callbacks,
):
    settings.STEWARD_OUTBOX_MAX_ATTEMPTS = 1
    robots.fail_next = [500]
    delivery = pending_webhook(robots)
    delivery_process(delivery_id=delivery.pk)
    admin = factories.admin()

    with django_capture_on_commit_callbacks(execute=True):
        queued = delivery_retry(actor=admin, delivery=delivery)
        assert (queued.status, queued.attempts) == (OutboxStatus.PENDING, 0)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.DONE, 1)
    assert len(robots.requests) == 2
    entry = AuditEntry.objects.get(action="retry")
    assert (entry.actor, entry.object_id, entry.changes) == (
        admin, str(delivery.pk), {"status": ["failed", "pending"], "attempts": [1, 0]}
    )


def test_non_administrator_cannot_retry(robots, settings):
    settings.STEWARD_OUTBOX_MAX_ATTEMPTS = 1
    robots.fail_next = [500]
    delivery = pending_webhook(robots)
    delivery_process(delivery_id=delivery.pk)

    with pytest.raises(NotPermitted):
        delivery_retry(actor=factories.person(roles=("agent",)), delivery=delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.FAILED, 1)
    assert not AuditEntry.objects.filter(action="retry").exists()


def test_a_done_delivery_cannot_be_retried(robots):
    delivery = pending_webhook(robots)
    delivery_process(delivery_id=delivery.pk)

    with pytest.raises(InvalidTransition):
        delivery_retry(actor=factories.admin(), delivery=delivery)

    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.DONE
    assert not AuditEntry.objects.filter(action="retry").exists()


def test_a_skipped_delivery_cannot_be_retried():
    person = factories.person(email="", notification_channels=["email"])
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})
    delivery = notification.deliveries.get()

    with pytest.raises(InvalidTransition):
        delivery_retry(actor=factories.admin(), delivery=delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.skipped) == (OutboxStatus.FAILED, True)
    assert not AuditEntry.objects.filter(action="retry").exists()
