"""The requests API: wiring, error mapping (field + reason on bad answers, 403 for a
non-approver, 404 for an invisible request) and the happy path through approval and tasks.
Responses of the happy paths are validated against the generated OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from steward.fulfilment.models import ServiceRequest
from steward.fulfilment.tests.conftest import state_of
from steward.incidents.tests.test_api import client_for, conforms, post
from steward.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests"


def test_requester_raises_a_request(
    clock: Any, agreement: Any, requester: Any, laptop: Any,
) -> None:
    response = post(client_for(requester), URL, {
        "item_code": "LAPTOP", "answers": {"model": "t14", "reason": "旧电脑坏了"}})
    assert response.status_code == 201, response.json()
    body = conforms(response, "requests_create")
    assert (body["number"], body["status"], body["channel"], body["item_version"]) == (
        "REQ-000001", "awaiting_approval", "api", 1)
    assert body["answers"] == {"model": "t14", "reason": "旧电脑坏了"}
    assert body["allowed_actions"] == ["cancel"]
    assert [a["state"] for a in body["approvals"]] == ["pending"]


def test_bad_answer_is_a_422_with_the_field_and_nothing_is_created(
    clock: Any, agreement: Any, requester: Any, laptop: Any,
) -> None:
    response = post(client_for(requester), URL, {
        "item_code": "LAPTOP", "answers": {"model": "mac", "reason": "x"}})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"], body["detail"].startswith("mac ")) == (
        "invalid", "model", True)
    assert ServiceRequest.objects.count() == 0


def test_approval_and_tasks_through_the_api(
    submit: Callable[..., ServiceRequest], manager: Any, stock_agent: Any, agent: Any,
) -> None:
    request = submit()
    manager_client = client_for(manager)
    pending = manager_client.get(f"{URL}/approvals")
    assert [a["request_number"] for a in conforms(pending, "requests_approvals")] == [
        request.number]

    decided = post(manager_client, f"{URL}/approvals/{pending.json()[0]['id']}/decide",
                   {"decision": "approved", "comment": "同意"})
    assert decided.status_code == 200
    assert conforms(decided, "requests_approval_decide")["state"] == "approved"

    stock_client = client_for(stock_agent)
    queue = conforms(stock_client.get(f"{URL}/tasks"), "requests_tasks")
    assert [(t["request_number"], t["title"], t["state"]) for t in queue] == [
        (request.number, "出库", "open")]
    done = post(stock_client, f"{URL}/tasks/{queue[0]['id']}/complete", {"note": "已出库"})
    assert conforms(done, "requests_task_complete")["state"] == "done"

    second = conforms(client_for(agent).get(f"{URL}/tasks"), "requests_tasks")[0]
    post(client_for(agent), f"{URL}/tasks/{second['id']}/complete")
    detail = conforms(client_for(agent).get(f"{URL}/{request.number}"), "requests_get")
    assert detail["status"] == "fulfilled"


def test_non_approver_gets_403_and_nothing_changes(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    request = submit()
    approval = request.approvals.get()
    before = state_of(request)
    response = post(client_for(requester), f"{URL}/approvals/{approval.pk}/decide",
                    {"decision": "approved"})
    assert (response.status_code, response.json()["code"]) == (403, "not_permitted")
    assert state_of(request) == before


def test_invisible_request_is_404(submit: Callable[..., ServiceRequest]) -> None:
    request = submit()
    stranger = client_for(factories.person())
    assert stranger.get(f"{URL}/{request.number}").status_code == 404
    approval = request.approvals.get()
    response = post(stranger, f"{URL}/approvals/{approval.pk}/decide", {"decision": "approved"})
    assert response.status_code == 404


def test_requester_cancels_and_lists(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    request = submit()
    client = client_for(requester)
    cancelled = post(client, f"{URL}/{request.number}/cancel", {"reason": "不需要了"})
    assert conforms(cancelled, "requests_cancel")["status"] == "cancelled"
    listed = client.get(URL, {"queue": "mine"})
    assert [r["number"] for r in listed.json()["results"]] == [request.number]


def test_delegation_through_the_api(manager: Any, clock: Any) -> None:
    deputy = factories.person()
    client = client_for(manager)
    created = post(client, f"{URL}/delegations", {
        "delegate_id": deputy.pk, "starts_on": "2026-03-02", "ends_on": "2026-03-06"})
    assert created.status_code == 201
    body = conforms(created, "requests_delegation_create")
    revoked = post(client, f"{URL}/delegations/{body['id']}/revoke")
    assert revoked.status_code == 200
    assert client.get(f"{URL}/delegations").json() == []


def test_lists_do_not_query_per_row(
    submit: Callable[..., ServiceRequest], manager: Any, agent: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from steward.fulfilment.services import approval_decide

    for _ in range(5):
        request = submit()
        approval_decide(actor=manager, approval=request.approvals.get(), decision="approved")
    for _ in range(3):
        submit()
    client = client_for(agent)
    client.get(URL)  # warm the session and content types
    with django_assert_max_num_queries(12):
        listed = client.get(URL, {"queue": "team"})
    assert len(listed.json()["results"]) == 8
    approver = client_for(manager)
    approver.get(URL)
    with django_assert_max_num_queries(8):
        pending = approver.get(f"{URL}/approvals")
    assert len(pending.json()) == 3
    with django_assert_max_num_queries(14):
        page = client.get("/console/requests/")
    assert page.status_code == 200
