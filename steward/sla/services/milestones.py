"""Firing warnings and breaches: exactly once, by whichever worker claims the milestone."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from steward.core import outbox
from steward.core.events import emit_in_transaction
from steward.core.outbox import OutboxStatus
from steward.sla.events import SlaThresholdReached
from steward.sla.models import ClockState, SlaClock, SlaClockEvent, SlaMilestone
from steward.sla.services.planning import elapsed_at, enqueue_next_milestone, instant_after


def milestone_fire(*, milestone_id: int, now: datetime | None = None) -> bool:
    """Fire milestone ``milestone_id`` if it is due; return whether it fired now.

    Idempotent: a milestone already fired, re-planned away (deleted) or claimed by another
    worker does nothing. The escalation (``SlaThresholdReached``) is emitted inside the same
    transaction that marks the milestone done, so its notifications are written exactly once.
    """
    token = outbox.claim(SlaMilestone, milestone_id)
    if token is None:
        return False
    now = now or timezone.now()
    with transaction.atomic():
        clock_id = _lock_record(milestone_id)
        if clock_id is None:
            return False
        # The clock before its milestone, as re-planning takes them (clocks, then milestones).
        clock = (
            SlaClock.objects.select_for_update(of=("self",))
            .select_related("agreement", "calendar", "metric")
            .get(pk=clock_id)
        )
        milestone = (
            SlaMilestone.objects.select_for_update()
            .filter(pk=milestone_id, claim_token=token, status=OutboxStatus.PROCESSING)
            .first()
        )
        if milestone is None:
            return False
        if clock.state != ClockState.RUNNING:
            outbox.complete(SlaMilestone, milestone_id, token)
            return False
        threshold = clock.target_seconds * milestone.percent // 100
        if elapsed_at(clock, now) < threshold:
            # Not yet reached (the plan changed since it was scheduled): wait for the new time.
            due = instant_after(clock, threshold)
            SlaMilestone.objects.filter(pk=milestone_id, claim_token=token).update(
                status=OutboxStatus.PENDING,
                claim_token=None,
                lease_until=None,
                next_attempt_at=due or now,
            )
            enqueue_next_milestone(clock.pk)
            return False
        reached_at = instant_after(clock, threshold) or milestone.next_attempt_at
        outbox.complete(SlaMilestone, milestone_id, token, fired_at=now)
        SlaClockEvent.objects.create(
            clock=clock,
            kind="breach" if milestone.percent >= 100 else "warning",
            at=reached_at,
            elapsed_seconds=threshold,
            detail={"percent": milestone.percent, "escalate_to": milestone.escalate_to},
        )
        if milestone.percent >= 100 and clock.breached_at is None:
            SlaClock.objects.filter(pk=clock.pk).update(breached_at=reached_at)
        emit_in_transaction(
            SlaThresholdReached(
                clock_id=clock.pk,
                record_number=clock.record_number,
                percent=milestone.percent,
                escalate_to=milestone.escalate_to,
                due_at=reached_at,
            )
        )
        enqueue_next_milestone(clock.pk)
        return True


def _lock_record(milestone_id: int) -> int | None:
    """Lock the clock's record before the clock and the milestone, in the order the ticket
    services take them (record, then its clocks and milestones); return the clock's id (None:
    the milestone is gone). Subscribers of the event may write to the record (an incident's
    SLA escalation locks it); taking the record first makes a firing wait for a ticket action
    on the same record instead of deadlocking with it."""
    ref = (
        SlaMilestone.objects.filter(pk=milestone_id)
        .values_list("clock_id", "clock__content_type_id", "clock__object_id")
        .first()
    )
    if ref is None:
        return None
    clock_id, content_type_id, object_id = ref
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return int(clock_id)
    list(
        model._base_manager.select_for_update(no_key=True)
        .filter(pk=object_id)
        .values_list("pk", flat=True)
    )
    return int(clock_id)
