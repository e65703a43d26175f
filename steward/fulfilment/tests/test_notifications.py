"""The messages of service requests, written in the same transaction as the change: the
acknowledgement with the promise, approval needed with signed links that work, the reminder,
the rejection with its comment, task assigned with the instructions, fulfilled."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from steward.catalogue.services import request_item_revise
from steward.core import events as core_events
from steward.fulfilment import events as request_events
from steward.fulfilment.models import ApprovalReminder, RequestStatus, ServiceRequest
from steward.fulfilment.services import (
    approval_decide,
    approval_decide_by_link,
    reminder_fire,
    task_complete,
)
from steward.notifications import handlers_requests
from steward.notifications.models import Notification
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def notifications(isolated_subscribers: None) -> None:
    """The subscriptions NotificationsConfig.ready() makes for requests."""
    h = handlers_requests
    for event_type, handler in (
        (request_events.RequestSubmitted, h.on_request_submitted),
        (request_events.ApprovalRequested, h.on_approval_requested),
        (request_events.ApprovalReminded, h.on_approval_reminded),
        (request_events.RequestRejected, h.on_request_rejected),
        (request_events.FulfilmentTaskOpened, h.on_task_opened),
        (request_events.FulfilmentTaskAssigned, h.on_task_assigned),
        (request_events.RequestFulfilled, h.on_request_fulfilled),
    ):
        core_events.subscribe(event_type, handler)


def test_acknowledgement_and_approval_needed(
    notifications: None, submit: Callable[..., ServiceRequest], requester: Any, manager: Any,
) -> None:
    submit()

    ack = Notification.objects.get(event="request.submitted")
    assert (ack.recipient, ack.language) == (requester, "zh-hans")
    assert ack.subject == "[REQ-000001] 已收到您的服务请求：新笔记本电脑"
    assert "审批通过后约 40.0 个工作小时内交付" in ack.body
    assert "/portal/tickets/REQ-000001/" in ack.body
    ask = Notification.objects.get(event="request.approval_needed")
    assert ask.recipient == manager
    assert "张店长" in ask.subject
    assert "型号: ThinkPad T14\n用途: 旧电脑坏了" in ask.body
    assert len(re.findall(r"/portal/approvals/link/[^/\s]+/", ask.body)) == 2


def test_the_approve_link_in_the_message_works_once(
    notifications: None, submit: Callable[..., ServiceRequest],
) -> None:
    request = submit()
    body = Notification.objects.get(event="request.approval_needed").body
    approve = re.search(r"同意：\S+/portal/approvals/link/([^/\s]+)/", body)
    assert approve is not None

    approval_decide_by_link(token=approve.group(1))

    request.refresh_from_db()
    assert request.status == RequestStatus.IN_FULFILMENT
    from steward.core.errors import BusinessRuleViolation

    with pytest.raises(BusinessRuleViolation):
        approval_decide_by_link(token=approve.group(1))


def test_acknowledgement_without_approval_promises_the_sla_time(
    notifications: None, submit: Callable[..., ServiceRequest], laptop: Any,
) -> None:
    request_item_revise(actor=None, item=laptop, changes={"approval_kind": "none"})
    laptop.refresh_from_db()
    submit()
    ack = Notification.objects.get(event="request.submitted")
    # P4 fulfilment: 2400 business minutes (5 days of 8 h) from Monday 10:15
    assert "我们承诺在 2026-03-09 10:15 前完成" in ack.body
    task = Notification.objects.get(event="request.task_assigned")
    assert task.subject == "[REQ-000001] 新履行任务：出库"
    assert "履行说明：按标准镜像安装。" in task.body


def test_reminder_message(
    notifications: None, submit: Callable[..., ServiceRequest], manager: Any, clock: Any,
) -> None:
    request = submit()
    clock.advance(hours=25)
    reminder_fire(reminder_id=ApprovalReminder.objects.get(approval__request=request).pk)
    sent = Notification.objects.get(event="request.approval_reminder")
    assert sent.recipient == manager
    assert sent.subject == "[REQ-000001] 提醒：仍待您审批「新笔记本电脑」"


def test_rejection_tells_the_requester_why(
    notifications: None, submit: Callable[..., ServiceRequest], manager: Any, requester: Any,
) -> None:
    request = submit()
    approval_decide(actor=manager, approval=request.approvals.get(), decision="rejected",
                    comment="预算不足")
    sent = Notification.objects.get(event="request.rejected")
    assert sent.recipient == requester
    assert "审批意见：预算不足" in sent.body


def test_fulfilled_message_in_english(
    notifications: None, submit: Callable[..., ServiceRequest], laptop: Any,
    stock_agent: Any, agent: Any,
) -> None:
    request_item_revise(actor=None, item=laptop, changes={"approval_kind": "none"})
    laptop.refresh_from_db()
    traveller = factories.person(language="en", name_en="Anna")
    request = submit(requester=traveller)
    first, second = request.tasks.order_by("position")
    task_complete(actor=stock_agent, task=first)
    task_complete(actor=agent, task=second)
    sent = Notification.objects.get(event="request.fulfilled")
    assert (sent.recipient, sent.subject) == (traveller, "[REQ-000001] delivered: New laptop")


def test_the_delegate_is_told_without_signed_links(
    notifications: None, submit: Callable[..., ServiceRequest], manager: Any, clock: Any,
) -> None:
    deputy = factories.person(name="副经理")
    factories.approval_delegation(delegator=manager, delegate=deputy)
    submit()
    to_deputy = Notification.objects.get(event="request.approval_needed", recipient=deputy)
    assert "需要您代 陈经理 审批" in to_deputy.body
    assert "/portal/approvals/link/" not in to_deputy.body
    assert "/portal/approvals/" in to_deputy.body
    to_manager = Notification.objects.get(event="request.approval_needed", recipient=manager)
    assert "/portal/approvals/link/" in to_manager.body
