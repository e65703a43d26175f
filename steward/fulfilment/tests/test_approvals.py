"""Deciding approvals: approver, delegate, refusals, the one-of and all-of rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from steward.catalogue.services import request_item_revise
from steward.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from steward.fulfilment.models import RequestStatus, ServiceRequest
from steward.fulfilment.services import approval_decide, request_cancel
from steward.fulfilment.tests.conftest import audit_actions, clocks, state_of
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_manager_approves_and_the_first_task_opens(
    submit: Callable[..., ServiceRequest], manager: Any, events: Any,
) -> None:
    request = submit()
    approval = request.approvals.get()

    with events.capture():
        approval_decide(actor=manager, approval=approval, decision="approved", comment="同意")

    request.refresh_from_db()
    approval.refresh_from_db()
    assert request.status == RequestStatus.IN_FULFILMENT
    assert request.approved_at is not None
    assert (approval.state, approval.decided_by, approval.comment, approval.on_behalf) == (
        "approved", manager, "同意", False)
    assert list(request.tasks.values_list("state", flat=True)) == ["open", "waiting"]
    assert clocks(request)["fulfilment"].state == "running"
    assert audit_actions(request)[-3:] == ["approval_approved", "approve", "task_open"]
    assert events.names == ["FulfilmentTaskOpened", "ApprovalDecided", "RequestApproved"]


def test_rejection_ends_the_request_with_the_comment(
    submit: Callable[..., ServiceRequest], manager: Any, events: Any,
) -> None:
    request = submit()

    with events.capture():
        approval_decide(actor=manager, approval=request.approvals.get(), decision="rejected",
                        comment="预算不足")

    request.refresh_from_db()
    assert (request.status, request.outcome_note) == (RequestStatus.REJECTED, "预算不足")
    assert request.closed_at is not None
    assert request.tasks.count() == 0
    assert clocks(request)["fulfilment"].state == "cancelled"
    assert "RequestRejected" in events.names
    rejected = next(e for e in events.items if type(e).__name__ == "RequestRejected")
    assert rejected.comment == "预算不足"


def test_rejection_needs_a_comment(
    submit: Callable[..., ServiceRequest], manager: Any,
) -> None:
    request = submit()
    before = state_of(request)
    with pytest.raises(ValidationFailed) as raised:
        approval_decide(actor=manager, approval=request.approvals.get(), decision="rejected")
    assert raised.value.field == "comment"
    assert state_of(request) == before


def test_someone_else_cannot_decide(
    submit: Callable[..., ServiceRequest], requester: Any, agent: Any, events: Any,
) -> None:
    request = submit()
    before = state_of(request)
    for outsider in (requester, agent, factories.person(roles=(Role.ADMINISTRATOR,))):
        with events.capture(), pytest.raises(NotPermitted):
            approval_decide(actor=outsider, approval=request.approvals.get(),
                            decision="approved")
        assert events.names == []
    assert state_of(request) == before


def test_second_decision_is_refused(
    submit: Callable[..., ServiceRequest], manager: Any,
) -> None:
    request = submit()
    approval = request.approvals.get()
    approval_decide(actor=manager, approval=approval, decision="approved")
    before = state_of(request)
    with pytest.raises(InvalidTransition) as raised:
        approval_decide(actor=manager, approval=approval, decision="rejected", comment="改主意")
    assert raised.value.code == "already_decided"
    assert state_of(request) == before


def test_delegate_decides_on_behalf_while_the_approver_is_away(
    submit: Callable[..., ServiceRequest], manager: Any, clock: Any,
) -> None:
    # Given the manager delegated approvals to a deputy for this week
    deputy = factories.person(name="副经理")
    factories.approval_delegation(delegator=manager, delegate=deputy)
    request = submit()

    # Then the deputy sees the request and decides it on the manager's behalf
    assert ServiceRequest.objects.visible_to(deputy).filter(pk=request.pk).exists()
    approval = approval_decide(actor=deputy, approval=request.approvals.get(),
                               decision="approved", comment="代批")
    assert (approval.approver, approval.decided_by, approval.on_behalf) == (
        manager, deputy, True)


def test_delegation_outside_its_dates_gives_nothing(
    submit: Callable[..., ServiceRequest], manager: Any, clock: Any,
) -> None:
    deputy = factories.person()
    today = clock.now.date()
    factories.approval_delegation(delegator=manager, delegate=deputy,
                                  starts_on=today + dt.timedelta(days=3),
                                  ends_on=today + dt.timedelta(days=5))
    request = submit()
    assert not ServiceRequest.objects.visible_to(deputy).filter(pk=request.pk).exists()
    with pytest.raises(NotPermitted):
        approval_decide(actor=deputy, approval=request.approvals.get(), decision="approved")


def test_overlapping_delegation_is_refused(manager: Any, clock: Any) -> None:
    factories.approval_delegation(delegator=manager, delegate=factories.person())
    with pytest.raises(ValidationFailed) as raised:
        factories.approval_delegation(delegator=manager, delegate=factories.person())
    assert raised.value.field == "starts_on"


@pytest.fixture
def board(db: Any) -> Any:
    members = (factories.person(name="甲"), factories.person(name="乙"))
    return factories.team(code="BOARD", name="审批组", members=members)


def test_group_all_of_needs_every_member(
    submit: Callable[..., ServiceRequest], laptop: Any, board: Any,
) -> None:
    request_item_revise(actor=None, item=laptop, changes={
        "approval_kind": "group", "approval_team": board, "approval_mode": "all"})
    laptop.refresh_from_db()
    request = submit()
    first, second = request.approvals.order_by("pk")

    approval_decide(actor=first.approver, approval=first, decision="approved")
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_APPROVAL

    approval_decide(actor=second.approver, approval=second, decision="approved")
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_FULFILMENT


def test_group_one_of_needs_one_and_withdraws_the_rest(
    submit: Callable[..., ServiceRequest], laptop: Any, board: Any,
) -> None:
    request_item_revise(actor=None, item=laptop, changes={
        "approval_kind": "group", "approval_team": board, "approval_mode": "any"})
    laptop.refresh_from_db()
    request = submit()
    first, second = request.approvals.order_by("pk")

    approval_decide(actor=first.approver, approval=first, decision="approved")

    request.refresh_from_db()
    second.refresh_from_db()
    assert request.status == RequestStatus.IN_FULFILMENT
    assert second.state == "withdrawn"
    with pytest.raises(InvalidTransition):
        approval_decide(actor=second.approver, approval=second, decision="approved")


def test_cancelled_request_withdraws_its_approvals(
    submit: Callable[..., ServiceRequest], requester: Any, manager: Any,
) -> None:
    request = submit()
    request_cancel(actor=requester, request=request, reason="不需要了")
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert list(request.approvals.values_list("state", flat=True)) == ["withdrawn"]
    with pytest.raises(InvalidTransition):
        approval_decide(actor=manager, approval=request.approvals.get(), decision="approved")
