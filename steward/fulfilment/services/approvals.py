"""Approvals of service requests: who approves, opening the approvals, deciding one.

The item version's rule says who approves (``approval_kind``) and whether one approval is
enough or all are needed (``approval_mode``). Any rejection rejects the request: an approver
who says no is never outvoted. When the decision is made, the approvals still pending are
withdrawn. See docs/processes/fulfilment.md.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.catalogue.models import ApprovalKind, ApprovalMode
from steward.core.errors import BusinessRuleViolation, InvalidTransition, ValidationFailed
from steward.core.events import emit_in_transaction, publish
from steward.fulfilment import permissions
from steward.fulfilment.events import (
    ApprovalDecided,
    ApprovalRequested,
    RequestApproved,
    RequestRejected,
)
from steward.fulfilment.models import (
    Approval,
    ApprovalReminder,
    ApprovalState,
    ApproverRole,
    RequestStatus,
    ServiceRequest,
)
from steward.fulfilment.services.common import (
    before_of,
    lock,
    require,
    save_audited,
    sla_follow_status,
    target_of,
)
from steward.fulfilment.services.tasks import tasks_create, tasks_withdraw
from steward.identity.models import Person

DECISIONS = (ApprovalState.APPROVED, ApprovalState.REJECTED)


def _department_head(person: Person) -> Person | None:
    """The head of the person's department, or of the nearest parent whose head is not the
    person themself."""
    department = person.department
    while department is not None:
        head = department.head
        if head is not None and head.pk != person.pk and head.is_active:
            return head
        department = department.parent
    return None


def approvers_for(request: ServiceRequest) -> list[tuple[Person, str]]:
    """Who must approve ``request`` under its item version's rule (never the requester).

    Raises ``BusinessRuleViolation`` (code ``no_approver``) when the rule names nobody.
    """
    version = request.item_version
    kind = version.approval_kind
    requester = request.requester
    found: list[tuple[Person, str]] = []
    if kind == ApprovalKind.NONE:
        return []
    if kind == ApprovalKind.MANAGER:
        manager = requester.manager
        if manager is not None and manager.is_active and manager.pk != requester.pk:
            found = [(manager, ApproverRole.MANAGER)]
        elif (head := _department_head(requester)) is not None:
            found = [(head, ApproverRole.DEPARTMENT_HEAD)]
    elif kind == ApprovalKind.DEPARTMENT_HEAD:
        head = _department_head(requester)
        found = [(head, ApproverRole.DEPARTMENT_HEAD)] if head is not None else []
    elif kind == ApprovalKind.SERVICE_OWNER:
        owner = request.service.owner
        if owner.is_active and owner.pk != requester.pk:
            found = [(owner, ApproverRole.SERVICE_OWNER)]
    elif kind == ApprovalKind.GROUP and version.approval_team is not None:
        members = version.approval_team.members.filter(is_active=True).exclude(pk=requester.pk)
        found = [(m, ApproverRole.TEAM_MEMBER) for m in members.order_by("pk")]
    if not found:
        raise BusinessRuleViolation(
            _("Nobody can approve this request (%(rule)s). Ask the service desk.")
            % {"rule": version.get_approval_kind_display()},
            code="no_approver",
        )
    return found


def approvals_open(
    request: ServiceRequest, *, approvers: list[tuple[Person, str]], actor: Any, at: datetime
) -> list[Approval]:
    """Write the approvals with their reminders and move the request to awaiting approval
    (called inside ``request_submit``'s transaction)."""
    before = before_of(request)
    request.status = target_of(request, "request_approval")
    save_audited(request, actor=actor, action="request_approval", before=before, at=at,
                 extra={"approvers": [p.pk for p, _role in approvers]})
    sla_follow_status(request, at)
    remind_at = at + timedelta(hours=settings.STEWARD_APPROVAL_REMINDER_HOURS)
    approvals = []
    for person, role in approvers:
        approval = Approval.objects.create(
            request=request, approver=person, role=role, created_at=at,
            link_nonce=secrets.token_hex(8),
        )
        ApprovalReminder.objects.create(approval=approval, next_attempt_at=remind_at)
        emit_in_transaction(ApprovalRequested(
            request_id=request.pk, number=request.number, actor_id=getattr(actor, "pk", None),
            approval_id=approval.pk, approver_id=person.pk,
        ))
        approvals.append(approval)
    return approvals


def approval_decide(
    *, actor: Any, approval: Approval, decision: str, comment: str = "", via_link: bool = False
) -> Approval:
    """Approve or reject: the approver, or their delegate for today ("on behalf of").

    A rejection needs a comment (the requester is told why). The request is approved when
    its rule is met (one approval, or all) and its fulfilment tasks open; it is rejected by
    any rejection. Emits ``ApprovalDecided`` and ``RequestApproved`` or ``RequestRejected``.
    Errors: ``NotPermitted`` (not the approver nor their delegate), ``ValidationFailed``
    (decision, comment), ``InvalidTransition`` (already decided, request no longer awaiting
    approval).
    """
    if decision not in DECISIONS:
        raise ValidationFailed(_("Approve or reject."), field="decision")
    comment = str(comment).strip()
    if decision == ApprovalState.REJECTED and not comment:
        raise ValidationFailed(_("Say why you reject the request."), field="comment")
    require(permissions.can_decide(actor, approval), _("You are not an approver of this request."))
    with transaction.atomic():
        request = lock(approval.request)
        approval = Approval.objects.select_for_update(no_key=True).get(pk=approval.pk)
        if approval.state != ApprovalState.PENDING:
            raise InvalidTransition(
                _("This approval was already decided (%(state)s).")
                % {"state": approval.get_state_display()}, code="already_decided",
            )
        if request.status != RequestStatus.AWAITING_APPROVAL:
            raise InvalidTransition(
                _("%(number)s no longer awaits approval.") % {"number": request.number},
                code="not_awaiting_approval",
            )
        now = timezone.now()
        approval.state = decision
        approval.decided_by = actor
        approval.decided_at = now
        approval.comment = comment
        approval.via_link = via_link
        approval.link_nonce = ""
        approval.save(update_fields=["state", "decided_by", "decided_at", "comment", "via_link",
                                     "link_nonce"])
        audit_record(actor=actor, obj=request, action=f"approval_{decision}", changes={
            "approver": approval.approver_id, "on_behalf_of": (
                approval.approver_id if approval.on_behalf else None),
            "comment": comment, "via_link": via_link,
        })
        publish(ApprovalDecided(
            request_id=request.pk, number=request.number, actor_id=actor.pk,
            approval_id=approval.pk, decision=decision, on_behalf=approval.on_behalf,
        ))
        _settle(request, actor=actor, decision=decision, comment=comment, at=now)
    return approval


def _settle(
    request: ServiceRequest, *, actor: Any, decision: str, comment: str, at: datetime
) -> None:
    """Apply the approval rule after one decision."""
    pending = request.approvals.filter(state=ApprovalState.PENDING)
    if decision == ApprovalState.REJECTED:
        _withdraw(pending, at)
        before = before_of(request)
        request.status = target_of(request, "reject")
        request.closed_at = at
        request.outcome_note = comment
        save_audited(request, actor=actor, action="reject", before=before, at=at)
        sla_follow_status(request, at)
        tasks_withdraw(request, at=at)
        emit_in_transaction(RequestRejected(
            request_id=request.pk, number=request.number, actor_id=actor.pk, comment=comment,
        ))
        return
    if request.item_version.approval_mode == ApprovalMode.ALL and pending.exists():
        return
    _withdraw(pending, at)
    before = before_of(request)
    request.status = target_of(request, "approve")
    request.approved_at = at
    save_audited(request, actor=actor, action="approve", before=before, at=at)
    sla_follow_status(request, at)
    publish(RequestApproved(request_id=request.pk, number=request.number, actor_id=actor.pk))
    tasks_create(request, actor=actor, at=at)


def _withdraw(pending: Any, at: datetime) -> None:
    pending.update(state=ApprovalState.WITHDRAWN, decided_at=at, link_nonce="")


def approvals_withdraw(request: ServiceRequest, *, at: datetime) -> int:
    """Withdraw the pending approvals of a request that ends (cancelled)."""
    pending = request.approvals.filter(state=ApprovalState.PENDING)
    count: int = pending.count()
    _withdraw(pending, at)
    return count
