"""The survey pages: the signed link without signing in (clear refusals, nothing recorded),
the portal panel (htmx, only the requester), the console complaint and CSAT pages, zh-Hans."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.satisfaction import services
from steward.satisfaction.models import Complaint, Survey
from steward.satisfaction.tests.test_surveys import _state
from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def link(survey: Survey) -> str:
    return reverse("satisfaction_public:rate", args=[services.survey_token(survey)])


def test_the_link_shows_the_form_and_a_get_records_nothing(survey: Survey) -> None:
    before = _state(survey)
    response = Client().get(link(survey) + "?r=5")
    assert response.status_code == 200
    assert b'name="rating" value="5"' in response.content
    assert b'id="survey-form"' in response.content
    assert _state(survey) == before


def test_the_link_rates_without_signing_in_then_says_it_was_used(survey: Survey) -> None:
    client = Client()
    done = client.post(link(survey), {"rating": "4", "comment": "不错"})
    assert done.status_code == 200
    assert b'data-rating="4"' in done.content
    before = _state(survey)
    again = client.post(link(survey), {"rating": "1"})
    assert again.status_code == 409
    assert b'data-code="survey_used"' in again.content
    assert _state(survey) == before
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(("_case", "status", "code"), [
    ("forged", 404, "survey_link_invalid"), ("void", 410, "survey_void"),
    ("expired", 410, "survey_expired")])
def test_a_link_that_cannot_be_used_says_why(survey: Survey, _case: str, status: int,
                                             code: str) -> None:
    url = link(survey)
    if _case == "forged":
        url = url.replace(url.rstrip("/")[-4:], "abcd")
    elif _case == "void":
        Survey.objects.filter(pk=survey.pk).update(status="void")
    else:
        from django.utils import timezone

        Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now())
    before = _state(survey)
    response = Client().post(url, {"rating": "5"})
    assert response.status_code == status
    assert f'data-code="{code}"'.encode() in response.content
    assert _state(survey) == before


def test_a_link_rating_of_6_shows_the_field_error(survey: Survey) -> None:
    before = _state(survey)
    response = Client().post(link(survey), {"rating": "6"})
    assert response.status_code == 422
    assert b'id="id_rating_error"' in response.content
    assert _state(survey) == before


def test_the_requester_rates_on_the_record_page(survey: Survey, requester: Any) -> None:
    client = client_for(requester)
    page = client.get(reverse("portal:record", args=[survey.record_number]))
    assert b'id="survey-form"' in page.content
    url = reverse("satisfaction_public:portal_rate", args=[survey.pk])
    response = client.post(url, {"survey-rating": "5", "survey-comment": "谢谢"}, **HX)
    assert response.status_code == 200
    assert b'data-rating="5"' in response.content
    assert b'id="survey-form"' not in response.content
    page = client.get(reverse("portal:record", args=[survey.record_number]))
    assert b'data-rating="5"' in page.content


def test_someone_else_cannot_rate_on_the_page(survey: Survey, agent: Any) -> None:
    client = client_for(agent)
    before = _state(survey)
    url = reverse("satisfaction_public:portal_rate", args=[survey.pk])
    response = client.post(url, {"survey-rating": "5"}, **HX)
    assert response.status_code == 403
    assert _state(survey) == before
    page = client.get(reverse("portal:record", args=[survey.record_number]))
    assert b'id="survey-panel"' not in page.content


def test_the_lead_resolves_a_complaint_from_the_console(survey: Survey, requester: Any,
                                                        lead: Any) -> None:
    services.survey_rate(actor=requester, survey=survey, rating=1)
    complaint = Complaint.objects.get()
    client = client_for(lead)
    listed = client.get(reverse("satisfaction:complaints") + "?status=open")
    assert complaint.number.encode() in listed.content
    page = client.get(reverse("satisfaction:complaint", args=[complaint.number]))
    assert b'id="complaint-investigate"' in page.content
    url = reverse("satisfaction:complaint_action", args=[complaint.number, "resolve"])
    refused = client.post(url, {"outcome": "", "version": "1"})
    assert refused.status_code == 422
    done = client.post(url, {"outcome": "已道歉", "version": "1"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "resolved"


def test_the_csat_page_and_exports_in_chinese(survey: Survey, requester: Any, lead: Any) -> None:
    services.survey_rate(actor=requester, survey=survey, rating=4)
    client = client_for(lead)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("satisfaction:csat"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert b'<html lang="zh-Hans">' in page.content
    assert b'id="csat-table-team"' in page.content
    assert b'data-key="DESK"' in page.content
    csv = client.get(reverse("satisfaction:csat_export", args=["csv"]) + "?by=engineer")
    assert csv.content.decode().splitlines()[1].startswith("wang,")
    xlsx = client.get(reverse("satisfaction:csat_export", args=["xlsx"]) + "?by=team")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_the_csat_page_is_refused_to_an_engineer(agent: Any) -> None:
    assert client_for(agent).get(reverse("satisfaction:csat")).status_code == 403


def test_the_lead_hands_a_complaint_over_from_the_console(survey: Survey, requester: Any,
                                                          lead: Any, agent: Any) -> None:
    services.survey_rate(actor=requester, survey=survey, rating=2)
    complaint = Complaint.objects.get()
    client = client_for(lead)
    url = reverse("satisfaction:complaint_assign", args=[complaint.number])
    stale = client.post(url, {"owner": str(agent.pk), "version": "9"})
    assert stale.status_code == 422
    complaint.refresh_from_db()
    assert complaint.owner == lead
    done = client.post(url, {"owner": str(agent.pk), "version": "1"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.owner, complaint.version) == (agent, 2)


def test_the_console_incident_page_shows_the_rating(survey: Survey, requester: Any,
                                                    agent: Any) -> None:
    services.survey_rate(actor=requester, survey=survey, rating=1, comment="太慢了")
    page = client_for(agent).get(reverse("console:incident", args=[survey.record_number]))
    assert page.status_code == 200
    assert b'id="record-surveys"' in page.content
    assert b'data-rating="1"' in page.content
    assert "太慢了".encode() in page.content
    assert f"CPL-{survey.pk:06d}".encode() in page.content


def test_without_htmx_the_page_rating_redirects_with_a_message(survey: Survey, requester: Any
                                                               ) -> None:
    client = client_for(requester)
    url = reverse("satisfaction_public:portal_rate", args=[survey.pk])
    refused = client.post(url, {"survey-rating": "0"}, follow=True)
    assert zh("Choose a rating from 1 to 5.").encode() in refused.content
    assert _state(survey)[0] == "invited"
    done = client.post(url, {"survey-rating": "3"})
    assert done.status_code == 302
    assert done["Location"] == reverse("portal:record", args=[survey.record_number])
    assert _state(survey)[:2] == ("rated", 3)


def test_the_complaint_page_list_reads_a_fixed_number_of_queries(
    resolved: Any, requester: Any, owner: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        incident = resolved()
        services.survey_rate(actor=requester, survey=Survey.objects.get(object_id=incident.pk),
                             rating=2)
    client = client_for(owner)
    with django_assert_max_num_queries(14):
        listed = client.get(reverse("satisfaction:complaints"))
    assert listed.content.count(b'href="/console/satisfaction/complaints/CPL-') == 5


def test_confirming_the_resolution_keeps_the_rating_form_in_the_fragment(
    survey: Survey, requester: Any
) -> None:
    client = client_for(requester)
    confirmed = client.post(reverse("portal:incident_confirm", args=[survey.record_number]),
                            **HX)
    assert confirmed.status_code == 200
    assert b'id="confirm-form"' not in confirmed.content
    assert b'id="survey-form"' in confirmed.content
    assert b'name="survey-rating" value="5"' in confirmed.content
