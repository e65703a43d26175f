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
ENDPOINTS = [
    "detail",
    "timeline",
    "attachments",
    "download",
    "search",
    "export",
    "portal_page",
    "portal_timeline",
    "portal_download",
    "console_page",
    "console_timeline",
    "console_download",
    "console_search",
]
STAFF = {"desk_agent", "network_agent", "security_member", "auditor", "administrator"}


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


def _page_visible(client: Client, url: str) -> bool:
    # Timelines are htmx fragments: ask for the fragment as the page does.
    headers = {"HTTP_HX_REQUEST": "true"} if url.endswith("/timeline/") else {}
    response = client.get(url, **headers)
    assert response.status_code in {200, 404}, (url, response.status_code)
    return response.status_code == 200


def _visible_through(client: Client, endpoint: str, record: Any, attachment: Any) -> bool:
    number = record.number
    pages = {
        "portal_page": f"/portal/tickets/{number}/",
        "portal_timeline": f"/portal/tickets/{number}/timeline/",
        "portal_download": f"/portal/attachments/{attachment.pk}/",
        "console_page": f"/console/records/{number}/",
        "console_timeline": f"/console/records/{number}/timeline/",
        "console_download": f"/console/attachments/{attachment.pk}/",
    }
    if endpoint in pages:
        return _page_visible(client, pages[endpoint])
    if endpoint == "console_search":
        response = client.get("/console/search/", {"q": record.title})
        assert response.status_code == 200
        return number in response.content.decode()
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
    if endpoint.startswith("console") and actor not in STAFF:
        # The console is for staff: everyone else is sent to the portal, for every record.
        response = client.get(f"/console/records/{world.records[record_name].number}/")
        assert (response.status_code, response["Location"]) == (302, "/portal/")
        return
    visible = _visible_through(
        client, endpoint, world.records[record_name], world.attachments[record_name]
    )
    assert visible == (record_name in VISIBLE[actor])


API_URLS = {
    "detail": "/api/v1/records/{n}",
    "timeline": "/api/v1/records/{n}/timeline",
    "attachments": "/api/v1/records/{n}/attachments",
    "download": "/api/v1/records/attachments/{a}",
    "search": "/api/v1/records/search?q={n}",
    "export": "/api/v1/records/export/MEM.csv",
}
PAGE_URLS = {
    "portal_page": "/portal/tickets/{n}/",
    "portal_download": "/portal/attachments/{a}/",
    "console_page": "/console/records/{n}/",
    "console_download": "/console/attachments/{a}/",
    "console_search": "/console/search/?q={n}",
}


@pytest.mark.parametrize("endpoint", [*API_URLS, *PAGE_URLS])
def test_anonymous_and_inactive_get_nothing(world: World, client: Client, endpoint: str):
    template = API_URLS.get(endpoint) or PAGE_URLS[endpoint]
    url = template.format(
        n=world.records["store_fault"].number, a=world.attachments["store_fault"].pk
    )
    inactive = world.people["requester"]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    for signed_in_as in (None, inactive):
        if signed_in_as is not None:
            client.force_login(signed_in_as)
        response = client.get(url)
        if endpoint in API_URLS:
            assert response.status_code == 401
        else:
            assert response.status_code == 302
            assert response["Location"].startswith("/login/?next=")


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
