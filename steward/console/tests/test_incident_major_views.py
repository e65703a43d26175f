"""Console: the major-incident panel, links and merge on the incident page, the list of major
incidents, bulk edits from the queue and saved views."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.console.tests.html_checks import unlabelled_controls
from steward.incidents import services
from steward.incidents.models import CommsEntry, IncidentLink, MajorIncident, SavedView
from steward.incidents.services import major
from steward.incidents.tests.conftest import (  # noqa: F401 - fixtures
    agent,
    agreement,
    clock,
    desk,
    incident_in,
    lead,
    network,
    network_agent,
    raise_incident,
    requester,
    service,
    state_of,
)
from steward.sla.tests.conftest import china  # noqa: F401 - fixture
from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _major_act(client: Client, number: str, action: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("console:incident_major_act", args=[number, action]), data)


def test_a_lead_declares_from_the_incident_page_and_sees_the_banner(raise_incident, lead):
    incident = raise_incident()
    client = _client(lead)
    page = client.get(reverse("console:incident", args=[incident.number])).content.decode()
    assert reverse("console:incident_major_act", args=[incident.number, "declare"]) in page

    response = _major_act(client, incident.number, "declare", {"declare-reason": "总部专线中断"})

    assert response.status_code == 302
    html = client.get(reverse("console:incident", args=[incident.number])).content.decode()
    assert 'id="major"' in html
    assert "总部专线中断" in html
    assert zh("declared a major incident") in html  # the timeline entry
    assert unlabelled_controls(html) == []


def test_an_agent_is_not_offered_declaring_and_is_refused(raise_incident, agent):
    incident = raise_incident()
    client = _client(agent)
    page = client.get(reverse("console:incident", args=[incident.number])).content.decode()
    before = state_of(incident)

    response = _major_act(client, incident.number, "declare", {"declare-reason": "x"})

    assert reverse("console:incident_major_act", args=[incident.number, "declare"]) not in page
    assert response.status_code == 403
    assert state_of(incident) == before


def test_the_comms_form_logs_an_update_and_an_empty_one_is_a_422(raise_incident, lead):
    incident = raise_incident()
    major.major_declare(actor=lead, incident=incident, reason="全部门店")
    client = _client(lead)

    refused = _major_act(
        client,
        incident.number,
        "comms",
        {"comms-audiences": ["management"], "comms-channel": "phone", "comms-message": ""},
    )
    logged = _major_act(
        client,
        incident.number,
        "comms",
        {
            "comms-audiences": ["management", "requesters"],
            "comms-channel": "phone",
            "comms-message": "已通知 CIO",
        },
    )

    assert (refused.status_code, logged.status_code) == (422, 302)
    assert list(CommsEntry.objects.values_list("message", "audiences")) == [
        ("已通知 CIO", ["management", "requesters"])
    ]
    html = client.get(reverse("console:incident", args=[incident.number])).content.decode()
    assert "已通知 CIO" in html


def test_closing_a_major_incident_without_review_shows_why(incident_in, lead, agent):
    open_one = incident_in("in_progress")
    major.major_declare(actor=lead, incident=open_one, reason="全线中断")
    resolved = services.incident_resolve(
        actor=agent, incident=open_one, resolution_code="solution_provided", resolution_note="ok"
    )
    client = _client(agent)
    before = state_of(resolved)

    response = client.post(reverse("console:incident_act", args=[resolved.number, "close"]), {})

    assert response.status_code == 422
    assert "review" in response.content.decode()
    assert state_of(resolved) == before
    review = _major_act(
        client,
        resolved.number,
        "review",
        {
            "review-timeline_summary": "10:15 报障",
            "review-cause": "专线",
            "review-complete": "on",
            "review-action_1": "加备份",
            "review-action_1_owner": agent.pk,
            "review-action_1_due": "2026-03-31",
        },
    )
    assert review.status_code == 302
    closed = client.post(reverse("console:incident_act", args=[resolved.number, "close"]), {})
    assert closed.status_code == 302
    resolved.refresh_from_db()
    assert resolved.status == "closed"


def test_link_and_merge_from_the_page(incident_in, agent):
    parent, child, duplicate = incident_in("in_progress"), incident_in("new"), incident_in("new")
    client = _client(agent)

    linked = _major_act(client, child.number, "parent", {"parent-number": parent.number})
    merged = client.post(
        reverse("console:incident_act", args=[duplicate.number, "merge"]),
        {"merge-number": parent.number},
    )
    refused = client.post(
        reverse("console:incident_act", args=[child.number, "merge"]),
        {"merge-number": child.number},
    )

    assert (linked.status_code, merged.status_code, refused.status_code) == (302, 302, 422)
    assert IncidentLink.objects.count() == 2
    html = client.get(reverse("console:incident", args=[parent.number])).content.decode()
    assert 'id="links"' in html
    assert child.number in html
    assert duplicate.number in html


def test_the_major_list_shows_open_major_incidents_in_chinese(raise_incident, lead):
    incident = raise_incident()
    major.major_declare(actor=lead, incident=incident, reason="全线中断")
    lead.language = "zh-hans"
    lead.save(update_fields=["language"])

    response = _client(lead).get(reverse("console:major_incidents"), {"open": "1"})

    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert 'id="major-incidents"' in html
    assert reverse("console:incident", args=[incident.number]) in html


def test_bulk_from_the_queue_reports_each_row(incident_in, agent):
    mine = incident_in("new")
    client = _client(agent)
    queue = client.get(reverse("console:incidents"), {"queue": "all"}).content.decode()
    assert 'form="bulk-form"' in queue

    response = client.post(
        reverse("console:incident_bulk"),
        {
            "numbers": [mine.number, "INC-999999"],
            "operation": "note",
            "note": "统一跟进",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "INC-999999" in html
    assert mine.comments.get().body == "统一跟进"


def test_a_view_is_saved_from_the_queue_and_listed(agent, desk):
    client = _client(agent)

    response = client.post(
        reverse("console:incident_view_save"),
        {
            "name": "我的 P1",
            "team": desk.pk,
            "filters": json.dumps({"queue": "my_teams", "priority": ["1"]}),
        },
    )

    view = SavedView.objects.get()
    assert response.status_code == 302
    assert (view.name, view.team_id, view.filters) == (
        "我的 P1",
        desk.pk,
        {"queue": "my_teams", "priority": [1]},
    )
    html = client.get(reverse("console:incidents")).content.decode()
    assert "?queue=my_teams&amp;priority=1" in html
    client.post(reverse("console:incident_view_delete", args=[view.pk]))
    assert SavedView.objects.count() == 0


def test_another_agent_cannot_delete_a_view(agent, network_agent):
    from steward.incidents.services import saved_views

    view = saved_views.saved_view_create(actor=agent, name="mine", filters={})
    response = _client(network_agent).post(reverse("console:incident_view_delete", args=[view.pk]))
    assert response.status_code == 404
    assert SavedView.objects.count() == 1
    assert MajorIncident.objects.count() == 0


def test_the_queue_sorts_by_priority(raise_incident, agent):
    high = raise_incident(title="高", impact=1, urgency=2)
    low = raise_incident(title="低", impact=3, urgency=3)  # newer: first without a sort
    client = _client(agent)
    newest = client.get(reverse("console:incidents"), {"queue": "all"}).content.decode()
    assert newest.index(low.number) < newest.index(high.number)

    response = client.get(reverse("console:incidents"), {"queue": "all", "sort": "priority"})

    html = response.content.decode()
    assert html.index(high.number) < html.index(low.number)
    assert '<option value="priority" selected>' in html


def test_saving_by_htmx_takes_the_filters_in_the_filter_form(agent):
    response = _client(agent).post(
        reverse("console:incident_view_save"),
        {
            "name": "P1 待处理",
            "queue": "unassigned",
            "priority": ["1"],
            "sort": "priority",
            "filters": "{}",
        },
        **HTMX,
    )

    assert response.status_code == 204
    assert response["HX-Redirect"].endswith("?queue=unassigned&priority=1&sort=priority")
    assert SavedView.objects.get().filters == {
        "queue": "unassigned",
        "priority": [1],
        "sort": "priority",
    }
