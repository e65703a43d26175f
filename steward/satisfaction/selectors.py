"""Reads of satisfaction with business meaning, scoped to the user: a record's surveys (as
visible as the record), complaints (owner, team lead, service owners, auditors,
administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.identity import permissions as identity
from steward.satisfaction import permissions
from steward.satisfaction.models import Complaint, Survey, SurveyStatus
from steward.workitems import selectors as workitems
from steward.workitems.models import WorkItem


def surveys_for_record(*, record: WorkItem) -> QuerySet[Survey]:
    """Every survey of a record the caller has already been allowed to see, newest first."""
    return Survey.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("complaint")


def surveys_for_number(*, user: Any, number: str) -> QuerySet[Survey]:
    """The surveys of the record ``number`` if ``user`` may see it (else ``NotFound``)."""
    record = workitems.record_get_for(user=user, number=number)
    return surveys_for_record(record=record)


def current_survey_for(*, user: Any, record: WorkItem) -> Survey | None:
    """The survey the record's page shows its requester: the latest one that is not void
    (open or answered). None for anyone else."""
    if getattr(user, "pk", None) != record.requester_id:
        return None
    return surveys_for_record(record=record).exclude(status=SurveyStatus.VOID).first()


def survey_get_for(*, user: Any, survey_id: int) -> Survey:
    """A survey whose record ``user`` may see (else ``NotFound``, never 403)."""
    survey = Survey.objects.select_related("requester").filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(_("No such survey."))
    workitems.record_get_for(user=user, number=survey.record_number)
    return survey


def _complaint_scope(user: Any) -> Q:
    if permissions.sees_every_complaint(user):
        return Q()
    if not identity.is_staff_member(user):
        return Q(pk__in=[])
    return Q(owner=user) | Q(survey__team__lead=user)


def complaint_list_for(*, user: Any, status: str = "", open_only: bool = False
                       ) -> QuerySet[Complaint]:
    found = Complaint.objects.filter(_complaint_scope(user)).select_related(
        "owner", "survey__team", "survey__engineer", "survey__service", "survey__requester"
    )
    if status:
        found = found.filter(status=status)
    if open_only:
        found = found.filter(status__in=["recorded", "investigating"])
    return found


def complaint_get_for(*, user: Any, number: str) -> Complaint:
    complaint = complaint_list_for(user=user).filter(number=number.upper()).first()
    if complaint is None:
        raise NotFound(_("No such complaint."))
    return complaint


def complaint_notes(*, complaint: Complaint) -> QuerySet[Any]:
    return complaint.notes.select_related("author")


def complaint_owner_choices(*, user: Any) -> QuerySet[Any]:
    """Active staff a complaint can be handed to (team leads and service owners first)."""
    from steward.identity.selectors import person_list_for

    return (
        person_list_for(user=user)
        .filter(is_active=True, role_grants__role__in=identity.STAFF_ROLES)
        .distinct().order_by("username")
    )
