"""The incidents API: wiring, error mapping, the auth matrix and the list's query cap.
Responses of the happy paths are validated against the generated OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from openapi_schema_validator import OAS31Validator, validate

from steward.config.api import api
from steward.incidents import services
from steward.incidents.tests.conftest import at, state_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"


def _schema_of(operation_id: str, status: int) -> dict[str, Any]:
    document = api.get_openapi_schema()
    for path in document["paths"].values():
        for operation in path.values():
            if operation.get("operationId") == operation_id:
                content = operation["responses"][status]["content"]["application/json"]
                return {**content["schema"], "components": document["components"]}
    raise AssertionError(f"no operation {operation_id}")


def conforms(response: Any, operation_id: str) -> Any:
    """The response's JSON, after checking it against the documented schema."""
    body = response.json()
    validate(body, _schema_of(operation_id, response.status_code), cls=OAS31Validator)
    return body


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def test_requester_raises_an_incident(clock, agreement, requester, service):
    response = post(
        client_for(requester),
        URL,
        {"title": "收银机无法开机", "service_id": service.pk, "impact": 1, "urgency": 2},
    )

    assert response.status_code == 201, response.json()
    body = conforms(response, "incidents_create")
    assert (body["number"], body["status"], body["priority"], body["channel"]) == (
        "INC-000001",
        "new",
        2,
        "api",
    )
    assert body["allowed_actions"] == ["cancel"]
    first = next(c for c in body["sla"] if c["kind"] == "first_response")
    assert (first["due_at"], first["remaining_seconds"], first["percent"]) == (
        "2026-03-02T02:45:00Z",
        1800,
        0.0,
    )


def test_agent_works_an_incident_through_its_actions(raise_incident, agent, requester, clock):
    incident = raise_incident()
    client = client_for(agent)
    url = f"{URL}/{incident.number}"

    clock.advance(minutes=1)
    started = post(client, f"{url}/start")
    clock.advance(minutes=1)
    held = post(client, f"{url}/hold", {"reason": "awaiting_requester", "note": "请提供照片"})
    clock.advance(minutes=1)
    replied = post(client_for(requester), f"{url}/comments", {"body": "照片已上传", "public": True})
    clock.advance(minutes=1)
    resolved = post(
        client,
        f"{url}/resolve",
        {"resolution_code": "solution_provided", "resolution_note": "更换电源"},
    )

    assert [r.status_code for r in (started, held, replied, resolved)] == [200, 200, 201, 200]
    assert conforms(started, "incidents_start")["status"] == "in_progress"
    assert conforms(held, "incidents_hold")["hold_reason"] == "awaiting_requester"
    assert conforms(replied, "incidents_comments_add")["visibility"] == "public"
    body = conforms(resolved, "incidents_resolve")
    assert (body["status"], body["allowed_actions"]) == ("resolved", ["reopen", "close", "merge"])
    timeline = client.get(f"{url}/timeline")
    actions = [i["action"] for i in conforms(timeline, "incidents_timeline") if i["kind"] != "sla"]
    assert actions == ["create", "start", "hold", "public", "resume", "resolve"]


def test_detail_and_list(raise_incident, agent):
    incident = raise_incident()
    client = client_for(agent)

    detail = client.get(f"{URL}/{incident.number}")
    listed = client.get(URL, {"queue": "unassigned", "status": ["new", "assigned"]})

    assert conforms(detail, "incidents_get")["allowed_actions"] == [
        "assign",
        "start",
        "resolve",
        "cancel",
        "merge",
    ]
    page = conforms(listed, "incidents_list")
    assert [row["number"] for row in page["results"]] == [incident.number]
    assert page["results"][0]["resolution_due_at"] == "2026-03-16T02:15:00Z"


