"""Signed approve/reject links: valid once, expire, forged ones refused; reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing

from steward.core.errors import BusinessRuleViolation
from steward.fulfilment.models import ApprovalReminder, RequestStatus, ServiceRequest
from steward.fulfilment.services import (
    approval_decide,
    approval_decide_by_link,
    approval_link_token,
    reminder_fire,
)
from steward.fulfilment.services.links import SALT
from steward.fulfilment.tests.conftest import state_of

pytestmark = pytest.mark.django_db


def test_link_decides_as_the_approver(
    submit: Callable[..., ServiceRequest], manager: Any,
) -> None:
    request = submit()
    token = approval_link_token(request.approvals.get(), "approved")

    approval = approval_decide_by_link(token=token, comment="邮件里批准")

    request.refresh_from_db()
    assert (approval.state, approval.decided_by, approval.via_link) == (
        "approved", manager, True)
    assert request.status == RequestStatus.IN_FULFILMENT


def test_a_link_works_once(submit: Callable[..., ServiceRequest]) -> None:
    request = submit()
    approval = request.approvals.get()
    approve = approval_link_token(approval, "approved")
    reject = approval_link_token(approval, "rejected")
    approval_decide_by_link(token=approve)
    before = state_of(request)

    for token in (approve, reject):
        with pytest.raises(BusinessRuleViolation) as raised:
            approval_decide_by_link(token=token, comment="再来一次")
        assert raised.value.code == "link_used"
    assert state_of(request) == before


def test_forged_link_is_refused(submit: Callable[..., ServiceRequest]) -> None:
    request = submit()
    approval = request.approvals.get()
    before = state_of(request)
    forged = signing.dumps({"a": approval.pk, "d": "approved", "n": approval.link_nonce},
                           salt="another-salt")
    for token in (forged, approval_link_token(approval, "approved") + "x", "garbage"):
        with pytest.raises(BusinessRuleViolation) as raised:
            approval_decide_by_link(token=token)
        assert raised.value.code == "link_invalid"
    assert state_of(request) == before


def test_link_of_another_decision_value_is_refused(
    submit: Callable[..., ServiceRequest],
) -> None:
    request = submit()
    approval = request.approvals.get()
    token = signing.dumps({"a": approval.pk, "d": "withdrawn", "n": approval.link_nonce},
                          salt=SALT, compress=True)
    with pytest.raises(BusinessRuleViolation) as raised:
        approval_decide_by_link(token=token)
    assert raised.value.code == "link_invalid"


def test_expired_link_is_refused(
    submit: Callable[..., ServiceRequest], settings: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = submit()
    token = approval_link_token(request.approvals.get(), "approved")
    before = state_of(request)
    later = signing.time.time() + settings.STEWARD_APPROVAL_LINK_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(BusinessRuleViolation) as raised:
        approval_decide_by_link(token=token)
    assert raised.value.code == "link_expired"
    assert state_of(request) == before


def test_link_rejection_needs_a_comment(submit: Callable[..., ServiceRequest]) -> None:
    from steward.core.errors import ValidationFailed

    request = submit()
    token = approval_link_token(request.approvals.get(), "rejected")
    with pytest.raises(ValidationFailed):
        approval_decide_by_link(token=token)
    approval = approval_decide_by_link(token=token, comment="不批")
    assert approval.state == "rejected"


def test_reminder_fires_once_for_a_pending_approver(
    submit: Callable[..., ServiceRequest], events: Any, clock: Any,
) -> None:
    request = submit()
    reminder = ApprovalReminder.objects.get(approval__request=request)
    clock.advance(hours=25)

    with events.capture():
        first = reminder_fire(reminder_id=reminder.pk)
        second = reminder_fire(reminder_id=reminder.pk)

    assert (first, second) == (True, False)
    assert events.names == ["ApprovalReminded"]
    reminder.refresh_from_db()
    assert reminder.status == "done"


def test_reminder_is_not_due_before_its_time(
    submit: Callable[..., ServiceRequest], events: Any,
) -> None:
    request = submit()
    reminder = ApprovalReminder.objects.get(approval__request=request)
    with events.capture():
        assert reminder_fire(reminder_id=reminder.pk) is False
    assert events.names == []


def test_reminder_after_the_decision_sends_nothing(
    submit: Callable[..., ServiceRequest], manager: Any, events: Any, clock: Any,
) -> None:
    request = submit()
    approval_decide(actor=manager, approval=request.approvals.get(), decision="approved")
    reminder = ApprovalReminder.objects.get(approval__request=request)
    clock.advance(hours=25)
    with events.capture():
        assert reminder_fire(reminder_id=reminder.pk) is False
    assert events.names == []
    reminder.refresh_from_db()
    assert (reminder.status, reminder.fired_at) == ("done", None)


def test_reminder_due_time_follows_the_setting(
    submit: Callable[..., ServiceRequest], settings: Any, clock: Any,
) -> None:
    settings.STEWARD_APPROVAL_REMINDER_HOURS = 4
    request = submit()
    reminder = ApprovalReminder.objects.get(approval__request=request)
    assert reminder.next_attempt_at == clock.now + dt.timedelta(hours=4)


def test_the_outbox_sweep_fires_due_reminders_once(
    submit: Callable[..., ServiceRequest], events: Any, clock: Any,
) -> None:
    from steward.core import outbox

    request = submit()
    with events.capture():
        outbox.sweep()
    assert events.names == []  # not due yet
    clock.advance(hours=25)
    with events.capture():
        counts = outbox.sweep()
        outbox.sweep()
    assert counts["fulfilment.ApprovalReminder"] == 1
    assert events.names == ["ApprovalReminded"]
    assert ApprovalReminder.objects.get(approval__request=request).status == "done"
