"""Console pages of service requests: queue, request page with answers, approvals, tasks,
instructions and actions, the team task queue, raising on someone's behalf. Thin wiring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from steward.fulfilment.models import RequestStatus, ServiceRequest
from steward.fulfilment.services import approval_decide
from steward.fulfilment.tests.conftest import state_of
from steward.fulfilment.tests.test_portal import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(submit: Callable[..., ServiceRequest], manager: Any) -> ServiceRequest:
    request = submit()
    approval_decide(actor=manager, approval=request.approvals.get(), decision="approved")
    request.refresh_from_db()
    return request


def test_the_team_queue_lists_open_requests(approved: ServiceRequest, agent: Any) -> None:
    html = client_for(agent).get("/console/requests/").content.decode()
    assert f'href="/console/requests/{approved.number}/"' in html


def test_the_request_page_shows_answers_approvals_tasks_and_instructions(
    approved: ServiceRequest, stock_agent: Any,
) -> None:
    response = client_for(stock_agent).get(f"/console/requests/{approved.number}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-key="reason">旧电脑坏了' in html
    assert '<li data-state="approved">' in html
    assert "按标准镜像安装。" in html
    first = approved.tasks.get(position=1)
    assert f'id="task-{first.pk}" data-state="open"' in html
    assert 'data-actions="start,complete,cancel"' in html
    assert f'hx-get="/console/records/{approved.number}/timeline/"' in html


def test_search_result_opens_the_request_page(approved: ServiceRequest, agent: Any) -> None:
    response = client_for(agent).get(f"/console/records/{approved.number}/")
    assert response["Location"] == f"/console/requests/{approved.number}/"


def test_the_task_queue_and_its_actions(
    approved: ServiceRequest, stock_agent: Any, agent: Any,
) -> None:
    first = approved.tasks.get(position=1)
    client = client_for(stock_agent)
    html = client.get("/console/requests/tasks/").content.decode()
    assert f'id="task-{first.pk}"' in html
    done = client.post(f"/console/requests/tasks/{first.pk}/complete/",
                       {"version": "1", "text": "已出库", "next": "tasks"})
    assert done["Location"] == "/console/requests/tasks/"
    first.refresh_from_db()
    assert (first.state, first.notes) == ("done", "已出库")
    # The desk agent (not in the stock team) does not see the stock task in their queue
    second = approved.tasks.get(position=2)
    desk_html = client_for(agent).get("/console/requests/tasks/").content.decode()
    assert f'id="task-{second.pk}"' in desk_html
    assert f'id="task-{first.pk}"' not in desk_html


def test_another_team_cannot_complete_the_task(
    approved: ServiceRequest, agent: Any,
) -> None:
    first = approved.tasks.get(position=1)
    before = state_of(approved)
    response = client_for(agent).post(f"/console/requests/tasks/{first.pk}/complete/",
                                      {"version": "1"})
    assert response.status_code == 403
    assert state_of(approved) == before


def test_desk_cancels_with_a_reason(approved: ServiceRequest, agent: Any) -> None:
    response = client_for(agent).post(f"/console/requests/{approved.number}/cancel/",
                                      {"text": "重复申请"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == RequestStatus.CANCELLED


def test_desk_raises_for_someone(
    clock: Any, agreement: Any, laptop: Any, agent: Any, requester: Any, manager: Any,
) -> None:
    client = client_for(agent)
    form = client.get("/console/requests/new/", {"item": "LAPTOP"}).content.decode()
    assert 'name="model"' in form
    response = client.post("/console/requests/new/?item=LAPTOP", {
        "requester": requester.username, "model": "x1", "reason": "电话申请"})
    assert response.status_code == 302
    created = ServiceRequest.objects.get()
    assert (created.requester, created.raised_by, created.channel) == (
        requester, agent, "console")


def test_console_page_renders_in_chinese(approved: ServiceRequest, agent: Any) -> None:
    html = client_for(agent).get(f"/console/requests/{approved.number}/").content.decode()
    assert '<html lang="zh-Hans">' in html
