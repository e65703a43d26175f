"""Re-planning open clocks after a calendar edit.

Elapsed business time is derived from the clock's history intersected with the calendar, so an
open clock is replayed from its events with the new calendar. Stopped clocks keep their frozen
result and the calendar version they were measured with.

Work is done in batches with bulk updates. Pending milestones get their new due time in place;
their scheduled jobs re-check the elapsed time when they run (and wait again if early), and the
outbox sweep fires any that became due earlier than scheduled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Prefetch

from steward.core.outbox import OutboxStatus
from steward.sla.models import BusinessCalendar, ClockState, SlaClock, SlaClockEvent, SlaMilestone
from steward.sla.models.clocks import OPEN_STATES
from steward.sla.services.planning import business_seconds, instant_after, thresholds_of

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


def _replan_batch(clocks: list[SlaClock], calendar: BusinessCalendar) -> None:
    ids = [clock.pk for clock in clocks]
    milestones: dict[tuple[int, int], SlaMilestone] = {
        (m.clock_id, m.percent): m for m in SlaMilestone.objects.filter(clock_id__in=ids)
    }
    changed_milestones: list[SlaMilestone] = []
    new_milestones: list[SlaMilestone] = []
    for clock in clocks:
        clock.calendar = calendar
        clock.calendar_version = calendar.version
        clock.elapsed_seconds = replay_elapsed(clock, clock.events.all())
        if clock.state != ClockState.RUNNING:
            continue
        clock.due_at = instant_after(clock, clock.target_seconds)
        for percent, level in thresholds_of(clock).items():
            existing = milestones.get((clock.pk, percent))
            if existing is not None and existing.status == OutboxStatus.DONE:
                continue
            due: dt.datetime | None = instant_after(clock, clock.target_seconds * percent // 100)
            if due is None:
                continue
            if existing is None:
                new_milestones.append(
                    SlaMilestone(
                        clock=clock, percent=percent, escalate_to=level, next_attempt_at=due
                    )
                )
            elif existing.status == OutboxStatus.PENDING and existing.next_attempt_at != due:
                existing.next_attempt_at = due
                changed_milestones.append(existing)
    at = connection.ops.adapt_datetimefield_value
    _update_many(
        SlaClock._meta.db_table,
        ("calendar_version", "elapsed_seconds", "due_at"),
        [(c.calendar_version, c.elapsed_seconds, at(c.due_at), c.pk) for c in clocks],
        ("integer", "integer", "timestamptz"),
    )
    _update_many(
        SlaMilestone._meta.db_table,
        ("next_attempt_at",),
        [(at(m.next_attempt_at), m.pk) for m in changed_milestones],
        ("timestamptz",),
    )
    SlaMilestone.objects.bulk_create(new_milestones)


def _update_many(
    table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]], types: tuple[str, ...]
) -> None:
    """Update rows by primary key; ``rows`` are ``(*values, id)``.

    PostgreSQL gets one ``UPDATE ... FROM (VALUES ...)`` per batch (``types`` cast the values);
    SQLite one prepared statement executed per row. Both are far faster than the CASE
    expressions of ``bulk_update`` on large batches.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [*columns, "id"]
            casts = [*types, "bigint"]
            values = ", ".join(
                "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")" for _row in rows
            )
            assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
            cursor.execute(
                f"UPDATE {quote(table)} AS t SET {assignments} FROM (VALUES {values}) "  # noqa: S608
                f"AS v({', '.join(quote(n) for n in names)}) WHERE t.id = v.id",
                [value for row in rows for value in row],
            )
            return
        assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
        cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def clocks_replan_calendar(*, calendar: BusinessCalendar, batch: int = 1000) -> int:
    """Recompute elapsed time, due time and milestones of every open clock on ``calendar``."""
    clocks = (
        SlaClock.objects.filter(calendar=calendar, state__in=OPEN_STATES)
        .select_related("agreement")
        .prefetch_related(Prefetch("events", queryset=SlaClockEvent.objects.order_by("at", "pk")))
        .order_by("pk")
    )
    count = 0
    chunk: list[SlaClock] = []
    for clock in clocks.iterator(chunk_size=batch):
        chunk.append(clock)
        if len(chunk) == batch:
            _replan_batch(chunk, calendar)
            count += len(chunk)
            chunk = []
    if chunk:
        _replan_batch(chunk, calendar)
        count += len(chunk)
    return count
