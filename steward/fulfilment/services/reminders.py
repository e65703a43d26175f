"""Reminding pending approvers: one outbox row per approval, fired once when due."""

from __future__ import annotations

from django.db import transaction

from steward.core import outbox
from steward.core.events import emit_in_transaction
from steward.core.outbox import OutboxStatus
from steward.fulfilment.events import ApprovalReminded
from steward.fulfilment.models import ApprovalReminder, ApprovalState, RequestStatus


def reminder_fire(*, reminder_id: int) -> bool:
    """Send the reminder if the approval still waits; return whether it was sent now.

    Idempotent: a reminder already fired or claimed by another worker does nothing; one whose
    approval was decided meanwhile completes silently. The reminder notification is written
    in the transaction that marks the row done, so it is sent exactly once.
    """
    token = outbox.claim(ApprovalReminder, reminder_id)
    if token is None:
        return False
    with transaction.atomic():
        reminder = (
            ApprovalReminder.objects.select_for_update(no_key=True, of=("self",))
            .select_related("approval__request")
            .filter(pk=reminder_id, claim_token=token, status=OutboxStatus.PROCESSING)
            .first()
        )
        if reminder is None:
            return False
        approval = reminder.approval
        request = approval.request
        still_waiting = (
            approval.state == ApprovalState.PENDING
            and request.status == RequestStatus.AWAITING_APPROVAL
        )
        if still_waiting:
            emit_in_transaction(ApprovalReminded(
                request_id=request.pk, number=request.number, actor_id=None,
                approval_id=approval.pk, approver_id=approval.approver_id,
            ))
        outbox.complete(ApprovalReminder, reminder_id, token, fired_at=(
            reminder.next_attempt_at if still_waiting else None))
        return still_waiting
