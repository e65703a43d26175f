"""The satisfaction API: wiring, error bodies with field and reason, who may rate and see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from steward.satisfaction.models import Complaint, Survey
from steward.satisfaction.tests.test_surveys import _state
from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db
URL = "/api/v1/satisfaction"


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_the_requester_lists_and_rates_through_the_api(survey: Survey, requester: Any) -> None:
    client = client_for(requester)
    listed = client.get(f"{URL}/records/{survey.record_number}/surveys")
    assert listed.status_code == 200
    assert [(s["id"], s["status"], s["complaint_number"]) for s in listed.json()] == [
        (survey.pk, "invited", None)]
    rated = post(client, f"{URL}/surveys/{survey.pk}/rate", {"rating": 2, "comment": "太慢"})
    assert rated.status_code == 200, rated.json()
    assert (rated.json()["rating"], rated.json()["rated_via"],
            rated.json()["complaint_number"]) == (2, "api", f"CPL-{survey.pk:06d}")


@pytest.mark.parametrize(("_case", "rating"), [("zero", 0), ("six", 6)])
def test_a_rating_outside_the_range_answers_field_and_reason(
    survey: Survey, requester: Any, _case: str, rating: int
) -> None:
    before = _state(survey)
    response = post(client_for(requester), f"{URL}/surveys/{survey.pk}/rate", {"rating": rating})
    assert (response.status_code, response.json()) == (422, {
        "detail": zh("Choose a rating from 1 to 5."), "code": "invalid", "field": "rating"})
    assert _state(survey) == before


def test_the_engineer_may_see_but_not_rate(survey: Survey, agent: Any) -> None:
    before = _state(survey)
    response = post(client_for(agent), f"{URL}/surveys/{survey.pk}/rate", {"rating": 5})
    assert (response.status_code, response.json()["code"]) == (403, "not_permitted")
    assert _state(survey) == before


def test_a_stranger_gets_404(survey: Survey) -> None:
    from steward.testing import factories

    stranger = client_for(factories.person())
    assert stranger.get(f"{URL}/records/{survey.record_number}/surveys").status_code == 404
    assert post(stranger, f"{URL}/surveys/{survey.pk}/rate", {"rating": 5}).status_code == 404
    assert _state(survey)[0] == "invited"


def test_a_second_rating_is_a_conflict(survey: Survey, requester: Any) -> None:
    client = client_for(requester)
    post(client, f"{URL}/surveys/{survey.pk}/rate", {"rating": 5})
    again = post(client, f"{URL}/surveys/{survey.pk}/rate", {"rating": 1})
    assert (again.status_code, again.json()["code"]) == (409, "survey_used")
    assert Complaint.objects.count() == 0


def test_the_lead_works_a_complaint_and_reads_csat(survey: Survey, requester: Any, lead: Any
                                                   ) -> None:
    post(client_for(requester), f"{URL}/surveys/{survey.pk}/rate", {"rating": 1})
    client = client_for(lead)
    number = f"CPL-{survey.pk:06d}"
    listed = client.get(f"{URL}/complaints", {"open_only": True})
    assert [(c["number"], c["owner"], c["allowed_actions"]) for c in listed.json()] == [
        (number, "li", ["investigate", "resolve"])]
    assert post(client, f"{URL}/complaints/{number}/notes", {"body": "已致电"}).status_code == 201
    refused = post(client, f"{URL}/complaints/{number}/resolve", {"outcome": ""})
    assert (refused.status_code, refused.json()["field"]) == (422, "outcome")
    done = post(client, f"{URL}/complaints/{number}/resolve", {"outcome": "已道歉", "version": 1})
    assert (done.status_code, done.json()["status"]) == (200, "resolved")
    figures = client.get(f"{URL}/csat", {"by": "engineer"})
    assert [(r["key"], r["rated"], r["invited"]) for r in figures.json()] == [("wang", 1, 1)]


def test_csat_is_refused_to_an_engineer(agent: Any) -> None:
    response = client_for(agent).get(f"{URL}/csat")
    assert (response.status_code, response.json()["code"]) == (403, "not_permitted")


def test_a_complaint_is_handed_over_through_the_api(survey: Survey, requester: Any, lead: Any,
                                                     agent: Any) -> None:
    post(client_for(requester), f"{URL}/surveys/{survey.pk}/rate", {"rating": 1})
    number = f"CPL-{survey.pk:06d}"
    client = client_for(lead)
    nobody = post(client, f"{URL}/complaints/{number}/assign", {"owner_id": requester.pk})
    assert (nobody.status_code, nobody.json()["field"]) == (422, "owner")
    moved = post(client, f"{URL}/complaints/{number}/assign",
                 {"owner_id": agent.pk, "version": 1})
    assert (moved.status_code, moved.json()["owner"], moved.json()["version"]) == (
        200, "wang", 2)


def test_the_complaint_list_reads_a_fixed_number_of_queries(
    resolved: Any, requester: Any, owner: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        incident = resolved()
        survey = Survey.objects.get(object_id=incident.pk)
        post(client_for(requester), f"{URL}/surveys/{survey.pk}/rate", {"rating": 1})
    client = client_for(owner)
    with django_assert_max_num_queries(8):
        listed = client.get(f"{URL}/complaints")
    assert len(listed.json()) == 5
