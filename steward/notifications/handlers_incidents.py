"""Messages to the requester that follow incident events. Subscribed in
NotificationsConfig.ready().

The incident services emit these events inside their transaction, so each notification and
its delivery rows commit (or roll back) with the change that caused them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from steward.core.events import loaded
from steward.incidents.events import IncidentCreated, IncidentReplied, IncidentResolved
from steward.incidents.models import Comment, Incident
from steward.notifications.services import notification_send
from steward.satisfaction.selectors import current_survey_for
from steward.satisfaction.services.links import survey_link


def _incident(incident_id: int) -> Incident:
    """The incident (with its requester): as the emitting service passed it, else read."""
    found = loaded(Incident, incident_id)
    if found is not None:
        return found
    incident: Incident = Incident.objects.select_related("requester").get(pk=incident_id)
    return incident


def _context(incident: Incident, **extra: Any) -> dict[str, Any]:
    return {
        "number": incident.number,
        "title": incident.title,
        "link": f"{settings.STEWARD_BASE_URL}/portal/tickets/{incident.number}/",
        **extra,
    }


def on_incident_created(event: IncidentCreated) -> None:
    """Acknowledge the report, with the first response the customer agreement promises."""
    incident = _incident(event.incident_id)
    notification_send(
        event="incident.created",
        recipients=[incident.requester],
        record=incident,
        context=_context(incident, due_at=event.first_response_due_at),
    )


def on_incident_replied(event: IncidentReplied) -> None:
    """Send staff's public reply to the requester (never the requester's own reply)."""
    if event.by_requester:
        return
    incident = _incident(event.incident_id)
    comment = Comment.objects.select_related("author").get(pk=event.comment_id)
    notification_send(
        event="incident.replied",
        recipients=[incident.requester],
        record=incident,
        actor=comment.author,
        context=_context(
            incident,
            author_name=comment.author.display_name(incident.requester.language),
            body=comment.body,
        ),
    )


def on_incident_resolved(event: IncidentResolved) -> None:
    """Tell the requester it is resolved, how, and until when they may reopen it.

    ``survey_link`` (the signed satisfaction link, empty when no survey was opened) is in the
    context for administrators who want the resolution message to carry it; the survey's own
    invitation (``satisfaction.invited``) carries it by default.
    """
    incident = _incident(event.incident_id)
    survey = current_survey_for(user=incident.requester, record=incident)
    notification_send(
        event="incident.resolved",
        recipients=[incident.requester],
        record=incident,
        context=_context(
            incident,
            resolution_note=incident.resolution_note,
            reopen_until=event.reopen_until,
            survey_link=survey_link(survey) if survey is not None and survey.is_open else "",
        ),
    )
