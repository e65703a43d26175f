"""Clock arithmetic on stored clocks: elapsed business time, due times, milestones."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, transaction

from steward.core.outbox import OutboxStatus
from steward.sla.compile import compiled
from steward.sla.models import ClockState, SlaClock, SlaMilestone
from steward.sla.timemath import CalendarNotCovered

logger = logging.getLogger(__name__)


def business_seconds(clock: SlaClock, start: datetime, end: datetime) -> int:
    if end <= start:
        return 0
    return int(compiled(clock.calendar).between(start, end).total_seconds())


def elapsed_at(clock: SlaClock, at: datetime) -> int:
    """Business seconds the clock has counted up to ``at`` (running time only)."""
    if clock.state != ClockState.RUNNING:
        return clock.elapsed_seconds
    return clock.elapsed_seconds + business_seconds(clock, clock.measured_at, at)


def instant_after(clock: SlaClock, seconds: int) -> datetime | None:
    """When a running clock will have counted ``seconds`` in total (None: calendar lacks a year)."""
    remaining = seconds - clock.elapsed_seconds
    if remaining <= 0:
        return clock.measured_at
    try:
        return compiled(clock.calendar).add(clock.measured_at, timedelta(seconds=remaining))
    except CalendarNotCovered as exc:
        logger.warning("SLA clock %s cannot be planned: %s", clock.pk, exc)
        return None


def thresholds_of(clock: SlaClock) -> dict[int, str]:
    """Percent → escalation level, always including the breach (100)."""
    agreement = clock.agreement
    levels = {
        int(p): str(agreement.escalation.get(str(p), "")) for p in agreement.warning_thresholds
    }
    levels[100] = str(agreement.escalation.get("100", "service_owner"))
    return dict(sorted(levels.items()))


def plan(clock: SlaClock) -> None:
    """Set the due time of a running clock and (re)create its pending milestones.

    Fired milestones stay as they are, so a threshold never fires twice, whatever re-plans.
    """
    clock.due_at = instant_after(clock, clock.target_seconds)
    clock.save(
        update_fields=[
            "due_at",
            "state",
            "measured_at",
            "elapsed_seconds",
            "stopped_at",
            "target_seconds",
            "priority",
            "calendar_version",
        ]
    )
    SlaMilestone.objects.filter(clock=clock).exclude(status=OutboxStatus.DONE).delete()
    fired = set(SlaMilestone.objects.filter(clock=clock).values_list("percent", flat=True))
    arm(clock, fired=fired)


def arm(clock: SlaClock, *, fired: set[int] | frozenset[int] = frozenset()) -> None:
    """Create the pending milestones of a running clock (its due time already set), except
    the thresholds in ``fired``. A clock just started has none yet, so it is armed without
    the re-planning queries (``clock_start``)."""
    arm_many([clock], fired={clock.pk: fired})


def arm_many(
    clocks: list[SlaClock], *, fired: dict[Any, set[int] | frozenset[int]] | None = None
) -> None:
    """``arm`` for several clocks in one insert. Only each clock's earliest milestone is put
    on the job queue: firing one enqueues the clock's next (``enqueue_next_milestone``), and
    the outbox sweep finds any whose enqueue was lost, so a crash loses nothing."""
    created = []
    for clock in clocks:
        skip = (fired or {}).get(clock.pk, frozenset())
        for percent, level in thresholds_of(clock).items():
            if percent in skip:
                continue
            due = instant_after(clock, clock.target_seconds * percent // 100)
            if due is None:
                continue
            created.append(
                SlaMilestone(clock=clock, percent=percent, escalate_to=level, next_attempt_at=due)
            )
    if not created:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        SlaMilestone.objects.bulk_create(created)
    else:  # pragma: no cover - every supported backend returns the new ids
        for milestone in created:
            milestone.save(force_insert=True)
    earliest: dict[int, SlaMilestone] = {}
    for milestone in created:
        first = earliest.get(milestone.clock_id)
        if first is None or milestone.next_attempt_at < first.next_attempt_at:
            earliest[milestone.clock_id] = milestone
    for milestone in earliest.values():
        _enqueue_on_commit(milestone.pk, milestone.next_attempt_at)


def _enqueue_on_commit(milestone_id: int, eta: datetime | None) -> None:
    from steward.sla.tasks import enqueue_milestone

    transaction.on_commit(partial(enqueue_milestone, milestone_id, eta))


def enqueue_next_milestone(clock_id: int) -> None:
    """After one of the clock's milestones fired (or was put back), put its next pending
    milestone on the job queue when the transaction commits."""
    following = (
        SlaMilestone.objects.filter(clock_id=clock_id, status=OutboxStatus.PENDING)
        .order_by("next_attempt_at", "percent")
        .values_list("pk", "next_attempt_at")
        .first()
    )
    if following is not None:
        _enqueue_on_commit(*following)


def disarm(clock: SlaClock) -> None:
    """A paused or stopped clock has no pending milestones."""
    SlaMilestone.objects.filter(clock=clock).exclude(status=OutboxStatus.DONE).delete()
