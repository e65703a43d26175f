"""Messages of major incidents: each update to its audiences, and the reminder to the
major-incident manager when a scheduled update is overdue. Subscribed in
NotificationsConfig.ready().

Both events are emitted inside the incident transaction, so the notification and delivery
rows commit (or roll back) with the update or the reminder mark.
"""

from __future__ import annotations

from django.conf import settings

from steward.identity.models import Person
from steward.incidents.events_major import MajorUpdateOverdue, MajorUpdateWritten
from steward.incidents.models import CommsEntry, Incident
from steward.notifications.services import notification_send


def on_major_update_written(event: MajorUpdateWritten) -> None:
    """Send the update to the people of its audiences (none: logged on another channel)."""
    if not event.recipient_ids:
        return
    entry = CommsEntry.objects.select_related("author", "major__incident").get(pk=event.entry_id)
    incident = entry.major.incident
    notification_send(
        event="incident.major_update",
        recipients=Person.objects.filter(pk__in=event.recipient_ids).order_by("pk"),
        record=incident,
        actor=entry.author,
        thread_key=f"major-{incident.number}",
        context={
            "number": incident.number,
            "title": incident.title,
            "status": incident.get_status_display(),
            "message": entry.message,
            "author_name": str(entry.author),
            "written_at": entry.written_at,
        },
    )


def on_major_update_overdue(event: MajorUpdateOverdue) -> None:
    """Remind the manager that the scheduled update is due."""
    incident = Incident.objects.get(pk=event.incident_id)
    owner = Person.objects.get(pk=event.owner_id)
    notification_send(
        event="incident.major_update_due",
        recipients=[owner],
        record=incident,
        context={
            "number": incident.number,
            "title": incident.title,
            "due_at": incident.major.next_update_due_at,
            "link": f"{settings.STEWARD_BASE_URL}/console/incidents/{incident.number}/",
        },
    )
