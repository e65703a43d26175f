"""The communications log of a major incident and the reminder of overdue updates.

Process: docs/processes/incidents.md, "Major incidents" (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import InvalidTransition, ValidationFailed
from steward.core.events import emit_in_transaction
from steward.incidents import permissions_major, selectors_major
from steward.incidents.events_major import MajorUpdateOverdue, MajorUpdateWritten
from steward.incidents.models import (
    OPEN_STATUSES,
    Audience,
    CommsChannel,
    CommsEntry,
    IncidentStatus,
    MajorIncident,
)
from steward.incidents.services.common import not_open_message, require
from steward.incidents.services.major import lock_major

MESSAGE_MAX = 4000


def major_comms_add(
    *, actor: Any, major: MajorIncident, audiences: list[str], message: str, channel: str
) -> CommsEntry:
    """Log a communication to one or more audiences. On the ``notification`` channel Steward
    sends it to each audience's people (notification rows in this transaction); on the other
    channels it records what was said elsewhere. Either way it is the scheduled update: the
    next one falls due one interval from now.

    Emits ``MajorUpdateWritten`` (in the transaction). Errors: ``NotPermitted``,
    ``InvalidTransition`` (closed or cancelled), ``ValidationFailed`` (audiences, message,
    channel).
    """
    require(
        permissions_major.can_manage_major(actor, major.incident),
        _("You may not write updates on this major incident."),
    )
    chosen = sorted(set(audiences))
    if not chosen or any(a not in Audience.values for a in chosen):
        raise ValidationFailed(_("Choose at least one audience."), field="audiences")
    text = str(message).strip()
    if not text:
        raise ValidationFailed(_("Write the message."), field="message")
    if len(text) > MESSAGE_MAX:
        raise ValidationFailed(
            _("At most %(max)d characters.") % {"max": MESSAGE_MAX}, field="message"
        )
    if channel not in CommsChannel.values:
        raise ValidationFailed(_("Choose a channel."), field="channel")
    with transaction.atomic():
        locked = lock_major(major, None)
        if locked.incident.status not in (*OPEN_STATUSES, IncidentStatus.RESOLVED):
            raise InvalidTransition(not_open_message(locked.incident))
        now = timezone.now()
        recipients = (
            selectors_major.major_audience(locked, chosen)
            if channel == CommsChannel.NOTIFICATION
            else []
        )
        entry = CommsEntry.objects.create(
            major=locked,
            audiences=chosen,
            message=text,
            channel=channel,
            author=actor,
            written_at=now,
            recipient_count=len(recipients),
        )
        locked.next_update_due_at = now + timedelta(minutes=locked.update_interval_minutes)
        locked.reminded_for = None
        locked.save(update_fields=["next_update_due_at", "reminded_for"])
        audit_record(
            actor=actor,
            obj=locked.incident,
            action="major_update",
            changes={
                "audiences": chosen,
                "channel": channel,
                "message": text,
                "recipients": len(recipients),
            },
        )
        emit_in_transaction(
            MajorUpdateWritten(
                incident_id=locked.incident_id,
                number=locked.incident.number,
                actor_id=actor.pk,
                entry_id=entry.pk,
                recipient_ids=tuple(p.pk for p in recipients),
            )
        )
    return entry


def major_remind_due(*, now: datetime | None = None) -> list[str]:
    """Remind the manager of each open major incident whose update is due and unwritten;
    return their numbers. Once per due time, safe with several workers: each is re-checked
    under its lock and marked in the same transaction as its reminder.

    Emits ``MajorUpdateOverdue`` (in the transaction) per reminder.
    """
    now = now or timezone.now()
    reminded = []
    for major_id in selectors_major.majors_due_for_reminder(now=now):
        with transaction.atomic():
            locked = (
                MajorIncident.objects.select_for_update()
                .select_related("incident")
                .filter(pk=major_id)
                .first()
            )
            if (
                locked is None
                or locked.owner_id is None
                or locked.next_update_due_at > now
                or locked.incident.status not in OPEN_STATUSES
                or (
                    locked.reminded_for is not None
                    and locked.reminded_for >= locked.next_update_due_at
                )
            ):
                continue
            locked.reminded_for = locked.next_update_due_at
            locked.save(update_fields=["reminded_for"])
            emit_in_transaction(
                MajorUpdateOverdue(
                    incident_id=locked.incident_id,
                    number=locked.incident.number,
                    actor_id=None,
                    owner_id=locked.owner_id,
                    due_at_iso=locked.next_update_due_at.isoformat(),
                )
            )
            reminded.append(locked.incident.number)
    return reminded
