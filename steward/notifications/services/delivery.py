"""Processing delivery rows: claim, send through the channel, record the outcome."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core import outbox
from steward.core.errors import InvalidTransition, NotPermitted
from steward.core.outbox import OutboxStatus
from steward.notifications import channels, permissions, selectors
from steward.notifications.channels import DeliveryError, Endpoint, OutboundMessage, Recipient
from steward.notifications.channels.transport import GuardedPoster
from steward.notifications.models import Delivery
from steward.notifications.queue import enqueue_on_commit

logger = logging.getLogger(__name__)


def delivery_process(*, delivery_id: int) -> Delivery | None:
    """Send one delivery if it is due; return it, or None when there was nothing to do.

    Idempotent: the row is claimed with one conditional UPDATE, so a delivery that is done,
    failed, not yet due or held by another worker is left alone. Success completes the row;
    a temporary failure schedules a retry with exponential back-off until
    ``STEWARD_OUTBOX_MAX_ATTEMPTS``; a permanent failure (refused egress, bad address) fails
    it at once. Deliberately not one transaction: the network call must not hold row locks,
    and the claim's lease covers a worker that dies mid-send (the sweep retries it then).
    """
    token = outbox.claim(Delivery, delivery_id)
    if token is None:
        return None
    delivery = Delivery.objects.select_related(
        "notification__recipient", "notification__content_type", "robot"
    ).get(pk=delivery_id)
    poster = GuardedPoster(selectors.allow_rules())
    try:
        endpoint = _endpoint(delivery)
        result = channels.send(delivery.channel, _message(delivery), endpoint, poster)
    except DeliveryError as exc:
        _record_failure(delivery_id, token, exc)
    except Exception as exc:  # noqa: BLE001 - a bug in one channel must not leave the row stuck
        logger.exception("notification delivery %s crashed", delivery_id)
        _record_failure(delivery_id, token, DeliveryError(f"{type(exc).__name__}: {exc}"))
    else:
        outbox.complete(
            Delivery, delivery_id, token, external_id=result.external_id[:255],
            response_status=result.status, response_excerpt=result.excerpt[:500],
            delivered_at=timezone.now(), last_error="",
        )
    delivery.refresh_from_db()
    return delivery


def delivery_retry(*, actor: Any, delivery: Delivery) -> Delivery:
    """Send a failed delivery again, with a fresh count of attempts. Administrators only.

    Raises ``NotPermitted``, or ``InvalidTransition`` unless the delivery failed after being
    attempted (a skipped delivery has nothing to send).
    """
    if not permissions.can_retry_delivery(actor):
        raise NotPermitted(_("Only administrators can retry deliveries."))
    with transaction.atomic():
        locked = Delivery.objects.select_for_update(no_key=True).get(pk=delivery.pk)
        if locked.skipped or locked.status != OutboxStatus.FAILED:
            raise InvalidTransition(
                _("Only a failed delivery can be retried; this one is %(status)s.")
                % {"status": locked.display_status},
            )
        Delivery.objects.filter(pk=locked.pk).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(),
            lease_until=None, claim_token=None, processed_at=None,
        )
        audit_record(
            actor=actor, obj=locked, action="retry",
            changes={"status": [OutboxStatus.FAILED, OutboxStatus.PENDING],
                     "attempts": [locked.attempts, 0]},
        )
        enqueue_on_commit([locked.pk])
    delivery.refresh_from_db()
    return delivery


def _endpoint(delivery: Delivery) -> Endpoint | None:
    robot = delivery.robot
    if robot is None:
        return None
    if not robot.enabled:
        raise DeliveryError(f"The robot {robot.name} was disabled.", permanent=True)
    return Endpoint(robot.url, robot.secret)


def _message(delivery: Delivery) -> OutboundMessage:
    notification = delivery.notification
    person = notification.recipient
    root = selectors.thread_root(notification=notification) if delivery.channel == "email" else None
    content_type = notification.content_type
    return OutboundMessage(
        notification_id=notification.pk,
        delivery_id=delivery.pk,
        event=notification.event,
        language=notification.language,
        subject=notification.subject,
        body=notification.body,
        link=notification.link,
        recipient=Recipient(
            id=person.pk, username=person.username,
            name=person.display_name(notification.language), email=person.email,
        ),
        target=delivery.target,
        created_at=notification.created_at,
        thread_root_id=root.pk if root is not None else None,
        record_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        record_id=notification.object_id,
    )


def _record_failure(delivery_id: int, token: Any, exc: DeliveryError) -> None:
    details = {"response_status": exc.status, "response_excerpt": exc.excerpt[:500]}
    if exc.permanent:
        outbox.fail(Delivery, delivery_id, token, exc.message, **details)
        return
    Delivery.objects.filter(pk=delivery_id, claim_token=token).update(**details)
    outbox.retry_later(Delivery, delivery_id, token, exc.message)
