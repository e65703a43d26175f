"""Catalogue API: browse, create and edit services, versioned request items, answer checks."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.audit.models import AuditEntry
from steward.catalogue.models import Service
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client):
    person = factories.person(roles=(Role.ADMINISTRATOR,))
    client.force_login(person)
    return person


def test_admin_creates_and_edits_a_service(client: Client, admin):
    owner = factories.person(roles=(Role.SERVICE_OWNER,))
    team = factories.team(code="NET")
    response = client.post(
        "/api/v1/catalogue/services",
        {
            "code": "VPN",
            "name": "远程接入",
            "name_en": "Remote access",
            "owner_id": owner.pk,
            "support_team": "NET",
            "criticality": 3,
            "lifecycle": "live",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["support_team"], response.json()["version"]) == ("NET", 1)
    response = client.patch(
        "/api/v1/catalogue/services/VPN", {"criticality": 2}, content_type="application/json"
    )
    assert (response.json()["criticality"], response.json()["version"]) == (2, 2)
    assert (
        AuditEntry.objects.filter(
            object_id=str(Service.objects.get(code="VPN").pk), action="update"
        ).count()
        == 1
    )
    assert team.code == "NET"


def test_a_service_read_by_code_gives_the_id_an_incident_takes(client: Client, admin):
    service = factories.service(code="POS", name="门店收银")
    body = client.get("/api/v1/catalogue/services/POS").json()
    assert body["id"] == service.pk
    created = client.post(
        "/api/v1/incidents",
        {"title": "收银机无法结账", "service_id": body["id"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["service_id"] == service.pk


def test_unknown_team_is_a_field_error_and_nothing_is_created(client: Client, admin):
    owner = factories.person(roles=(Role.SERVICE_OWNER,))
    response = client.post(
        "/api/v1/catalogue/services",
        {
            "code": "X",
            "name": "x",
            "owner_id": owner.pk,
            "support_team": "NOPE",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "support_team"
    assert not Service.objects.filter(code="X").exists()


def test_dependency_cycle_is_refused_with_422(client: Client, admin):
    a, b = factories.service(code="A"), factories.service(code="B")
    assert client.put(
        "/api/v1/catalogue/services/A/dependencies",
        {"depends_on": ["B"]},
        content_type="application/json",
    ).json()["depends_on"] == ["B"]
    response = client.put(
        "/api/v1/catalogue/services/B/dependencies",
        {"depends_on": ["A"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "depends_on"
    assert list(b.depends_on.all()) == []
    assert a.code == "A"


def test_request_item_versions_and_answer_check(client: Client, admin):
    service = factories.service(code="PC")
    response = client.post(
        "/api/v1/catalogue/services/PC/items",
        {
            "code": "LAPTOP",
            "name": "申请笔记本电脑",
            "form": [
                {
                    "key": "model",
                    "type": "choice",
                    "label": "型号",
                    "required": True,
                    "choices": [{"value": "t14", "label": "T14"}],
                }
            ],
            "tasks": [{"title": "准备电脑", "team": service.support_team.code}],
            "promised_minutes": 1440,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    revised = client.post(
        "/api/v1/catalogue/items/LAPTOP/revisions",
        {"promised_minutes": 960},
        content_type="application/json",
    ).json()
    assert (revised["current"]["number"], revised["versions"]) == (2, [1, 2])
    ok = client.post(
        "/api/v1/catalogue/items/LAPTOP/check",
        {"answers": {"model": "t14"}},
        content_type="application/json",
    )
    assert ok.json() == {"version": 2, "cleaned": {"model": "t14"}}
    bad = client.post(
        "/api/v1/catalogue/items/LAPTOP/check", {"answers": {}}, content_type="application/json"
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "model")


def test_requester_sees_only_published_services_of_their_department(client: Client):
    finance = factories.department(code="FIN")
    clerk = factories.person(department=finance)
    factories.service(code="MAIL")
    factories.service(code="INT", visibility="internal")
    client.force_login(clerk)
    codes = [s["code"] for s in client.get("/api/v1/catalogue/services").json()]
    assert codes == ["MAIL"]
    assert client.get("/api/v1/catalogue/services/INT").status_code == 404
    response = client.patch(
        "/api/v1/catalogue/services/MAIL", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Service.objects.get(code="MAIL").name != "x"
