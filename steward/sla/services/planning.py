"""Clock arithmetic on stored clocks: elapsed business time, due times, milestones."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction

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
    from steward.sla.tasks import enqueue_milestone

    created = []
    for percent, level in thresholds_of(clock).items():
        if percent in fired:
            continue
        due = instant_after(clock, clock.target_seconds * percent // 100)
        if due is None:
            continue
        created.append(
            SlaMilestone(clock=clock, percent=percent, escalate_to=level, next_attempt_at=due)
        )
    for milestone in SlaMilestone.objects.bulk_create(created):
        if milestone.pk is None:  # backends without RETURNING on bulk insert
            milestone = SlaMilestone.objects.get(clock=clock, percent=milestone.percent)
        transaction.on_commit(partial(enqueue_milestone, milestone.pk, milestone.next_attempt_at))


def disarm(clock: SlaClock) -> None:
    """A paused or stopped clock has no pending milestones."""
    SlaMilestone.objects.filter(clock=clock).exclude(status=OutboxStatus.DONE).delete()
