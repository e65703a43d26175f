"""Surveys open on resolution (in the resolving transaction), go void on reopening, and take
exactly one rating from the requester; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from steward.audit.models import AuditEntry
from steward.core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from steward.identity.models import Role
from steward.notifications.models import Delivery, Notification
from steward.satisfaction import selectors, services
from steward.satisfaction.models import Complaint, Survey
from steward.satisfaction.tests.conftest import reopen
from steward.testing import factories

pytestmark = pytest.mark.django_db


def _state(survey: Survey) -> tuple[Any, ...]:
    survey.refresh_from_db()
    return (survey.status, survey.rating, survey.comment, survey.rated_at,
            Complaint.objects.count(),
            AuditEntry.objects.filter(action="rate").count())


def test_resolving_opens_a_survey_with_a_snapshot_and_invites_the_requester(
    resolved: Any, requester: Any, agent: Any, desk: Any, service: Any
) -> None:
    # When the engineer resolves the incident
    incident = resolved()
    # Then one open survey records who and what was rated, valid for 14 days
    survey = Survey.objects.get()
    assert (survey.record_number, survey.requester, survey.team, survey.engineer,
            survey.service, survey.status) == (
        incident.number, requester, desk, agent, service, "invited")
    assert survey.expires_at - survey.invited_at == timezone.timedelta(days=14)
    # And the requester gets the invitation with a signed link on their e-mail channel
    invitation = Notification.objects.get(event="satisfaction.invited")
    assert invitation.recipient == requester
    prefix = f"{settings.STEWARD_BASE_URL}/portal/survey/"
    assert invitation.link.startswith(prefix)
    assert services.survey_from_token(invitation.link.removeprefix(prefix).strip("/")) == survey
    channels = Delivery.objects.filter(notification=invitation).values_list("channel", flat=True)
    assert list(channels) == ["email"]


def test_reopening_voids_the_survey_and_the_next_resolution_opens_a_fresh_one(
    resolved: Any, agent: Any, requester: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from steward.incidents import services as incidents

    # Given a resolved incident with its survey
    incident = resolved()
    first = Survey.objects.get()
    # When the requester reopens it (the survey goes void in the reopening transaction,
    # before anything runs on commit) and the engineer resolves it again
    with django_capture_on_commit_callbacks(execute=False):
        incident = reopen(incident, actor=requester)
        first.refresh_from_db()
        assert first.status == "void"
    incidents.incident_resolve(actor=agent, incident=incident, resolution_code="solution_provided",
                               resolution_note="换了电源。")
    # Then there are two surveys: the old one void, a new open one
    assert list(Survey.objects.order_by("pk").values_list("status", flat=True)) == [
        "void", "invited"]
    # And the old link says the survey no longer applies, and records nothing
    token = services.survey_token(first)
    with pytest.raises(InvalidTransition) as refused:
        services.survey_rate_by_link(token=token, rating=5)
    assert refused.value.code == "survey_void"
    assert _state(first)[:2] == ("void", None)


def test_the_requester_rates_once(survey: Survey, requester: Any) -> None:
    # When the requester rates 5 with a comment
    rated = services.survey_rate(actor=requester, survey=survey, rating=5, comment=" 很快 ")
    # Then the rating is kept, audited, and no complaint is opened
    assert (rated.status, rated.rating, rated.comment, rated.rated_via) == (
        "rated", 5, "很快", "portal")
    assert AuditEntry.objects.filter(action="rate").count() == 1
    assert Complaint.objects.count() == 0
    # And a second rating is refused and changes nothing
    before = _state(survey)
    with pytest.raises(Conflict) as refused:
        services.survey_rate(actor=requester, survey=survey, rating=1)
    assert refused.value.code == "survey_used"
    assert _state(survey) == before


def test_someone_else_cannot_rate(survey: Survey, agent: Any) -> None:
    before = _state(survey)
    with pytest.raises(NotPermitted):
        services.survey_rate(actor=agent, survey=survey, rating=5)
    assert _state(survey) == before


@pytest.mark.parametrize(("_case", "rating"), [
    ("zero", 0), ("six", 6), ("text", "5"), ("none", None), ("boolean", True)])
def test_a_rating_outside_1_to_5_is_refused_with_field_and_reason(
    survey: Survey, requester: Any, _case: str, rating: Any
) -> None:
    before = _state(survey)
    with pytest.raises(ValidationFailed) as refused:
        services.survey_rate(actor=requester, survey=survey, rating=rating)
    assert (refused.value.field, refused.value.code, refused.value.message) == (
        "rating", "invalid", "Choose a rating from 1 to 5.")
    assert _state(survey) == before


def test_a_too_long_comment_is_refused(survey: Survey, requester: Any) -> None:
    before = _state(survey)
    with pytest.raises(ValidationFailed) as refused:
        services.survey_rate(actor=requester, survey=survey, rating=4, comment="长" * 2001)
    assert refused.value.field == "comment"
    assert _state(survey) == before


def test_the_link_rates_without_signing_in_and_only_once(survey: Survey, requester: Any) -> None:
    token = services.survey_token(survey)
    rated = services.survey_rate_by_link(token=token, rating=4, comment="")
    assert (rated.status, rated.rating, rated.rated_via) == ("rated", 4, "link")
    assert AuditEntry.objects.get(action="rate").actor == requester
    before = _state(survey)
    with pytest.raises(Conflict) as refused:
        services.survey_rate_by_link(token=token, rating=1)
    assert refused.value.code == "survey_used"
    assert _state(survey) == before


@pytest.mark.parametrize("_case", ["altered", "other salt", "garbage"])
def test_a_forged_link_is_refused(survey: Survey, _case: str) -> None:
    from django.core import signing

    token = {
        "altered": services.survey_token(survey)[:-2] + "xx",
        "other salt": signing.dumps({"s": survey.pk, "n": survey.nonce}),
        "garbage": "not-a-token",
    }[_case]
    before = _state(survey)
    with pytest.raises(NotFound) as refused:
        services.survey_rate_by_link(token=token, rating=5)
    assert refused.value.code == "survey_link_invalid"
    assert _state(survey) == before


def test_an_expired_survey_is_refused(survey: Survey, requester: Any) -> None:
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now())
    before = _state(survey)
    with pytest.raises(BusinessRuleViolation) as refused:
        services.survey_rate_by_link(token=services.survey_token(survey), rating=5)
    assert refused.value.code == "survey_expired"
    with pytest.raises(BusinessRuleViolation):
        services.survey_rate(actor=requester, survey=survey, rating=5)
    assert _state(survey) == before


def test_an_inactive_requester_is_not_invited(agent: Any, service: Any) -> None:
    from steward.identity.services import person_deactivate

    gone = factories.person()
    incident = factories.incident(requester=gone, service=service)
    person_deactivate(actor=factories.person(roles=(Role.ADMINISTRATOR,)), person=gone)
    from steward.incidents import services as incidents

    incidents.incident_resolve(actor=agent, incident=incident, resolution_code="solution_provided",
                               resolution_note="已处理。")
    assert Survey.objects.count() == 0


def test_the_resolution_message_can_carry_the_link(resolved: Any, requester: Any) -> None:
    from steward.notifications.models import MessageTemplate

    # Given an administrator put the survey link into the resolution message
    MessageTemplate.objects.filter(event="incident.resolved").update(body="评价：{{ survey_link }}")
    # When the incident is resolved
    resolved()
    # Then the resolution message carries the survey's signed link
    survey = Survey.objects.get()
    body = Notification.objects.get(event="incident.resolved").body
    prefix = f"评价：{settings.STEWARD_BASE_URL}/portal/survey/"
    assert body.startswith(prefix)
    assert services.survey_from_token(body.removeprefix(prefix).rstrip("/")) == survey


def test_any_registered_record_type_gets_surveys(requester: Any, agent: Any, desk: Any) -> None:
    # Given a record of another registered type (the test-only memo), without a service
    memo = factories.memo(requester=requester, team=desk, assignee=agent)
    # When its resolution opens a survey, as a fulfilled service request's will
    survey = services.survey_invite(record=memo)
    assert survey is not None
    assert (survey.record_number, survey.team, survey.engineer, survey.service) == (
        memo.number, desk, agent, None)
    # Then its requester rates it like an incident's
    rated = services.survey_rate(actor=requester, survey=survey, rating=3)
    assert rated.status == "rated"
    assert [s.pk for s in selectors.surveys_for_number(user=requester, number=memo.number)] == [
        survey.pk]
