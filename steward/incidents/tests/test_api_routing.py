"""Wiring of the routing, team assignment and escalation endpoints; admin-only rule writes."""

from __future__ import annotations

import pytest

from steward.incidents.models import Escalation, RoutingRule
from steward.incidents.tests.test_api import client_for, conforms, post

pytestmark = pytest.mark.django_db

RULES = "/api/v1/routing/rules"


def test_admin_creates_updates_and_reorders_rules(admin, network, desk, service):
    client = client_for(admin)

    first = post(client, RULES, {"name": "病毒", "team_id": network.pk, "keywords": "病毒,virus"})
    second = post(client, RULES, {"name": "收银", "team_id": desk.pk, "service_id": service.pk})
    body = conforms(first, "routing_rules_create")
    patched = client.patch(f"{RULES}/{body['id']}", {"version": 1, "is_active": False},
                           content_type="application/json")
    reordered = post(client, f"{RULES}/reorder",
                     {"rule_ids": [second.json()["id"], body["id"]]})
    listed = client.get(RULES)

    assert (first.status_code, second.status_code, patched.status_code) == (201, 201, 200)
    assert conforms(patched, "routing_rules_update")["is_active"] is False
    assert reordered.status_code == 200
    assert [(r["name"], r["position"]) for r in conforms(listed, "routing_rules_list")] == [
        ("收银", 10), ("病毒", 20)
    ]


def test_non_admin_cannot_write_rules(agent, lead, network):
    for person in (agent, lead):
        response = post(client_for(person), RULES, {"name": "x", "team_id": network.pk})
        assert (response.status_code, response.json()["code"]) == (403, "not_permitted")

    assert RoutingRule.objects.count() == 0


def test_unknown_team_is_a_field_error(admin):
    response = post(client_for(admin), RULES, {"name": "x", "team_id": 999})

    assert (response.status_code, response.json()["field"]) == (422, "team_id")
    assert RoutingRule.objects.count() == 0


def test_a_requester_cannot_list_rules(requester):
    assert client_for(requester).get(RULES).status_code == 403


def test_team_strategy_and_availability(admin, network, network_agent):
    client = client_for(admin)

    put = client.put(f"/api/v1/routing/teams/{network.pk}/strategy", {"strategy": "round_robin"},
                     content_type="application/json")
    away = client.put(
        f"/api/v1/routing/teams/{network.pk}/members/{network_agent.pk}/availability",
        {"available": False, "note": "出差"}, content_type="application/json",
    )

    assert conforms(put, "routing_team_strategy")["strategy"] == "round_robin"
    assert conforms(away, "routing_team_availability")["members"] == [
        {"person_id": network_agent.pk, "is_available": False, "note": "出差",
         "open_assigned": 0}
    ]


def test_agent_escalates_through_the_api(incident_in, agent, network, network_agent, lead):
    incident = incident_in("in_progress")
    client = client_for(agent)
    url = f"/api/v1/incidents/{incident.number}"

    before = conforms(client.get(url), "incidents_get")["allowed_escalations"]
    up = post(client, f"{url}/escalate", {"kind": "hierarchical", "reason": "两小时未恢复"})
    moved = post(client, f"{url}/escalate",
                 {"kind": "functional", "reason": "交换机故障", "team_id": network.pk})
    listed = client_for(network_agent).get(f"{url}/escalations")

    assert before == ["escalate_functional", "escalate_hierarchical"]
    assert conforms(up, "incidents_escalate")["escalation_level"] == 1
    assert (moved.json()["team_id"], moved.json()["reassignment_count"]) == (network.pk, 1)
    assert [(e["kind"], e["level"]) for e in conforms(listed, "incidents_escalations")] == [
        ("hierarchical", 1), ("functional", 1)
    ]


def test_escalating_a_closed_incident_is_a_409(incident_in, agent):
    incident = incident_in("closed")

    response = post(client_for(agent), f"/api/v1/incidents/{incident.number}/escalate",
                    {"kind": "hierarchical", "reason": "x"})

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert Escalation.objects.count() == 0


def test_functional_escalation_needs_a_team(incident_in, agent):
    incident = incident_in("in_progress")

    response = post(client_for(agent), f"/api/v1/incidents/{incident.number}/escalate",
                    {"kind": "functional", "reason": "x"})

    assert (response.status_code, response.json()["field"]) == (422, "team_id")
    assert Escalation.objects.count() == 0


def test_an_agent_may_choose_the_team_on_create(agent, requester, service, network):
    response = post(client_for(agent), "/api/v1/incidents",
                    {"title": "交换机", "service_id": service.pk, "requester_id": requester.pk,
                     "team_id": network.pk})

    assert response.status_code == 201
    assert conforms(response, "incidents_create")["team_id"] == network.pk
