"""The configuration item, the impact hint and reclassification on the console incident page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.console.tests.html_checks import unlabelled_controls
from steward.incidents import services
from steward.incidents.models import Incident
from steward.incidents.tests.conftest import (  # noqa: F401 - fixtures
    agent,
    agreement,
    clock,
    desk,
    incident_in,
    lead,
    pos_server,
    raise_incident,
    requester,
    service,
    state_of,
)
from steward.sla.models import SlaClock
from steward.sla.tests.conftest import china  # noqa: F401 - fixture
from steward.testing import factories
from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db


def _client(person: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(person)
    return client


def _act(client: Client, incident: Incident, action: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("console:incident_act", args=[incident.number, action]), data)


def test_the_page_links_the_ci_and_shows_its_impact_in_zh_hans(agent, raise_incident, pos_server):
    incident = raise_incident(ci=pos_server)

    response = _client(agent, "zh-hans").get(reverse("console:incident", args=[incident.number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in html.lower()
    assert f'href="{reverse("console:cmdb_ci", args=[pos_server.ci_id])}"' in html
    assert f'{reverse("console:cmdb_impact")}?ci={pos_server.ci_id}' in html
    assert '<dd data-count="services">1</dd>' in html
    assert '<dd data-count="people">1</dd>' in html
    assert "POS 门店收银" in html
    assert 'id="ci-form"' in html
    assert 'id="reclassify-form"' in html
    assert unlabelled_controls(html) == []


def test_without_a_ci_there_is_no_impact_panel(
    agent, raise_incident
):
    incident = raise_incident()
    html = _client(agent).get(reverse("console:incident", args=[incident.number])).content
    assert b"impact-hint" not in html  # no CI, no panel


def test_agent_sets_the_ci_and_filters_the_queue_by_it(agent, raise_incident, pos_server):
    incident = raise_incident()
    other = raise_incident()
    client = _client(agent)

    response = _act(client, incident, "ci",
                    {"ci-version": incident.version, "ci-ci_id": pos_server.ci_id})

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.ci_id == pos_server.pk
    queue = client.get(reverse("console:incidents"), {"queue": "all", "ci": pos_server.ci_id})
    assert incident.number in queue.content.decode()
    assert other.number not in queue.content.decode()


def test_an_unknown_ci_is_a_form_error_and_changes_nothing(agent, raise_incident):
    incident = raise_incident()
    before = state_of(incident)

    response = _act(_client(agent), incident, "ci",
                    {"ci-version": incident.version, "ci-ci_id": "CI-999999"})

    assert response.status_code == 422
    assert "CI-999999" in response.content.decode()
    assert state_of(incident) == before


def test_agent_reclassifies_and_the_clocks_follow(agent, raise_incident, desk):
    incident = raise_incident()
    other = factories.service(code="NETW", name="门店网络", support_team=desk)

    response = _act(_client(agent), incident, "reclassify", {
        "reclassify-version": incident.version, "reclassify-service_id": other.pk,
        "reclassify-reason": "实为网络故障",
    })

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.service_id == other.pk
    assert sorted(SlaClock.objects.filter(record_number=incident.number)
                  .values_list("state", flat=True)) == ["cancelled", "cancelled"]
    page = _client(agent).get(reverse("console:incident", args=[incident.number]))
    assert zh("service changed") in page.content.decode()


def test_reclassify_without_a_reason_is_refused(agent, raise_incident, desk):
    incident = raise_incident()
    other = factories.service(code="NETW", name="门店网络", support_team=desk)
    before = state_of(incident)

    response = _act(_client(agent), incident, "reclassify", {
        "reclassify-version": incident.version, "reclassify-service_id": other.pk,
        "reclassify-reason": "",
    })

    assert response.status_code == 422
    assert state_of(incident) == before


def test_the_page_with_a_ci_has_a_capped_number_of_queries(
    agent, incident_in, pos_server, django_assert_max_num_queries
):
    incident = incident_in("in_progress", ci=pos_server)
    for n in range(3):
        services.incident_comment(actor=agent, incident=incident, body=f"回复 {n}", public=True)
    client = _client(agent)
    url = reverse("console:incident", args=[incident.number])
    client.get(url)  # warm caches

    # The cap of test_incident_views (24) + 1 for the services of the reclassify form + 8 for
    # the impact hint (the CI, the graph index's change feed, the hosting sites, the impacted
    # services and their two customer lists, the department tree, the people count): a
    # constant number, whatever the graph.
    with django_assert_max_num_queries(33):
        response = client.get(url)

    assert response.status_code == 200
