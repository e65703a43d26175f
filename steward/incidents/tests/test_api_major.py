"""Wiring of the major-incident, link, merge, bulk and saved-view endpoints."""

from __future__ import annotations

import pytest

from steward.catalogue.models import Service
from steward.incidents.models import CommsEntry, IncidentLink, MajorIncident, SavedView
from steward.incidents.tests.conftest import state_of
from steward.incidents.tests.test_api import client_for, conforms, post

pytestmark = pytest.mark.django_db


def test_a_lead_declares_and_runs_a_major_incident(raise_incident, lead, agent, clock):
    incident = raise_incident()
    client = client_for(lead)

    declared = post(
        client, "/api/v1/major-incidents", {"number": incident.number, "reason": "全部门店收银中断"}
    )
    comms = post(
        client,
        f"/api/v1/major-incidents/{incident.number}/comms",
        {"audiences": ["management"], "message": "正在处理", "channel": "phone"},
    )
    owner = post(
        client,
        f"/api/v1/major-incidents/{incident.number}/owner",
        {"version": 1, "owner_id": agent.pk, "update_interval_minutes": 60},
    )
    listed = client.get("/api/v1/major-incidents?open_only=true")

    assert conforms(declared, "major_incidents_declare")["criterion"] == "manual"
    assert conforms(comms, "major_comms_add")["channel"] == "phone"
    assert conforms(owner, "major_incidents_owner")["owner_id"] == agent.pk
    assert [m["number"] for m in conforms(listed, "major_incidents_list")] == [incident.number]
    assert CommsEntry.objects.count() == 1


def test_an_agent_may_not_declare(raise_incident, agent):
    incident = raise_incident()
    before = state_of(incident)

    response = post(
        client_for(agent), "/api/v1/major-incidents", {"number": incident.number, "reason": "x"}
    )

    assert (response.status_code, response.json()["code"]) == (403, "not_permitted")
    assert state_of(incident) == before
    assert MajorIncident.objects.count() == 0


def test_closing_without_review_is_a_422_and_the_review_then_allows_it(
    raise_incident, service, lead, agent
):
    Service.objects.filter(pk=service.pk).update(criticality=1)
    service.refresh_from_db()
    incident = raise_incident(impact=1, urgency=1)
    client = client_for(agent)
    post(
        client,
        f"/api/v1/incidents/{incident.number}/resolve",
        {"resolution_code": "solution_provided", "resolution_note": "已恢复"},
    )

    refused = post(client, f"/api/v1/incidents/{incident.number}/close")
    review = client.put(
        f"/api/v1/major-incidents/{incident.number}/review",
        {
            "timeline_summary": "t",
            "cause": "c",
            "complete": True,
            "actions": [{"description": "加备份", "owner_id": agent.pk, "due_on": "2026-03-31"}],
        },
        content_type="application/json",
    )
    closed = post(client, f"/api/v1/incidents/{incident.number}/close")

    assert (refused.status_code, refused.json()["code"]) == (422, "major_review_missing")
    assert conforms(review, "major_review_save")["completed_by_id"] == agent.pk
    assert closed.json()["status"] == "closed"


def test_links_merge_and_children(incident_in, agent):
    parent, child, duplicate = incident_in("in_progress"), incident_in("new"), incident_in("new")
    client = client_for(agent)

    linked = post(client, f"/api/v1/incidents/{child.number}/parent", {"number": parent.number})
    merged = post(client, f"/api/v1/incidents/{duplicate.number}/merge", {"number": parent.number})
    rows = client.get(f"/api/v1/incidents/{parent.number}/links")
    self_merge = post(client, f"/api/v1/incidents/{child.number}/merge", {"number": child.number})

    assert linked.status_code == 200
    assert conforms(merged, "incidents_merge")["number"] == parent.number
    assert sorted((r["role"], r["number"]) for r in conforms(rows, "incidents_links")) == [
        ("child", child.number),
        ("duplicate", duplicate.number),
    ]
    assert (self_merge.status_code, self_merge.json()["code"]) == (422, "merge_self")
    assert IncidentLink.objects.count() == 2


def test_bulk_reports_per_record(incident_in, agent):
    first, second = incident_in("new"), incident_in("new")

    response = post(
        client_for(agent),
        "/api/v1/incidents/bulk",
        {
            "numbers": [first.number, "INC-999999", second.number],
            "operation": "note",
            "note": "统一跟进",
        },
    )

    assert [(r["number"], r["done"], r["code"]) for r in conforms(response, "incidents_bulk")] == [
        (first.number, True, ""),
        ("INC-999999", False, "not_found"),
        (second.number, True, ""),
    ]


def test_saved_views_crud(agent, lead, desk):
    client = client_for(agent)

    created = post(
        client,
        "/api/v1/incident-views",
        {"name": "P1", "team_id": desk.pk, "filters": {"priority": [1]}},
    )
    view_id = conforms(created, "incident_views_create")["id"]
    seen_by_lead = client_for(lead).get("/api/v1/incident-views")
    denied = client_for(lead).delete(f"/api/v1/incident-views/{view_id}")
    updated = client.put(
        f"/api/v1/incident-views/{view_id}",
        {"version": 1, "name": "P1 门店", "filters": {}},
        content_type="application/json",
    )
    deleted = client.delete(f"/api/v1/incident-views/{view_id}")

    assert [v["name"] for v in conforms(seen_by_lead, "incident_views_list")] == ["P1"]
    assert (denied.status_code, denied.json()["code"]) == (403, "not_permitted")
    assert conforms(updated, "incident_views_update")["name"] == "P1 门店"
    assert deleted.status_code == 204
    assert SavedView.objects.count() == 0


def test_an_administrator_edits_the_criteria_over_the_api(lead):
    from steward.identity.models import Role
    from steward.testing import factories

    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    body = {
        "max_criticality": 1,
        "site_threshold": None,
        "site_window_minutes": 20,
        "update_interval_minutes": 15,
        "management_ids": [lead.pk],
    }

    updated = client_for(admin).put(
        "/api/v1/major-incidents/policy", body, content_type="application/json"
    )
    refused = client_for(lead).put(
        "/api/v1/major-incidents/policy", body, content_type="application/json"
    )
    shown = client_for(lead).get("/api/v1/major-incidents/policy")

    assert conforms(updated, "major_policy_update") == body
    assert refused.status_code == 403
    assert conforms(shown, "major_policy_get") == body
