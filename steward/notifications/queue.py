"""Handing delivery rows to the job queue, only once the writing transaction has committed."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from steward.core import jobs


def enqueue_delivery(delivery_id: int) -> None:
    """Enqueue the job for one delivery row (also the outbox sweep's callback)."""
    from steward.notifications.tasks import notification_deliver

    jobs.enqueue(notification_deliver, delivery_id)


def enqueue_on_commit(delivery_ids: Iterable[int]) -> None:
    for delivery_id in delivery_ids:
        transaction.on_commit(partial(enqueue_delivery, delivery_id))
