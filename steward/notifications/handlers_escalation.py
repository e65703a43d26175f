"""The message to the new owner of an escalated incident. Subscribed in
NotificationsConfig.ready(); the escalation services emit the event inside their transaction,
so the notification and its deliveries commit (or roll back) with the escalation."""

from __future__ import annotations

from django.conf import settings

from steward.identity.models import Person
from steward.incidents.events_routing import IncidentEscalated
from steward.incidents.models import Incident
from steward.notifications.services import notification_send


def on_incident_escalated(event: IncidentEscalated) -> None:
    if not event.recipient_ids:
        return  # an SLA escalation whose warning or breach message already told them
    incident = Incident.objects.select_related("team").get(pk=event.incident_id)
    actor = Person.objects.filter(pk=event.actor_id).first() if event.actor_id else None
    recipients = list(Person.objects.filter(pk__in=event.recipient_ids).order_by("pk"))
    for person in recipients:
        notification_send(
            event="incident.escalated",
            recipients=[person],
            record=incident,
            actor=actor,
            context={
                "number": incident.number,
                "title": incident.title,
                "priority": incident.priority,
                "kind": event.kind,
                "level": event.level,
                "reason": event.reason,
                "team_name": incident.team.display_name(person.language) if incident.team else "",
                "actor_name": actor.display_name(person.language) if actor else "",
                "link": f"{settings.STEWARD_BASE_URL}/console/incidents/{incident.number}/",
            },
        )
