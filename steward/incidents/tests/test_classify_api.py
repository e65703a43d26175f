"""The configuration item of an incident, its impact hint and reclassification through the API."""

from __future__ import annotations

import pytest

from steward.cmdb import services as cmdb
from steward.cmdb.models import CiStatus
from steward.incidents.models import Incident
from steward.incidents.tests.conftest import audit_entries, state_of
from steward.incidents.tests.test_api import URL, client_for, conforms, post
from steward.testing import factories
from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db


def test_raise_with_a_ci_then_change_and_clear_it(
    raise_incident, agent, requester, service, pos_server
):
    response = post(
        client_for(requester),
        URL,
        {"title": "收银机无法开机", "service_id": service.pk, "ci_id": pos_server.ci_id.lower()},
    )
    assert response.status_code == 201, response.json()
    body = conforms(response, "incidents_create")
    assert body["ci_id"] == pos_server.ci_id
    number, version = body["number"], body["version"]
    other = factories.ci(name="门店路由器")

    changed = client_for(agent).patch(
        f"{URL}/{number}", {"version": version, "ci_id": other.ci_id},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.json()
    assert conforms(changed, "incidents_update")["ci_id"] == other.ci_id
    incident = Incident.objects.get(number=number)
    assert audit_entries(incident)[-1].changes == {"ci": [pos_server.pk, other.pk]}

    cleared = client_for(agent).patch(
        f"{URL}/{number}", {"version": version + 1, "ci_id": None},
        content_type="application/json",
    )
    assert cleared.status_code == 200, cleared.json()
    assert cleared.json()["ci_id"] is None


def test_unknown_and_retired_cis_are_field_errors(raise_incident, agent, pos_server):
    incident = raise_incident()
    cmdb.ci_retire(actor=factories.person(roles=("administrator",)), ci=pos_server)
    before = state_of(incident)
    retired = zh("The configuration item %(ci)s is retired; choose one that is in use.") % {
        "ci": pos_server.ci_id
    }
    for ci_id, fragment in (("CI-999999", "CI-999999"), (pos_server.ci_id, retired)):
        response = client_for(agent).patch(
            f"{URL}/{incident.number}", {"version": incident.version, "ci_id": ci_id},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["field"] == "ci_id"
        assert fragment in response.json()["detail"]
    assert state_of(incident) == before
    pos_server.refresh_from_db()
    assert pos_server.status == CiStatus.RETIRED


def test_the_list_filters_by_ci(raise_incident, agent, pos_server):
    with_ci = raise_incident(ci=pos_server)
    raise_incident()
    response = client_for(agent).get(URL, {"ci": pos_server.ci_id.lower()})
    assert [row["number"] for row in response.json()["results"]] == [with_ci.number]


def test_impact_hint_of_the_incident(raise_incident, agent, requester, pos_server):
    incident = raise_incident(ci=pos_server)

    response = client_for(agent).get(f"{URL}/{incident.number}/impact")

    assert response.status_code == 200, response.json()
    assert conforms(response, "incidents_impact") == {
        "ci_id": pos_server.ci_id,
        "ci_name": "收银服务器",
        "services": 1,
        "service_names": ["POS 门店收银"],
        "sites": 0,
        "departments": 1,
        "people": 1,
        "impacted_cis": 1,
        "everyone": False,
    }


def test_impact_needs_cmdb_access_and_a_ci(raise_incident, agent, requester, pos_server):
    with_ci = raise_incident(ci=pos_server)
    without = raise_incident()
    assert client_for(requester).get(f"{URL}/{with_ci.number}/impact").status_code == 403
    assert client_for(agent).get(f"{URL}/{without.number}/impact").status_code == 404
    stranger = factories.person()
    assert client_for(stranger).get(f"{URL}/{with_ci.number}/impact").status_code == 404


def test_reclassify_through_the_api(raise_incident, agent, requester, desk):
    incident = raise_incident()
    other = factories.service(code="NETW", name="门店网络", support_team=desk)

    refused = post(
        client_for(requester), f"{URL}/{incident.number}/reclassify",
        {"version": incident.version, "service_id": other.pk, "reason": "网络"},
    )
    assert refused.status_code == 403
    response = post(
        client_for(agent), f"{URL}/{incident.number}/reclassify",
        {"version": incident.version, "service_id": other.pk, "reason": "网络"},
    )

    assert response.status_code == 200, response.json()
    body = conforms(response, "incidents_reclassify")
    assert (body["service_id"], body["version"]) == (other.pk, incident.version + 1)
    assert [c["state"] for c in body["sla"]] == ["cancelled", "cancelled"]
    missing = post(
        client_for(agent), f"{URL}/{incident.number}/reclassify",
        {"version": body["version"], "service_id": 999999, "reason": "网络"},
    )
    assert (missing.status_code, missing.json()["field"]) == (422, "service_id")
