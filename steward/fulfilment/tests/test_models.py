"""The transition tables and the registration of service requests as work items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from steward.fulfilment.models import (
    TASK_TRANSITIONS,
    TERMINAL_STATUSES,
    TRANSITIONS,
    RequestStatus,
    ServiceRequest,
    TaskState,
)
from steward.testing import factories
from steward.workitems import selectors
from steward.workitems.registry import record_type_for_number


def test_every_status_is_in_the_transition_table() -> None:
    assert TRANSITIONS.states() == set(RequestStatus.values)
    assert TASK_TRANSITIONS.states() == set(TaskState.values)


def test_terminal_statuses_have_no_way_out() -> None:
    assert [TRANSITIONS.allowed(s) for s in TERMINAL_STATUSES] == [[], [], []]


def test_cancel_is_allowed_until_fulfilled() -> None:
    assert [s for s in RequestStatus.values if "cancel" in TRANSITIONS.allowed(s)] == [
        "submitted", "awaiting_approval", "in_fulfilment"]


def test_requests_are_registered_as_work_items() -> None:
    found = record_type_for_number("REQ-000001")
    assert found is not None
    assert found.model is ServiceRequest


@pytest.mark.django_db
def test_search_and_lookup_follow_the_request_visibility(
    submit: Callable[..., ServiceRequest], requester: Any, manager: Any, stock_agent: Any,
) -> None:
    request = submit()
    stranger = factories.person()
    assert selectors.record_get_for(user=manager, number=request.number) == request
    assert [r.number for r in selectors.record_search_for(user=requester, query="REQ")] == [
        request.number]
    assert selectors.record_search_for(user=stranger, query="REQ") == []
    # The stock team sees it only once a task of theirs exists (after approval)
    assert not ServiceRequest.objects.visible_to(stock_agent).filter(pk=request.pk).exists()
    from steward.fulfilment.services import approval_decide

    approval_decide(actor=manager, approval=request.approvals.get(), decision="approved")
    assert list(ServiceRequest.objects.visible_to(stock_agent)) == [request]


@pytest.mark.django_db
def test_every_request_message_has_a_template_in_both_languages() -> None:
    from steward.notifications.models import MessageTemplate

    events = ("request.submitted", "request.approval_needed", "request.approval_reminder",
              "request.rejected", "request.task_assigned", "request.fulfilled",
              "request.replied")
    found = set(MessageTemplate.objects.filter(event__in=events).values_list(
        "event", "language"))
    assert found == {(e, lang) for e in events for lang in ("zh-hans", "en")}


@pytest.mark.django_db
def test_csv_export_of_requests(submit: Callable[..., ServiceRequest], manager: Any) -> None:
    request = submit()
    found = record_type_for_number(request.number)
    assert found is not None
    lines = list(selectors.record_export_csv_for(user=manager, record_type=found))
    assert lines[0].startswith("number,title,status,item__code,service__code,")
    assert lines[1].startswith(f"{request.number},新笔记本电脑,awaiting_approval,LAPTOP,IT-EQ,")
