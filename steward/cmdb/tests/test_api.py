"""CMDB API wiring: payloads and answers, the error map, the visibility rule, query caps."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.cmdb.models import CiChange, ConfigurationItem, Relation
from steward.cmdb.tests import estate
from steward.cmdb.tests.conftest import services_team_add
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cmdb"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


@pytest.fixture
def admin_client(admin):
    return client_for(admin)


@pytest.fixture
def engineer_client(engineer):
    return client_for(engineer)


@pytest.fixture
def server(classes, team):
    return factories.ci(
        ci_class=classes["server"],
        name="ESX-01",
        support_team=team,
        attributes={"mgmt_ip": "10.0.1.1"},
        change_number="CHG-1",
    )


def test_every_cmdb_operation_has_a_complete_schema():
    from steward.cmdb.api import router

    operations = {}
    for path, view in router.path_operations.items():
        for operation in view.operations:
            for model in operation.models:
                model.model_json_schema()
            for response in operation.response_models.values():
                if response is not None:
                    response.model_json_schema()
            operations[operation.operation_id] = path
    assert operations["cmdb_cis_impact"] == "/cis/{ci_id}/impact"
    assert len(operations) == 24


def test_an_administrator_defines_a_class_with_a_reference_attribute(admin_client, classes):
    response = post(
        admin_client,
        "/classes",
        {
            "code": "vm",
            "name": "虚拟机",
            "name_en": "Virtual machine",
            "parent": "hardware",
            "under_change_control": True,
            "attributes": [
                {"key": "host", "type": "reference", "label": "宿主机", "class": "server"},
                {"key": "vcpu", "type": "integer", "label": "vCPU", "min": 1},
            ],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["parent"], body["under_change_control"], body["version"]) == ("hardware", True, 1)
    assert body["attributes"] == [
        {
            "key": "host",
            "type": "reference",
            "label": "宿主机",
            "label_en": "",
            "help": "",
            "help_en": "",
            "required": False,
            "class": "server",
        },
        {
            "key": "vcpu",
            "type": "integer",
            "label": "vCPU",
            "label_en": "",
            "help": "",
            "help_en": "",
            "required": False,
            "min": 1.0,
        },
    ]
    assert [(a["key"], a["defined_in"]) for a in body["effective_attributes"]] == [
        ("serial_number", "hardware"),
        ("host", "vm"),
        ("vcpu", "vm"),
    ]


def test_class_errors_and_permissions(admin_client, engineer_client, classes):
    bad = post(admin_client, "/classes", {"code": "x", "name": "x", "parent": "nothing"})
    assert bad.json() == {
        "detail": "parent：没有记录 nothing",
        "code": "invalid",
        "field": "parent",
    }
    denied = post(engineer_client, "/classes", {"code": "x", "name": "x"})
    assert (denied.status_code, denied.json()["code"]) == (403, "not_permitted")
    patched = admin_client.patch(
        f"{BASE}/classes/server", {"name_en": "Physical server"}, content_type="application/json"
    )
    assert (patched.json()["name_en"], patched.json()["version"]) == ("Physical server", 2)


def test_ci_create_update_and_the_error_map(engineer_client, classes, team):
    invalid = post(
        engineer_client,
        "/cis",
        {
            "ci_class": "server",
            "name": "ESX-02",
            "support_team": "INFRA",
            "attributes": {"mgmt_ip": "10.0.1.300"},
        },
    )
    assert invalid.status_code == 422
    assert invalid.json() == {
        "detail": "请输入有效的 IP 地址。",
        "code": "invalid",
        "field": "attributes.mgmt_ip",
    }
    created = post(
        engineer_client,
        "/cis",
        {
            "ci_class": "server",
            "name": "ESX-02",
            "support_team": "infra",
            "criticality": 2,
            "attributes": {"mgmt_ip": "10.0.1.2"},
            "change_number": "CHG-5",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    ci_id = body["ci_id"]
    assert (body["ci_class"], body["support_team"], body["status"], body["allowed_actions"]) == (
        "server",
        "INFRA",
        "in_use",
        ["start_maintenance", "retire"],
    )
    stale = engineer_client.patch(
        f"{BASE}/cis/{ci_id}", {"name": "x", "expected_version": 7}, content_type="application/json"
    )
    assert (stale.status_code, stale.json()["code"], stale.json()["field"]) == (
        409,
        "conflict",
        "version",
    )
    ok = engineer_client.patch(
        f"{BASE}/cis/{ci_id}",
        {"name": "ESX-02a", "expected_version": 1, "change_number": "CHG-6", "site": None},
        content_type="application/json",
    )
    assert (ok.json()["name"], ok.json()["version"]) == ("ESX-02a", 2)
    retired = post(
        engineer_client, f"/cis/{ci_id}/retire", {"expected_version": 2, "change_number": "CHG-7"}
    )
    assert (retired.json()["status"], retired.json()["allowed_actions"]) == ("retired", [])
    again = post(engineer_client, f"/cis/{ci_id}/retire", {})
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


@pytest.mark.parametrize(
    ("_case", "path"),
    [
        ("detail", "/cis/{ci_id}"),
        ("relations", "/cis/{ci_id}/relations"),
        ("history", "/cis/{ci_id}/history"),
        ("impact", "/cis/{ci_id}/impact"),
    ],
)
def test_requesters_get_404_for_a_ci(_case, path, server):
    response = client_for(factories.person()).get(BASE + path.format(ci_id=server.ci_id))
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"没有配置项 {server.ci_id}。",
        "code": "not_found",
    }


def test_english_speakers_get_english_messages(server):
    response = client_for(factories.person(language="en")).get(f"{BASE}/cis/{server.ci_id}")
    assert response.json() == {
        "detail": f"No configuration item {server.ci_id}.",
        "code": "not_found",
    }


def test_requesters_see_empty_lists_and_cannot_write(server, classes):
    client = client_for(factories.person())
    assert client.get(f"{BASE}/cis").json()["results"] == []
    assert client.get(f"{BASE}/classes").json() == []
    assert client.get(f"{BASE}/changes/unauthorised").json()["results"] == []
    assert post(client, "/impact", {"ci_ids": [server.ci_id]}).status_code == 404
    denied = post(client, "/cis", {"ci_class": "software", "name": "mine"})
    assert denied.status_code == 403
    assert ConfigurationItem.objects.count() == 1


def test_auditors_read_but_never_write(server, team):
    auditor = factories.person(roles=(Role.AUDITOR,))
    services_team_add(team, auditor)
    client = client_for(auditor)
    assert client.get(f"{BASE}/cis/{server.ci_id}").json()["name"] == "ESX-01"
    denied = client.patch(
        f"{BASE}/cis/{server.ci_id}", {"name": "x"}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert ConfigurationItem.objects.get(pk=server.pk).name == "ESX-01"


def test_relations_are_added_listed_and_removed(engineer_client, classes, team, server):
    app = factories.ci(ci_class=classes["software"], name="SAP ERP", support_team=team)
    unknown = post(
        engineer_client, f"/cis/{app.ci_id}/relations", {"kind": "runs_on", "target": "CI-999999"}
    )
    assert (unknown.status_code, unknown.json()["field"]) == (422, "target")
    added = post(
        engineer_client,
        f"/cis/{app.ci_id}/relations",
        {"kind": "runs_on", "target": server.ci_id, "change_number": "CHG-8"},
    )
    assert added.status_code == 201, added.json()
    body = added.json()
    assert (
        body["kind"],
        body["source"]["ci_id"],
        body["target"]["ci_id"],
        body["target"]["site"],
    ) == ("runs_on", app.ci_id, server.ci_id, None)
    listed = engineer_client.get(f"{BASE}/cis/{server.ci_id}/relations").json()
    assert [r["id"] for r in listed] == [body["id"]]
    removed = engineer_client.delete(f"{BASE}/relations/{body['id']}?change_number=CHG-9")
    assert removed.status_code == 204
    assert not Relation.objects.exists()
    assert CiChange.objects.get(action="relation_remove").change_number == "CHG-9"


def test_groups_are_created_and_their_members_replaced(engineer_client, classes, team):
    a, b = (factories.ci(ci_class=classes["software"], support_team=team) for _ in "ab")
    created = post(
        engineer_client,
        "/groups",
        {"code": "ERP-DB", "name": "ERP 数据库集群", "support_team": "INFRA", "members": [a.ci_id]},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["members"] == [a.ci_id]
    replaced = engineer_client.put(
        f"{BASE}/groups/ERP-DB/members",
        {"members": [a.ci_id, b.ci_id]},
        content_type="application/json",
    )
    assert replaced.json()["members"] == [a.ci_id, b.ci_id]
    assert (
        engineer_client.get(f"{BASE}/cis", {"group": "ERP-DB"}).json()["results"][1]["ci_id"]
        == b.ci_id
    )


def test_impact_of_a_store_router(classes):
    e = estate.build(classes)
    client = client_for(factories.person(roles=(Role.AGENT,)))
    body = client.get(f"{BASE}/cis/{e.router1.ci_id}/impact").json()
    assert [c["ci_id"] for c in body["start"]] == [e.router1.ci_id]
    assert (body["impacted_count"], body["truncated"], body["people"], body["sites"]) == (
        3,
        False,
        2,
        ["S1"],
    )
    assert [(c["name"], c["distance"]) for c in body["impacted"]] == [
        ("pos1a", 1),
        ("pos1b", 1),
        ("门店收银", 2),
    ]
    assert body["services"] == [
        {
            "code": "POS",
            "name": "门店收银",
            "name_en": "",
            "ci_id": e.pos_ci.ci_id,
            "criticality": 1,
            "everywhere": False,
            "everyone": False,
            "departments": [],
            "site_groups": ["STORES"],
            "sites": ["S1"],
            "people": 2,
        },
    ]
    assert [
        (c["name"], c["distance"], c["explains"], c["redundancy_group"]) for c in body["upstream"]
    ] == [("bb1", 1, 1, "ACCESS-S1"), ("lte1", 1, 1, "ACCESS-S1")]
    several = post(client, "/impact", {"ci_ids": [e.bb1.ci_id], "limit": 5}).json()
    assert several["surviving_groups"] == [
        {"code": "ACCESS-S1", "name": "门店一线路", "members_up": [e.lte1.ci_id]}
    ]


def test_history_and_the_unauthorised_change_review(engineer_client, server, change_manager):
    engineer_client.patch(
        f"{BASE}/cis/{server.ci_id}", {"name": "ESX-01a"}, content_type="application/json"
    )
    history = engineer_client.get(f"{BASE}/cis/{server.ci_id}/history").json()["results"]
    assert [(h["action"], h["field"], h["unauthorised"]) for h in history[:2]] == [
        ("update", "name", True),
        ("create", "support_team", False),
    ]
    queue = engineer_client.get(f"{BASE}/changes/unauthorised").json()["results"]
    assert [(c["ci"], c["field"], c["before"], c["after"]) for c in queue] == [
        (server.ci_id, "name", "ESX-01", "ESX-01a")
    ]
    denied = post(engineer_client, f"/changes/{queue[0]['id']}/review", {"note": "ok"})
    assert denied.status_code == 403
    reviewed = post(
        client_for(change_manager),
        f"/changes/{queue[0]['id']}/review",
        {"note": "补录", "change_number": "CHG-10"},
    )
    assert (reviewed.json()["review_note"], reviewed.json()["change_number"]) == ("补录", "CHG-10")
    assert engineer_client.get(f"{BASE}/changes/unauthorised").json()["results"] == []


@pytest.mark.parametrize(
    ("_case", "path", "cap"),
    [
        ("cis", "/cis", 5),
        ("cis by class", "/cis?ci_class=hardware", 6),
        ("classes", "/classes", 6),
        ("groups", "/groups", 6),
        ("history", "/cis/{ci_id}/history", 6),
        ("relations", "/cis/{ci_id}/relations", 6),
        ("unauthorised", "/changes/unauthorised", 5),
        ("impact", "/cis/{ci_id}/impact", 10),
    ],
)
def test_list_endpoints_have_a_query_cap(
    _case, path, cap, classes, team, engineer, django_assert_max_num_queries
):
    from steward.cmdb import services

    cis = [
        factories.ci(
            ci_class=classes["server"], support_team=team, attributes={"mgmt_ip": f"10.0.0.{n}"}
        )
        for n in range(1, 11)
    ]
    for ci in cis[1:]:
        factories.relation(cis[0], "used_by", ci)
        services.ci_update(actor=None, ci=ci, changes={"name": f"{ci.name}-x"})
    services.group_create(actor=None, code="G", name="组", members=cis[3:6])
    client = client_for(engineer)
    with django_assert_max_num_queries(cap):
        response = client.get(BASE + path.format(ci_id=cis[0].ci_id))
    assert response.status_code == 200
