"""Service requests get a survey when fulfilled, like incidents when resolved."""

from __future__ import annotations

from typing import Any

import pytest

from steward.fulfilment.services import task_complete, task_start
from steward.notifications.models import Notification
from steward.satisfaction.models import Survey
from steward.satisfaction.services.surveys import survey_rate
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_in_fulfilment(agent: Any, desk: Any, service: Any, requester: Any) -> Any:
    item = factories.request_item(
        service=service, code="VPN", name="VPN 账号", approval_kind="none",
        form=[{"key": "reason", "type": "text", "label": "用途"}],
        tasks=[{"title": "开通账号", "team": desk.code}],
    )
    return factories.service_request(requester=requester, item=item,
                                     answers={"reason": "出差"})


def _fulfil(request: Any, agent: Any) -> None:
    task = request.tasks.get()
    task_start(actor=agent, task=task)
    task_complete(actor=agent, task=task, note="账号已开通")


def test_fulfilling_a_request_invites_its_requester_once(
    request_in_fulfilment: Any, agent: Any, requester: Any
) -> None:
    assert Survey.objects.filter(record_number=request_in_fulfilment.number).count() == 0

    _fulfil(request_in_fulfilment, agent)

    survey = Survey.objects.get(record_number=request_in_fulfilment.number)
    assert (survey.requester, survey.status, survey.service) == (
        requester, "invited", request_in_fulfilment.service
    )
    assert Notification.objects.filter(event="satisfaction.invited").count() == 1


def test_a_fulfilled_request_is_rated_and_counted(
    request_in_fulfilment: Any, agent: Any, requester: Any
) -> None:
    _fulfil(request_in_fulfilment, agent)
    survey = Survey.objects.get(record_number=request_in_fulfilment.number)

    survey_rate(actor=requester, survey=survey, rating=2, comment="太慢了")

    survey.refresh_from_db()
    assert (survey.status, survey.rating) == ("rated", 2)
    assert survey.complaint is not None


def test_the_requester_rates_a_fulfilled_request_on_its_portal_page(
    request_in_fulfilment: Any, agent: Any, requester: Any, client: Any
) -> None:
    _fulfil(request_in_fulfilment, agent)
    survey = Survey.objects.get(record_number=request_in_fulfilment.number)
    client.force_login(requester)

    page = client.get(f"/portal/tickets/{request_in_fulfilment.number}/")
    rated = client.post(f"/portal/surveys/{survey.pk}/rate/",
                        {"survey-rating": "5", "survey-comment": "很快"}, HTTP_HX_REQUEST="true")

    assert page.status_code == 200
    assert b'id="survey-form"' in page.content
    assert rated.status_code == 200
    survey.refresh_from_db()
    assert (survey.status, survey.rating, survey.comment) == ("rated", 5, "很快")
