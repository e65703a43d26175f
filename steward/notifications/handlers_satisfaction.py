"""Messages that follow satisfaction events: the survey invitation to the requester (through
their preferred channels), a complaint to its owner, and its outcome to the requester. Subscribed in
NotificationsConfig.ready(); the events are emitted inside the transaction, so the
notification rows commit with the survey or complaint."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from steward.identity.models import Person
from steward.notifications.services import notification_send
from steward.satisfaction.events import (
    ComplaintAssigned,
    ComplaintOpened,
    ComplaintResolved,
    SurveyInvited,
)
from steward.satisfaction.models import Complaint, Survey
from steward.satisfaction.services.links import survey_link


def on_survey_invited(event: SurveyInvited) -> None:
    """Ask the requester to rate the resolution, with a signed link valid once."""
    survey = Survey.objects.select_related("requester").get(pk=event.survey_id)
    notification_send(
        event="satisfaction.invited",
        recipients=[survey.requester],
        record=survey.record,
        context={
            "number": survey.record_number,
            "title": survey.record_title,
            "link": survey_link(survey),
            "expires_at": survey.expires_at,
        },
    )


def on_complaint_for_owner(event: ComplaintOpened | ComplaintAssigned) -> None:
    """Tell the complaint's owner (none: nobody to tell, it waits in the complaint list)."""
    if event.owner_id is None:
        return
    complaint = Complaint.objects.select_related("survey").get(pk=event.complaint_id)
    owner = Person.objects.get(pk=event.owner_id)
    survey = complaint.survey
    notification_send(
        event="complaint.opened",
        recipients=[owner],
        record=complaint,
        context={
            "complaint": complaint.number,
            "number": survey.record_number,
            "title": survey.record_title,
            "rating": survey.rating,
            "comment": survey.comment,
            "link": settings.STEWARD_BASE_URL
            + reverse("satisfaction:complaint", args=[complaint.number]),
        },
    )


def on_complaint_resolved(event: ComplaintResolved) -> None:
    """Tell the customer what was done about their complaint."""
    complaint = Complaint.objects.select_related("survey__requester").get(pk=event.complaint_id)
    survey = complaint.survey
    record = survey.record
    notification_send(
        event="complaint.resolved",
        recipients=[survey.requester],
        record=record,
        context={
            "complaint": complaint.number,
            "number": survey.record_number,
            "title": survey.record_title,
            "outcome": complaint.outcome,
            "link": f"{settings.STEWARD_BASE_URL}"
            + reverse("portal:record", args=[survey.record_number]),
        },
    )
