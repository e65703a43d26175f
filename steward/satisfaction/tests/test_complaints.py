"""A rating of 1 or 2 opens a complaint owned by the team lead (fallback: the service owner),
notified to the owner; the complaint follows its transition table; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from steward.audit.models import AuditEntry
from steward.core.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.identity.services import team_update
from steward.notifications.models import Notification
from steward.satisfaction import services
from steward.satisfaction.models import COMPLAINT_TRANSITIONS, Complaint, ComplaintStatus, Survey
from steward.testing import factories

pytestmark = pytest.mark.django_db


def _complaint(survey: Survey, requester: Any, rating: int = 1) -> Complaint:
    services.survey_rate(actor=requester, survey=survey, rating=rating, comment="等了三天")
    return Complaint.objects.get()


@pytest.mark.parametrize(("_case", "rating", "opened"), [
    ("very dissatisfied", 1, 1), ("dissatisfied", 2, 1), ("neutral", 3, 0), ("satisfied", 4, 0)])
def test_only_a_rating_of_1_or_2_opens_a_complaint(
    survey: Survey, requester: Any, _case: str, rating: int, opened: int
) -> None:
    services.survey_rate(actor=requester, survey=survey, rating=rating)
    assert Complaint.objects.count() == opened


def test_the_complaint_goes_to_the_team_lead_who_is_told(
    survey: Survey, requester: Any, lead: Any
) -> None:
    complaint = _complaint(survey, requester)
    assert (complaint.number, complaint.status, complaint.owner) == (
        f"CPL-{survey.pk:06d}", "recorded", lead)
    told = Notification.objects.get(event="complaint.opened")
    assert told.recipient == lead
    assert told.link.endswith(f"/console/satisfaction/complaints/{complaint.number}/")


def test_without_a_team_lead_the_service_owner_owns_it(
    survey: Survey, requester: Any, desk: Any, owner: Any
) -> None:
    team_update(actor=factories.person(roles=(Role.ADMINISTRATOR,)), team=desk,
                changes={"lead": None})
    survey.refresh_from_db()
    complaint = _complaint(survey, requester)
    assert complaint.owner == owner


def test_the_owner_works_the_complaint_through_its_life_cycle(
    survey: Survey, requester: Any, lead: Any
) -> None:
    complaint = _complaint(survey, requester)
    complaint = services.complaint_act(actor=lead, complaint=complaint, action="investigate",
                                       note="联系了店长", version=1)
    complaint = services.complaint_act(actor=lead, complaint=complaint, action="resolve",
                                       outcome="已向店长道歉并加快备件流程", version=2)
    complaint = services.complaint_act(actor=lead, complaint=complaint, action="close")
    assert (complaint.status, complaint.outcome, complaint.version) == (
        "closed", "已向店长道歉并加快备件流程", 4)
    assert complaint.resolved_at is not None
    assert complaint.closed_at is not None
    assert list(complaint.notes.values_list("body", flat=True)) == ["联系了店长"]
    assert list(AuditEntry.objects.filter(object_id=complaint.pk, content_type__model="complaint")
                .values_list("action", flat=True)) == ["create", "investigate", "resolve", "close"]


def _unchanged(complaint: Complaint) -> tuple[Any, ...]:
    complaint.refresh_from_db()
    return (complaint.status, complaint.outcome, complaint.version, complaint.notes.count(),
            AuditEntry.objects.filter(content_type__model="complaint").count())


def test_resolving_without_an_outcome_is_refused(survey: Survey, requester: Any, lead: Any
                                                 ) -> None:
    complaint = _complaint(survey, requester)
    before = _unchanged(complaint)
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_act(actor=lead, complaint=complaint, action="resolve", outcome=" ")
    assert refused.value.field == "outcome"
    assert _unchanged(complaint) == before


def test_an_action_not_in_the_table_is_refused(survey: Survey, requester: Any, lead: Any
                                               ) -> None:
    complaint = _complaint(survey, requester)
    before = _unchanged(complaint)
    with pytest.raises(InvalidTransition):
        services.complaint_act(actor=lead, complaint=complaint, action="close")
    assert _unchanged(complaint) == before


def test_a_stale_version_is_refused(survey: Survey, requester: Any, lead: Any) -> None:
    complaint = _complaint(survey, requester)
    services.complaint_act(actor=lead, complaint=complaint, action="investigate")
    before = _unchanged(complaint)
    with pytest.raises(Conflict):
        services.complaint_act(actor=lead, complaint=complaint, action="resolve",
                               outcome="x", version=1)
    assert _unchanged(complaint) == before


@pytest.mark.parametrize("_case", ["engineer", "requester", "auditor"])
def test_others_cannot_work_the_complaint(
    survey: Survey, requester: Any, agent: Any, _case: str
) -> None:
    complaint = _complaint(survey, requester)
    actor = {"engineer": agent, "requester": requester,
             "auditor": factories.person(roles=(Role.AUDITOR,))}[_case]
    before = _unchanged(complaint)
    with pytest.raises(NotPermitted):
        services.complaint_act(actor=actor, complaint=complaint, action="investigate")
    with pytest.raises(NotPermitted):
        services.complaint_note_add(actor=actor, complaint=complaint, body="看看")
    assert _unchanged(complaint) == before


def test_handing_over_tells_the_new_owner(survey: Survey, requester: Any, lead: Any,
                                          agent: Any) -> None:
    complaint = _complaint(survey, requester)
    complaint = services.complaint_assign(actor=lead, complaint=complaint, owner=agent)
    assert complaint.owner == agent
    assert list(Notification.objects.filter(event="complaint.opened")
                .order_by("pk").values_list("recipient__username", flat=True)) == ["li", "wang"]


def test_every_status_is_reachable_and_closed_is_terminal() -> None:
    assert COMPLAINT_TRANSITIONS.states() == set(ComplaintStatus.values)
    assert COMPLAINT_TRANSITIONS.allowed(ComplaintStatus.CLOSED) == []
