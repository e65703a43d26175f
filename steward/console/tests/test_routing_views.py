"""Console pages of routing rules, team assignment, escalation and time logging: wiring, the
admin-only rule writes, htmx fragments, and a zh-Hans render."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.console.tests.html_checks import unlabelled_controls
from steward.incidents.models import Escalation, RoutingRule, TeamAssignment
from steward.incidents.services import routing
from steward.incidents.tests.conftest import (  # noqa: F401 - fixtures
    admin,
    agent,
    agreement,
    clock,
    desk,
    incident_in,
    lead,
    network,
    network_agent,
    requester,
    service,
    state_of,
)
from steward.sla.tests.conftest import china  # noqa: F401 - fixture
from steward.workitems.time_models import TimeEntry

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(person: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(person)
    client.cookies["django_language"] = language
    return client


def test_admin_adds_a_rule_and_moves_it(admin, network, desk):
    client = _client(admin)
    routing.routing_rule_create(actor=admin, name="第一", team=desk)

    created = client.post(reverse("console:routing_rule_new"), {
        "name": "病毒", "team": network.pk, "keywords": "病毒", "is_active": "on"
    })
    rule = RoutingRule.objects.get(name="病毒")
    moved = client.post(reverse("console:routing_rule_act", args=[rule.pk, "up"]))
    off = client.post(reverse("console:routing_rule_act", args=[rule.pk, "deactivate"]))
    page = client.get(reverse("console:routing"))

    assert (created.status_code, moved.status_code, off.status_code) == (302, 302, 302)
    assert list(RoutingRule.objects.values_list("name", "is_active")) == [
        ("病毒", False), ("第一", True)
    ]
    html = page.content.decode()
    assert reverse("console:routing_rule_edit", args=[rule.pk]) in html
    assert unlabelled_controls(html) == []


def test_admin_edits_a_rule_with_its_version(admin, network, desk):
    rule = routing.routing_rule_create(actor=admin, name="旧名", team=desk)

    response = _client(admin).post(reverse("console:routing_rule_edit", args=[rule.pk]), {
        "name": "新名", "team": network.pk, "is_active": "on", "version": 1,
    })

    assert response.status_code == 302
    assert RoutingRule.objects.values_list("name", "team_id", "version").get() == (
        "新名", network.pk, 2
    )


def test_a_site_and_a_site_group_together_come_back_on_the_form(admin, network, requester):
    from steward.identity.models import SiteGroup

    group = SiteGroup.objects.create(code="EAST", name="华东")
    response = _client(admin).post(reverse("console:routing_rule_new"), {
        "name": "x", "team": network.pk, "site": requester.site_id, "site_group": group.pk,
    })

    assert response.status_code == 422
    assert "site_group" in response.content.decode()
    assert RoutingRule.objects.count() == 0


def test_an_agent_sees_the_rules_but_cannot_change_them(admin, agent, desk):
    rule = routing.routing_rule_create(actor=admin, name="规则", team=desk)
    client = _client(agent)

    page = client.get(reverse("console:routing"))
    new = client.post(reverse("console:routing_rule_new"), {"name": "x", "team": desk.pk})
    off = client.post(reverse("console:routing_rule_act", args=[rule.pk, "deactivate"]))

    assert page.status_code == 200
    assert reverse("console:routing_rule_new") not in page.content.decode()
    assert (new.status_code, off.status_code) == (403, 403)
    assert list(RoutingRule.objects.values_list("name", "is_active")) == [("规则", True)]


def test_the_routing_page_renders_in_chinese(admin, desk):
    routing.routing_rule_create(actor=admin, name="规则", team=desk)

    response = _client(admin, "zh-hans").get(reverse("console:routing"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans"' in html
    assert reverse("console:routing_team", args=[desk.pk]) in html


def test_the_lead_sets_the_strategy_and_a_member_goes_away(admin, lead, agent, desk):
    strategy = _client(lead).post(reverse("console:routing_team", args=[desk.pk]),
                                  {"strategy": "least_loaded"})
    away = _client(agent).post(reverse("console:routing_member", args=[desk.pk, agent.pk]),
                               {"available": "0", "note": "培训"})
    denied = _client(agent).post(reverse("console:routing_team", args=[desk.pk]),
                                 {"strategy": "round_robin"})
    page = _client(agent).get(reverse("console:routing_team", args=[desk.pk]))

    assert (strategy.status_code, away.status_code, denied.status_code) == (302, 302, 403)
    assert TeamAssignment.objects.get(team=desk).strategy == "least_loaded"
    assert "培训" in page.content.decode()


def test_the_incident_page_offers_escalations_and_runs_one(incident_in, agent, lead):
    incident = incident_in("in_progress")
    client = _client(agent)

    page = client.get(reverse("console:incident", args=[incident.number]))
    url = reverse("console:incident_escalate", args=[incident.number, "escalate_hierarchical"])
    done = client.post(url, {"escalate_hierarchical-reason": "门店全部停业"}, **HTMX)

    html = page.content.decode()
    assert url in html
    assert reverse("console:incident_escalate",
                   args=[incident.number, "escalate_functional"]) in html
    assert (done.status_code, done["HX-Redirect"]) == (
        204, reverse("console:incident", args=[incident.number])
    )
    assert Escalation.objects.get().to_person_id == lead.pk


def test_an_escalation_without_reason_returns_the_panel_with_422(incident_in, agent):
    incident = incident_in("in_progress")
    before = state_of(incident)

    response = _client(agent).post(
        reverse("console:incident_escalate", args=[incident.number, "escalate_hierarchical"]),
        {"escalate_hierarchical-reason": ""}, **HTMX)

    assert (response.status_code, response["HX-Retarget"]) == (
        422, "#escalate_hierarchical-form"
    )
    assert state_of(incident) == before


def test_a_closed_incident_offers_no_escalation(incident_in, agent):
    incident = incident_in("closed")

    page = _client(agent).get(reverse("console:incident", args=[incident.number]))

    assert "/escalate/" not in page.content.decode()


def test_time_is_logged_with_htmx_and_refused_when_zero(incident_in, agent):
    incident = incident_in("in_progress")
    client = _client(agent)
    url = reverse("console:record_time", args=[incident.number])

    page = client.get(reverse("console:incident", args=[incident.number]))
    logged = client.post(url, {"minutes": "30", "note": "远程"}, **HTMX)
    refused = client.post(url, {"minutes": "0"}, **HTMX)

    assert 'id="time-form"' in page.content.decode()
    assert (logged.status_code, logged["HX-Trigger"]) == (200, "steward:timeline")
    assert 'id="time-entries"' in logged.content.decode()
    assert refused.status_code == 422
    assert 'id="id_minutes_error"' in refused.content.decode()
    assert list(TimeEntry.objects.values_list("minutes", flat=True)) == [30]


def test_own_time_entry_is_edited_and_deleted(incident_in, agent):
    incident = incident_in("in_progress")
    client = _client(agent)
    client.post(reverse("console:record_time", args=[incident.number]), {"minutes": "30"})
    entry = TimeEntry.objects.get()

    edited = client.post(reverse("console:time_entry_edit", args=[entry.pk]),
                         {"minutes": "45", "version": "1"})
    deleted = client.post(reverse("console:time_entry_remove", args=[entry.pk]), **HTMX)

    assert edited.status_code == 302
    assert deleted.status_code == 200
    assert TimeEntry.objects.count() == 0


def test_the_generic_record_page_has_the_time_section(admin, requester):
    from steward.testing import factories

    memo = factories.memo(requester=requester)
    client = _client(admin)

    page = client.get(reverse("console:record", args=[memo.number]))
    logged = client.post(reverse("console:record_time", args=[memo.number]), {"minutes": "15"})

    assert 'id="time-form"' in page.content.decode()
    assert logged.status_code == 302
    assert logged["Location"] == reverse("console:record", args=[memo.number]) + "#time"
    assert TimeEntry.objects.get().record_number == memo.number


def test_the_incident_page_lists_escalations_in_chinese(incident_in, agent, lead):
    from steward.incidents.services import incident_escalate_hierarchical

    incident = incident_in("in_progress")
    incident_escalate_hierarchical(actor=agent, incident=incident, reason="门店全部停业")

    page = _client(agent, "zh-hans").get(reverse("console:incident", args=[incident.number]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="escalations"' in html
    assert "门店全部停业" in html
    assert unlabelled_controls(html) == []