def test_list_pages_by_cursor(raise_incident, agent):
    numbers = [raise_incident().number for _ in range(3)]
    client = client_for(agent)

    first = client.get(URL, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [r["number"] for r in first["results"] + second["results"]] == numbers[::-1]
    assert second["next"] is None


def test_the_list_query_count_is_capped(raise_incident, agent, django_assert_max_num_queries):
    for _ in range(8):
        raise_incident()
    client = client_for(agent)
    client.get(URL)  # warm the content-type cache
    # session, person, roles, teams, delegations, the page: none per row

    with django_assert_max_num_queries(6):
        response = client.get(URL, {"queue": "breaching_soon"})
    with django_assert_max_num_queries(6):
        response = client.get(URL)

    assert len(response.json()["results"]) == 8


def test_an_invalid_transition_is_409_and_changes_nothing(raise_incident, agent):
    incident = raise_incident()
    before = state_of(incident)

    response = post(client_for(agent), f"{URL}/{incident.number}/resume")

    assert response.status_code == 409
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["code"] == "invalid_transition"
    assert state_of(incident) == before


def test_a_stale_version_is_409(raise_incident, agent):
    incident = raise_incident()
    client = client_for(agent)
    url = f"{URL}/{incident.number}"
    assert client.patch(
        url, {"version": 1, "category": "硬件"}, "application/json"
    ).status_code == (200)

    response = client.patch(url, {"version": 1, "title": "新标题"}, "application/json")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("stale_version", "version")


def test_patch_with_the_current_version_edits_plain_fields(raise_incident, agent):
    incident = raise_incident()
    response = client_for(agent).patch(
        f"{URL}/{incident.number}",
        {"version": 1, "category": "硬件", "subcategory": "电源"},
        "application/json",
    )
    body = conforms(response, "incidents_update")
    assert (body["category"], body["subcategory"], body["version"]) == ("硬件", "电源", 2)


@pytest.mark.parametrize(
    ("_case", "path", "payload", "field"),
    [
        ("impact out of range", "", {"title": "x", "impact": 5}, "impact"),
        ("missing title", "", {"impact": 1}, "title"),
        ("unknown service", "", {"title": "x", "service_id": 999999}, "service_id"),
        (
            "unknown resolution code",
            "/resolve",
            {"resolution_code": "fixed", "resolution_note": "x"},
            "resolution_code",
        ),
        ("unknown hold reason", "/hold", {"reason": "lunch"}, "reason"),
        ("unknown assignee", "/assign", {"assignee_id": 999999}, "assignee_id"),
        ("priority without reason", "/priority", {"impact": 1}, "reason"),
    ],
)
def test_bad_input_is_422_with_the_field(_case, path, payload, field, raise_incident, agent):
    incident = raise_incident()
    url = f"{URL}/{incident.number}{path}" if path else URL

    response = post(client_for(agent), url, payload)

    assert response.status_code == 422, response.json()
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)


def test_an_invisible_incident_is_404_everywhere(raise_incident, network_agent):
    incident = raise_incident()
    before = state_of(incident)
    client = client_for(network_agent)
    url = f"{URL}/{incident.number}"

    responses = [
        client.get(url),
        client.get(f"{url}/timeline"),
        client.get(f"{url}/comments"),
        post(client, f"{url}/start"),
        post(client, f"{url}/comments", {"body": "x"}),
        client.patch(url, {"version": 1, "title": "x"}, "application/json"),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    assert responses[0].json() == {"detail": responses[0].json()["detail"], "code": "not_found"}
    assert state_of(incident) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("requester", 403), ("network_agent", 404), ("agent", 200)],
)
def test_auth_matrix_of_resolve(who, status, incident_in, request):
    incident = incident_in("in_progress")
    before = state_of(incident)
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))

    response = post(
        client,
        f"{URL}/{incident.number}/resolve",
        {"resolution_code": "solution_provided", "resolution_note": "重启后恢复"},
    )

    assert response.status_code == status
    assert (state_of(incident) == before) is (status != 200)


def test_requesters_never_see_work_notes_through_the_api(raise_incident, agent, requester):
    incident = raise_incident()
    url = f"{URL}/{incident.number}"
    post(client_for(agent), f"{url}/comments", {"body": "内部：换主板", "public": False})
    post(client_for(agent), f"{url}/comments", {"body": "我们正在处理", "public": True})
    client = client_for(requester)

    comments = client.get(f"{url}/comments").json()
    timeline = client.get(f"{url}/timeline").content.decode()
    generic = client.get(f"/api/v1/records/{incident.number}/timeline").content.decode()

    assert [c["body"] for c in comments] == ["我们正在处理"]
    assert "换主板" not in timeline
    assert "换主板" not in generic
    assert [c["body"] for c in client_for(agent).get(f"{url}/comments").json()] == [
        "内部：换主板",
        "我们正在处理",
    ]


def test_priority_and_reopen_through_the_api(incident_in, agent, requester, clock):
    incident = incident_in("in_progress")
    url = f"{URL}/{incident.number}"

    priority = post(client_for(agent), f"{url}/priority", {"urgency": 1, "reason": "门店排队"})
    services.incident_resolve(
        actor=agent, incident=incident, resolution_code="user_error", resolution_note="已指导"
    )
    clock.set(at(2026, 3, 10, 9, 0))
    late = post(client_for(requester), f"{url}/reopen", {"reason": "还是不行"})

    assert conforms(priority, "incidents_priority")["priority"] == 3
    assert late.status_code == 422
    assert late.json()["code"] == "reopen_window_passed"


def test_the_priority_matrix_is_readable(client, agent):
    client.force_login(agent)
    cells = client.get(f"{URL}/priority-matrix").json()
    assert len(cells) == 9
    assert cells[0] == {"impact": 1, "urgency": 1, "priority": 1}


def test_the_openapi_document_names_every_action():
    operations = {
        op["operationId"]
        for path in api.get_openapi_schema()["paths"].values()
        for op in path.values()
    }
    assert {
        f"incidents_{a}"
        for a in ("assign", "start", "hold", "resume", "resolve", "reopen", "close", "cancel")
    } <= operations
