"""Writing notifications and their delivery rows in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import NotPermitted
from steward.core.outbox import OutboxStatus
from steward.identity.models import NotificationChannelKind, Person
from steward.notifications import permissions, selectors
from steward.notifications.models import Delivery, Notification, RobotKind
from steward.notifications.queue import enqueue_on_commit
from steward.notifications.rendering import Rendered, render_message

ENDPOINT_NAMES = {
    RobotKind.WECOM: "WeCom robot",
    RobotKind.DINGTALK: "DingTalk robot",
    RobotKind.FEISHU: "Feishu bot",
    RobotKind.WEBHOOK: "webhook",
}
CHAT_USER_ID_FIELDS = {
    NotificationChannelKind.WECOM: ("wecom_userid", "WeCom"),
    NotificationChannelKind.DINGTALK: ("dingtalk_userid", "DingTalk"),
    NotificationChannelKind.FEISHU: ("feishu_userid", "Feishu"),
}


def notification_send(
    *,
    event: str,
    recipients: Iterable[Person],
    context: Mapping[str, Any],
    record: models.Model | None = None,
    actor: Any = None,
    thread_key: str | None = None,
) -> list[Notification]:
    """Write one notification per active recipient, with one delivery row per chosen channel.

    Runs in the caller's transaction (without a savepoint of its own): the rows commit or roll
    back with the business change, and the delivery jobs are enqueued only after commit.
    Channels come from each person's ``notification_channels``; a channel that cannot be
    used (no address, no robot) is kept as a skipped delivery with the reason.
    ``thread_key`` defaults to the record, so e-mails about one record form one thread.

    Raises ``ValidationFailed`` (code ``unknown_event``) when the event has no template.
    """
    # Everything that can refuse (no template, a broken one) runs before the first write, so
    # a refusal leaves the caller's transaction usable and nothing written.
    drafts: list[_Draft] = []
    seen: set[int] = set()
    for person in recipients:
        if person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        drafts.append(_draft(event=event, person=person, context=context, record=record))
    with transaction.atomic(savepoint=False):
        notifications: list[Notification] = []
        to_enqueue: list[int] = []
        for draft in drafts:
            notification, deliveries = _write(
                draft, event=event, record=record, actor=actor, thread_key=thread_key
            )
            notifications.append(notification)
            to_enqueue.extend(d.pk for d in deliveries if not d.skipped)
        enqueue_on_commit(to_enqueue)
    return notifications


def notification_send_test(*, actor: Any) -> Notification:
    """Send the ``notification.test`` message to the actor through their own channels."""
    if not permissions.can_send_test(actor):
        raise NotPermitted(_("Sign in to send yourself a test message."))
    sent = notification_send(
        event="notification.test", recipients=[actor], actor=actor,
        context={"sent_at": timezone.now()},
    )
    return sent[0]


@dataclass(frozen=True)
class _Draft:
    person: Person
    rendered: Rendered
    link: str


def _draft(
    *, event: str, person: Person, context: Mapping[str, Any], record: models.Model | None
) -> _Draft:
    link = str(context.get("link", "")) or _record_link(record)
    rendered = render_message(
        event=event, language=person.language, time_zone=person.time_zone,
        context={**context, "recipient_name": person.display_name(person.language), "link": link},
    )
    return _Draft(person, rendered, link)


def _write(
    draft: _Draft, *, event: str, record: models.Model | None, actor: Any,
    thread_key: str | None,
) -> tuple[Notification, list[Delivery]]:
    person, rendered, link = draft.person, draft.rendered, draft.link
    content_type = ContentType.objects.get_for_model(record) if record is not None else None
    if thread_key is None:
        thread_key = (
            f"{content_type.app_label}.{content_type.model}:{record.pk}"
            if content_type is not None and record is not None else ""
        )
    notification = Notification.objects.create(
        event=event, recipient=person, actor=actor if getattr(actor, "pk", None) else None,
        language=rendered.language, subject=rendered.subject, body=rendered.body,
        link=link[:500], content_type=content_type,
        object_id=record.pk if record is not None else None, thread_key=thread_key[:200],
    )
    deliveries = Delivery.objects.bulk_create(
        [_plan(notification, person, channel) for channel in _channels_of(person)]
    )
    return notification, deliveries


def _record_link(record: models.Model | None) -> str:
    url = getattr(record, "get_absolute_url", None)
    return f"{settings.STEWARD_BASE_URL}{url()}" if callable(url) else ""


def _channels_of(person: Person) -> list[str]:
    wanted = person.notification_channels if isinstance(person.notification_channels, list) else []
    valid = set(NotificationChannelKind.values)
    return list(dict.fromkeys(str(c) for c in wanted if c in valid))


def _plan(notification: Notification, person: Person, channel: str) -> Delivery:
    """The delivery row for one channel: its target, its robot, or why it is skipped."""
    delivery = Delivery(notification=notification, channel=channel)
    reason = ""
    if channel == NotificationChannelKind.EMAIL:
        delivery.target = person.email
        reason = "" if person.email else "The person has no e-mail address."
    elif channel == NotificationChannelKind.SMS:
        delivery.target = person.phone
        if not person.phone:
            reason = "The person has no phone number."
        elif not settings.STEWARD_SMS_URL:
            reason = "SMS is not configured (STEWARD_SMS_URL)."
    else:
        kind = RobotKind(channel)
        delivery.robot = selectors.robot_for(person=person, kind=kind)
        if delivery.robot is None:
            reason = f"No enabled {ENDPOINT_NAMES[kind]} for the person's teams and no default."
        elif channel in CHAT_USER_ID_FIELDS:
            field, label = CHAT_USER_ID_FIELDS[NotificationChannelKind(channel)]
            delivery.target = str(getattr(person, field))
            reason = "" if delivery.target else f"The person has no {label} user id."
    if reason:
        delivery.skipped = True
        delivery.status = OutboxStatus.FAILED
        delivery.last_error = reason
        delivery.processed_at = timezone.now()
    return delivery
