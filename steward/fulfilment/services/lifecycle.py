"""Ending a service request: cancel (requester or desk, before fulfilment), fulfil by hand
(a request without tasks), close (the requester confirms, or the desk)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import BusinessRuleViolation, ValidationFailed
from steward.core.events import publish
from steward.fulfilment import permissions
from steward.fulfilment.events import RequestCancelled, RequestClosed
from steward.fulfilment.models import (
    ACTIVE_TASK_STATES,
    RequestStatus,
    ServiceRequest,
    TaskState,
)
from steward.fulfilment.services.approvals import approvals_withdraw
from steward.fulfilment.services.common import (
    before_of,
    lock,
    require,
    save_audited,
    sla_follow_status,
    target_of,
)
from steward.fulfilment.services.tasks import request_mark_fulfilled, tasks_withdraw


def request_cancel(*, actor: Any, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Cancel a request that is not yet fulfilled: its requester, or the desk.

    Pending approvals are withdrawn and unfinished tasks cancelled. Emits
    ``RequestCancelled``. Errors: ``NotPermitted``, ``ValidationFailed`` (reason),
    ``InvalidTransition`` (fulfilled, closed, rejected or cancelled).
    """
    require(permissions.can_cancel(actor, request), _("You may not cancel this request."))
    reason = str(reason).strip()
    if not reason:
        raise ValidationFailed(_("Say why the request is cancelled."), field="reason")
    with transaction.atomic():
        locked = lock(request)
        before = before_of(locked)
        locked.status = target_of(locked, "cancel")
        now = timezone.now()
        locked.closed_at = now
        locked.outcome_note = reason
        save_audited(locked, actor=actor, action="cancel", before=before, at=now)
        approvals_withdraw(locked, at=now)
        tasks_withdraw(locked, at=now)
        sla_follow_status(locked, now)
        publish(RequestCancelled(
            request_id=locked.pk, number=locked.number, actor_id=actor.pk, reason=reason,
        ))
    return locked


def request_fulfil(*, actor: Any, request: ServiceRequest, note: str) -> ServiceRequest:
    """The desk marks a request fulfilled by hand: one whose item has no tasks, or whose
    tasks were all cancelled. Emits ``RequestFulfilled``. Errors: ``NotPermitted``,
    ``ValidationFailed`` (note), ``InvalidTransition``, ``BusinessRuleViolation`` (tasks
    still open).
    """
    require(permissions.can_work(actor, request), _("You may not work on this request."))
    note = str(note).strip()
    if not note:
        raise ValidationFailed(_("Say what was delivered."), field="note")
    with transaction.atomic():
        locked = lock(request)
        target_of(locked, "fulfil")
        if locked.tasks.filter(state__in=(TaskState.WAITING, *ACTIVE_TASK_STATES)).exists():
            raise BusinessRuleViolation(
                _("Some fulfilment tasks are not finished yet."), code="tasks_open"
            )
        request_mark_fulfilled(locked, actor=actor, at=timezone.now(), note=note)
    return locked


def request_close(*, actor: Any, request: ServiceRequest) -> ServiceRequest:
    """Close a fulfilled request (the requester confirms delivery, or the desk).
    Emits ``RequestClosed``. Errors: ``NotPermitted``, ``InvalidTransition``."""
    require(permissions.can_close(actor, request), _("You may not close this request."))
    with transaction.atomic():
        locked = lock(request)
        _close_locked(locked, actor=actor, at=timezone.now(), automatic=False)
    return locked


def _close_locked(locked: ServiceRequest, *, actor: Any, at: datetime, automatic: bool) -> None:
    before = before_of(locked)
    locked.status = target_of(locked, "close")
    locked.closed_at = at
    save_audited(locked, actor=actor, action="close", before=before, at=at,
                 extra={"automatic": automatic} if automatic else None)
    sla_follow_status(locked, at)
    publish(RequestClosed(request_id=locked.pk, number=locked.number,
                          actor_id=getattr(actor, "pk", None), automatic=automatic))


def request_auto_close_due(*, now: datetime | None = None) -> list[str]:
    """Close every request fulfilled longer ago than ``STEWARD_REQUEST_AUTO_CLOSE_DAYS``;
    return their numbers. Idempotent and safe with several workers: each request is
    re-checked under its lock in its own transaction. Emits ``RequestClosed`` (automatic).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.STEWARD_REQUEST_AUTO_CLOSE_DAYS)
    due = ServiceRequest.objects.filter(
        status=RequestStatus.FULFILLED, fulfilled_at__lte=cutoff
    ).order_by("pk").values_list("pk", flat=True)
    closed = []
    for request_id in list(due[:500]):
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update(no_key=True).filter(
                pk=request_id).first()
            if (
                locked is None
                or locked.status != RequestStatus.FULFILLED
                or locked.fulfilled_at is None
                or locked.fulfilled_at > cutoff
            ):
                continue
            _close_locked(locked, actor=None, at=now, automatic=True)
            closed.append(locked.number)
    return closed
