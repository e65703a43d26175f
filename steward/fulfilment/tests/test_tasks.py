"""Fulfilment tasks: ordered and parallel, who may work them, automatic fulfilment, and the
end of the request (cancel, fulfil by hand, close)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from steward.catalogue.services import request_item_revise
from steward.core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
)
from steward.fulfilment.models import RequestStatus, ServiceRequest
from steward.fulfilment.services import (
    approval_decide,
    request_cancel,
    request_close,
    request_fulfil,
    task_assign,
    task_cancel,
    task_complete,
    task_set_notes,
    task_start,
)
from steward.fulfilment.tests.conftest import clocks, state_of
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(submit: Callable[..., ServiceRequest], manager: Any) -> ServiceRequest:
    request = submit()
    approval_decide(actor=manager, approval=request.approvals.get(), decision="approved")
    request.refresh_from_db()
    return request


def test_ordered_tasks_open_one_after_another_and_fulfil_the_request(
    approved: ServiceRequest, stock_agent: Any, agent: Any, events: Any,
) -> None:
    first, second = approved.tasks.order_by("position")

    # When the stock team starts and completes the first task
    task_start(actor=stock_agent, task=first)
    with events.capture():
        task_complete(actor=stock_agent, task=first, note="已出库 SN123")

    # Then the second opens
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.assignee, first.notes) == ("done", stock_agent, "已出库 SN123")
    assert second.state == "open"
    assert events.names == ["FulfilmentTaskOpened", "FulfilmentTaskFinished"]

    # When the desk completes the second, the request is fulfilled
    with events.capture():
        task_complete(actor=agent, task=second)
    approved.refresh_from_db()
    assert approved.status == RequestStatus.FULFILLED
    assert approved.fulfilled_at is not None
    assert clocks(approved)["fulfilment"].state == "met"
    assert events.names == ["RequestFulfilled", "FulfilmentTaskFinished"]
    assert events.items[0].requester_id == approved.requester_id


def test_parallel_tasks_open_together(
    submit: Callable[..., ServiceRequest], laptop: Any,
) -> None:
    request_item_revise(actor=None, item=laptop, changes={
        "approval_kind": "none", "task_mode": "parallel"})
    laptop.refresh_from_db()
    request = submit()
    assert list(request.tasks.values_list("state", flat=True)) == ["open", "open"]


def test_another_team_cannot_work_the_task(
    approved: ServiceRequest, agent: Any, requester: Any,
) -> None:
    first = approved.tasks.get(position=1)  # the stock team's
    before = state_of(approved)
    for outsider in (agent, requester):
        with pytest.raises(NotPermitted):
            task_complete(actor=outsider, task=first)
    assert state_of(approved) == before


def test_waiting_task_cannot_be_completed(approved: ServiceRequest, agent: Any) -> None:
    second = approved.tasks.get(position=2)
    before = state_of(approved)
    with pytest.raises(InvalidTransition):
        task_complete(actor=agent, task=second)
    assert state_of(approved) == before


def test_assign_within_the_team_only(approved: ServiceRequest, stock_agent: Any) -> None:
    first = approved.tasks.get(position=1)
    colleague = factories.person(roles=("agent",))
    stock = first.team
    factories.services.team_set_members(actor=None, team=stock,
                                        members=(stock_agent, colleague))
    task = task_assign(actor=stock_agent, task=first, assignee=colleague)
    assert task.assignee == colleague
    with pytest.raises(ValidationFailed) as raised:
        task_assign(actor=stock_agent, task=first, assignee=factories.person())
    assert raised.value.field == "assignee_id"


def test_notes_with_a_stale_version_are_refused(
    approved: ServiceRequest, stock_agent: Any,
) -> None:
    first = approved.tasks.get(position=1)
    task_set_notes(actor=stock_agent, task=first, notes="等货", version=1)
    with pytest.raises(Conflict):
        task_set_notes(actor=stock_agent, task=first, notes="覆盖", version=1)
    first.refresh_from_db()
    assert (first.notes, first.version) == ("等货", 2)


def test_cancelled_tasks_do_not_fulfil_alone(
    approved: ServiceRequest, stock_agent: Any, agent: Any,
) -> None:
    first = approved.tasks.get(position=1)
    task_cancel(actor=stock_agent, task=first, reason="库存有现货，无需出库")
    second = approved.tasks.get(position=2)
    assert second.state == "open"
    task_cancel(actor=agent, task=second, reason="无需安装")
    approved.refresh_from_db()
    assert approved.status == RequestStatus.IN_FULFILMENT
    # The desk then fulfils it by hand
    request_fulfil(actor=agent, request=approved, note="用户自行安装")
    approved.refresh_from_db()
    assert (approved.status, approved.outcome_note) == (RequestStatus.FULFILLED, "用户自行安装")


def test_fulfil_by_hand_waits_for_open_tasks(approved: ServiceRequest, agent: Any) -> None:
    before = state_of(approved)
    with pytest.raises(BusinessRuleViolation) as raised:
        request_fulfil(actor=agent, request=approved, note="done")
    assert raised.value.code == "tasks_open"
    assert state_of(approved) == before


def test_requester_cancels_before_fulfilment_and_tasks_end(
    approved: ServiceRequest, requester: Any, events: Any,
) -> None:
    with events.capture():
        request_cancel(actor=requester, request=approved, reason="不需要了")
    approved.refresh_from_db()
    assert approved.status == RequestStatus.CANCELLED
    assert list(approved.tasks.values_list("state", flat=True)) == ["cancelled", "cancelled"]
    assert clocks(approved)["fulfilment"].state == "cancelled"
    assert events.names == ["RequestCancelled"]


def test_fulfilled_request_cannot_be_cancelled_but_closes(
    approved: ServiceRequest, requester: Any, stock_agent: Any, agent: Any,
) -> None:
    first, second = approved.tasks.order_by("position")
    task_complete(actor=stock_agent, task=first)
    task_complete(actor=agent, task=second)
    approved.refresh_from_db()
    before = state_of(approved)
    with pytest.raises(InvalidTransition):
        request_cancel(actor=requester, request=approved, reason="晚了")
    assert state_of(approved) == before
    request_close(actor=requester, request=approved)
    approved.refresh_from_db()
    assert approved.status == RequestStatus.CLOSED
    assert approved.closed_at is not None


def test_other_requester_cannot_cancel(approved: ServiceRequest) -> None:
    before = state_of(approved)
    with pytest.raises(NotPermitted):
        request_cancel(actor=factories.person(), request=approved, reason="x")
    assert state_of(approved) == before


def test_fulfilled_requests_close_by_themselves_after_the_period(
    approved: ServiceRequest, stock_agent: Any, agent: Any, clock: Any, settings: Any,
    events: Any,
) -> None:
    from steward.fulfilment.services import request_auto_close_due

    first, second = approved.tasks.order_by("position")
    task_complete(actor=stock_agent, task=first)
    task_complete(actor=agent, task=second)
    clock.advance(days=settings.STEWARD_REQUEST_AUTO_CLOSE_DAYS - 1)
    assert request_auto_close_due() == []
    clock.advance(days=2)
    with events.capture():
        assert request_auto_close_due() == [approved.number]
        assert request_auto_close_due() == []
    approved.refresh_from_db()
    assert approved.status == RequestStatus.CLOSED
    assert [(type(e).__name__, e.automatic) for e in events.items] == [("RequestClosed", True)]
