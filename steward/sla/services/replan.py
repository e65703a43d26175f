"""Re-planning running clocks after a calendar edit.

Elapsed business time is derived from the clock's history intersected with the calendar, so a
running or paused clock is replayed from its events with the new calendar. Stopped clocks keep
their frozen result and the calendar version they were measured with.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from steward.sla.models import BusinessCalendar, ClockState, SlaClock, SlaClockEvent
from steward.sla.models.clocks import OPEN_STATES
from steward.sla.services.planning import business_seconds, disarm, plan

RUNNING_AFTER = {"start", "resume", "reopen"}
PAUSED_AFTER = {"pause"}


def replay_elapsed(clock: SlaClock, events: Iterable[SlaClockEvent]) -> int:
    """Business seconds counted from the events up to the clock's ``measured_at``."""
    elapsed = 0
    running_since = None
    for event in events:
        if event.kind == "priority" and event.detail.get("policy") == "from_change":
            if running_since is not None:
                running_since = event.at
            elapsed = 0
            continue
        if event.kind in RUNNING_AFTER and running_since is None:
            running_since = event.at
        elif event.kind in PAUSED_AFTER | {"stop", "cancel"} and running_since is not None:
            elapsed += business_seconds(clock, running_since, event.at)
            running_since = None
    if running_since is not None:
        elapsed += business_seconds(clock, running_since, clock.measured_at)
    return elapsed


def clocks_replan_calendar(*, calendar: BusinessCalendar, batch: int = 1000) -> int:
    """Recompute elapsed time, due time and milestones of every open clock on ``calendar``."""
    clocks = (
        SlaClock.objects.filter(calendar=calendar, state__in=OPEN_STATES)
        .select_related("agreement", "calendar")
        .prefetch_related(Prefetch("events", queryset=SlaClockEvent.objects.order_by("at", "pk")))
        .order_by("pk")
    )
    count = 0
    for clock in clocks.iterator(chunk_size=batch):
        clock.calendar = calendar
        clock.calendar_version = calendar.version
        clock.elapsed_seconds = replay_elapsed(clock, clock.events.all())
        if clock.state == ClockState.RUNNING:
            plan(clock)
        else:
            clock.save(update_fields=["elapsed_seconds", "calendar_version"])
            disarm(clock)
        count += 1
    return count
