"""The visibility matrix: role × record × endpoint. Every read path obeys one rule, and an
invisible record answers 404 (never 403) or is simply absent from lists."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from steward.identity.models import Role
from steward.testing import factories
from steward.workitems.services import attachment_add

pytestmark = pytest.mark.django_db

ACTORS = [
    "requester",
    "other_requester",
    "delegate",
    "desk_agent",
    "network_agent",
    "security_member",
    "auditor",
    "administrator",
]
RECORDS = ["store_fault", "hr_request", "security_case"]
VISIBLE = {
    "requester": {"store_fault", "security_case"},
    "other_requester": {"hr_request"},
    "delegate": {"store_fault"},
    "desk_agent": {"store_fault"},
    "network_agent": {"hr_request"},
    "security_member": {"security_case"},
    "auditor": {"store_fault", "hr_request"},
    "administrator": {"store_fault", "hr_request"},
}
ENDPOINTS = ["detail", "timeline", "attachments", "download", "search", "export"]


@dataclass
class World:
    people: dict[str, Any]
    records: dict[str, Any]
    attachments: dict[str, Any]


@pytest.fixture
def world() -> World:
    sales = factories.department(code="SALES", name="销售部")
    north = factories.department(code="SALES-N", name="华北区", parent=sales)
    hr = factories.department(code="HR", name="人力资源部")
    p = {
        "requester": factories.person(department=north),
        "other_requester": factories.person(department=hr),
        "delegate": factories.person(department=sales),
        "desk_agent": factories.person(roles=(Role.AGENT,)),
        "network_agent": factories.person(roles=(Role.AGENT,)),
        "security_member": factories.person(roles=(Role.AGENT,)),
        "auditor": factories.person(roles=(Role.AUDITOR,)),
        "administrator": factories.person(roles=(Role.ADMINISTRATOR,)),
    }
    sales.delegates.add(p["delegate"])
    desk = factories.team(code="DESK", members=(p["desk_agent"],))
    network = factories.team(code="NET", members=(p["network_agent"],))
    security = factories.team(code="SEC", members=(p["security_member"],))
    records = {
        "store_fault": factories.memo(
            title="收银机无法开机", requester=p["requester"], department=north, team=desk
        ),
        "hr_request": factories.memo(
            title="New starter laptop", requester=p["other_requester"], department=hr, team=network
        ),
        "security_case": factories.memo(
            title="Phishing mail clicked",
            requester=p["requester"],
            department=north,
            team=security,
            restricted=True,
        ),
    }
    attachments = {
        name: attachment_add(
            actor=p["administrator"] if not record.restricted else p["security_member"],
            record=record,
            upload=SimpleUploadedFile(f"{name}.txt", b"evidence", content_type="text/plain"),
        )
        for name, record in records.items()
    }
    return World(p, records, attachments)


def _visible_through(client: Client, endpoint: str, record: Any, attachment: Any) -> bool:
    number = record.number
    if endpoint in {"detail", "timeline", "attachments", "download"}:
        url = {
            "detail": f"/api/v1/records/{number}",
            "timeline": f"/api/v1/records/{number}/timeline",
            "attachments": f"/api/v1/records/{number}/attachments",
            "download": f"/api/v1/records/attachments/{attachment.pk}",
        }[endpoint]
        response = client.get(url)
        assert response.status_code in {200, 404}, (url, response.status_code)
        if response.status_code == 404:
            assert response.json() == {"detail": response.json()["detail"], "code": "not_found"}
        return response.status_code == 200
    if endpoint == "search":
        response = client.get("/api/v1/records/search", {"q": number})
        assert response.status_code == 200
        return number in [item["number"] for item in response.json()]
    response = client.get("/api/v1/records/export/MEM.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return number in [row[0] for row in rows[1:]]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("record_name", RECORDS)
@pytest.mark.parametrize("actor", ACTORS)
def test_visibility(world: World, client: Client, actor: str, record_name: str, endpoint: str):
    client.force_login(world.people[actor])
    visible = _visible_through(
        client, endpoint, world.records[record_name], world.attachments[record_name]
    )
    assert visible == (record_name in VISIBLE[actor])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_and_inactive_get_nothing(world: World, client: Client, endpoint: str):
    url = {
        "detail": "/api/v1/records/{n}",
        "timeline": "/api/v1/records/{n}/timeline",
        "attachments": "/api/v1/records/{n}/attachments",
        "download": "/api/v1/records/attachments/{a}",
        "search": "/api/v1/records/search?q={n}",
        "export": "/api/v1/records/export/MEM.csv",
    }[endpoint].format(n=world.records["store_fault"].number, a=world.attachments["store_fault"].pk)
    assert client.get(url).status_code == 401
    inactive = world.people["requester"]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    client.force_login(inactive)
    assert client.get(url).status_code == 401


def test_auditor_cannot_write(world: World, client: Client):
    client.force_login(world.people["auditor"])
    number = world.records["store_fault"].number
    response = client.post(
        f"/api/v1/records/{number}/attachments",
        {"file": SimpleUploadedFile("x.txt", b"data", content_type="text/plain")},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert client.get(f"/api/v1/records/{number}/attachments").json().__len__() == 1
