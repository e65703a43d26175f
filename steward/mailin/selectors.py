"""Reads of the inbound channel: who sent a message and which record it continues."""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from steward.identity.models import Person
from steward.incidents.models import Incident
from steward.mailin.models import InboundMessage, InboundStatus
from steward.mailin.parsing import ParsedMail

SUBJECT_NUMBER = re.compile(r"(?<![A-Za-z0-9])(INC-\d{6,})(?!\d)", re.IGNORECASE)


def person_for_address(address: str) -> Person | None:
    """The active person with this e-mail address (case-insensitive; the oldest account if
    several share it), or None."""
    if not address:
        return None
    return (
        Person.objects.filter(email__iexact=address.strip(), is_active=True).order_by("pk").first()
    )


def unknown_sender_person() -> Person | None:
    """The placeholder requester of mail from unknown senders (STEWARD_MAIL_UNKNOWN_SENDER, a
    username), or None when none is configured or the account is inactive."""
    username = getattr(settings, "STEWARD_MAIL_UNKNOWN_SENDER", "")
    if not username:
        return None
    return Person.objects.filter(username=username, is_active=True).first()


def thread_incident(mail: ParsedMail) -> Incident | None:
    """The incident ``mail`` continues: by In-Reply-To/References (an earlier inbound message
    or a notification Steward sent), else by an incident number in the subject."""
    ids = [*reversed(mail.in_reply_to), *reversed(mail.references)]
    if ids:
        found = _by_inbound(ids) or _by_notification(ids)
        if found is not None:
            return found
    number = SUBJECT_NUMBER.search(mail.subject)
    if number is None:
        return None
    return Incident.objects.filter(number=number.group(1).upper()).first()


def _by_inbound(ids: list[str]) -> Incident | None:
    numbers = dict(
        InboundMessage.objects.filter(message_id__in=ids)
        .exclude(record_number="")
        .values_list("message_id", "record_number")
    )
    for message_id in ids:
        if message_id in numbers:
            return Incident.objects.filter(number=numbers[message_id]).first()
    return None


def _by_notification(ids: list[str]) -> Incident | None:
    """Replies to Steward's own mail point at ``<notification.N@STEWARD_EMAIL_DOMAIN>``.

    The notifications app sits above this one, so its model is looked up by name, not
    imported (docs: steward/mailin/README.md, "Threading").
    """
    if not apps.is_installed("steward.notifications"):
        return None
    domain = re.escape(settings.STEWARD_EMAIL_DOMAIN)
    pattern = re.compile(rf"^<notification\.(\d+)@{domain}>$", re.IGNORECASE)
    notification_ids: list[int] = [int(m.group(1)) for i in ids if (m := pattern.match(i))]
    if not notification_ids:
        return None
    notification_model = apps.get_model("notifications", "Notification")
    incident_type = ContentType.objects.get_for_model(Incident)
    rows = dict(
        notification_model.objects.filter(
            pk__in=notification_ids, content_type=incident_type
        ).values_list("pk", "object_id")
    )
    for notification_id in notification_ids:
        object_id = rows.get(notification_id)
        if object_id is not None:
            return Incident.objects.filter(pk=object_id).first()
    return None


def failed_messages() -> QuerySet[InboundMessage]:
    """The failed-mail queue, newest first."""
    return InboundMessage.objects.filter(status=InboundStatus.FAILED).order_by("-received_at")
