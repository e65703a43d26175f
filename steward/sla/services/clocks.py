"""The SLA clock engine: ticket services call these in their own transaction.

- ``clocks_attach``: a record was created (or reached a start state): start the clocks of the
  matching agreements.
- ``clocks_on_state_change``: pause, resume, stop or cancel clocks by the metric's conditions.
- ``clocks_on_priority_change``: apply the agreement's priority-change policy.
- ``clocks_on_reopen``: continue within the reopen window (the closed interval counts as paused),
  otherwise start new clocks.
See steward/sla/README.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from steward.sla.models import (
    AgreementMetric,
    ClockState,
    PriorityChangePolicy,
    SlaClock,
    SlaClockEvent,
)
from steward.sla.models.clocks import OPEN_STATES
from steward.sla.services.exceptions import is_excused
from steward.sla.services.matching import metrics_for
from steward.sla.services.planning import arm_many, disarm, elapsed_at, instant_after, plan


def _event(clock: SlaClock, kind: str, at: datetime, **detail: Any) -> None:
    SlaClockEvent.objects.create(
        clock=clock, kind=kind, at=at, elapsed_seconds=clock.elapsed_seconds, detail=detail
    )


def _open_clocks(record: models.Model) -> list[SlaClock]:
    content_type = ContentType.objects.get_for_model(record)
    return list(
        SlaClock.objects.select_for_update()
        .filter(content_type=content_type, object_id=record.pk, state__in=OPEN_STATES)
        .select_related("metric", "agreement", "calendar")
    )


def new_clock(
    *, record: Any, metric: AgreementMetric, priority: int, minutes: int, at: datetime
) -> SlaClock:
    """An unsaved running clock of ``metric`` on ``record``, started (and measured) at ``at``,
    with the calendar and agreement versions it is measured with."""
    return SlaClock(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        record_number=record.number,
        agreement=metric.agreement,
        metric=metric,
        kind=metric.kind,
        priority=priority,
        target_seconds=minutes * 60,
        calendar=metric.calendar,
        calendar_version=metric.calendar.version,
        agreement_version=metric.agreement.version,
        state=ClockState.RUNNING,
        started_at=at,
        measured_at=at,
        elapsed_seconds=0,
    )


def clock_start(
    *, record: Any, metric: AgreementMetric, priority: int, at: datetime
) -> SlaClock | None:
    """Start a clock for ``metric`` on ``record`` (None if the metric has no target for it)."""
    started = clocks_start(record=record, metrics=[metric], priority=priority, at=at)
    return started[0] if started else None


def clocks_start(
    *, record: Any, metrics: list[AgreementMetric], priority: int, at: datetime
) -> list[SlaClock]:
    """Start a clock per metric with a target for ``priority``: the clocks, their start events
    and their milestones are written with one insert each."""
    clocks = []
    for metric in metrics:
        minutes = metric.target_minutes(priority)
        if minutes is None:
            continue
        clock = new_clock(record=record, metric=metric, priority=priority, minutes=minutes, at=at)
        clock.due_at = instant_after(clock, clock.target_seconds)
        clocks.append(clock)
    if not clocks:
        return []
    if connection.features.can_return_rows_from_bulk_insert:
        SlaClock.objects.bulk_create(clocks)
    else:  # pragma: no cover - every supported backend returns the new ids
        for clock in clocks:
            clock.save(force_insert=True)
    SlaClockEvent.objects.bulk_create(
        SlaClockEvent(
            clock=clock,
            kind="start",
            at=at,
            elapsed_seconds=0,
            detail={"priority": priority, "target_minutes": clock.target_seconds // 60},
        )
        for clock in clocks
    )
    arm_many(clocks)
    return clocks


def clocks_matching(
    *,
    service: Any,
    state: str,
    department: Any = None,
    site: Any = None,
    team: Any = None,
    at: datetime,
) -> list[AgreementMetric]:
    """The metrics of the matching agreements whose start condition ``state`` meets: the
    clocks a new record in that state starts (reads only, so a creating service can match
    before it takes its serialised number; ``clocks_start`` then writes them)."""
    return [
        metric
        for metric in metrics_for(
            service=service,
            department=department,
            site=site,
            team=team,
            on=timezone.localdate(at),
        )
        if state in metric.start_states
    ]


def clocks_attach(
    *,
    record: Any,
    service: Any,
    state: str,
    priority: int,
    department: Any = None,
    site: Any = None,
    team: Any = None,
    at: datetime | None = None,
    new_record: bool = False,
) -> list[SlaClock]:
    """Start the clocks whose start condition the record's state meets and that are not open.

    ``new_record``: the record was created in this transaction, so it has no clocks yet and
    they are not looked up.
    """
    at = at or timezone.now()
    with transaction.atomic(savepoint=False):
        running = set() if new_record else {c.metric_id for c in _open_clocks(record)}
        metrics = [
            metric
            for metric in clocks_matching(
                service=service, state=state, department=department, site=site, team=team, at=at
            )
            if metric.pk not in running
        ]
        return clocks_start(record=record, metrics=metrics, priority=priority, at=at)


def _pause(clock: SlaClock, at: datetime, state: str) -> None:
    clock.elapsed_seconds = elapsed_at(clock, at)
    clock.measured_at = at
    clock.state = ClockState.PAUSED
    clock.due_at = None
    clock.save(update_fields=["elapsed_seconds", "measured_at", "state", "due_at"])
    disarm(clock)
    _event(clock, "pause", at, state=state)


def _resume(clock: SlaClock, at: datetime, state: str, kind: str = "resume") -> None:
    clock.measured_at = at
    clock.state = ClockState.RUNNING
    _event(clock, kind, at, state=state)
    plan(clock)


def _stop(clock: SlaClock, at: datetime, state: str, *, cancel: bool) -> None:
    clock.elapsed_seconds = elapsed_at(clock, at)
    clock.measured_at = at
    clock.stopped_at = at
    if cancel:
        clock.state = ClockState.CANCELLED
    elif clock.elapsed_seconds > clock.target_seconds:
        clock.state = ClockState.BREACHED
    else:
        clock.state = ClockState.MET
    clock.excluded = is_excused(clock)
    clock.save(update_fields=["elapsed_seconds", "measured_at", "stopped_at", "state", "excluded"])
    disarm(clock)
    _event(clock, "cancel" if cancel else "stop", at, state=state, result=clock.state)


def clocks_on_state_change(
    *, record: Any, state: str, at: datetime | None = None, **attach: Any
) -> list[SlaClock]:
    """Apply each open clock's conditions to the record's new ``state``; start new clocks
    whose start condition it meets (``attach`` carries service, priority, ... for that)."""
    at = at or timezone.now()
    with transaction.atomic():
        clocks = _open_clocks(record)
        for clock in clocks:
            metric = clock.metric
            if state in metric.cancel_states:
                _stop(clock, at, state, cancel=True)
            elif state in metric.stop_states:
                _stop(clock, at, state, cancel=False)
            elif state in metric.pause_states:
                if clock.state == ClockState.RUNNING:
                    _pause(clock, at, state)
            elif clock.state == ClockState.PAUSED:
                _resume(clock, at, state)
        if attach:
            clocks_attach(record=record, state=state, at=at, **attach)
        return clocks


def clocks_on_priority_change(
    *, record: Any, priority: int, at: datetime | None = None
) -> list[SlaClock]:
    """Apply each clock's agreement policy to a new priority (see ``PriorityChangePolicy``)."""
    at = at or timezone.now()
    with transaction.atomic():
        clocks = _open_clocks(record)
        for clock in clocks:
            minutes = clock.metric.target_minutes(priority)
            if minutes is None or priority == clock.priority:
                continue
            policy = clock.agreement.priority_change_policy
            old = {"priority": clock.priority, "target_minutes": clock.target_seconds // 60}
            if policy == PriorityChangePolicy.RESTART:
                _stop(clock, at, "priority_changed", cancel=True)
                clock_start(record=record, metric=clock.metric, priority=priority, at=at)
                continue
            clock.elapsed_seconds = elapsed_at(clock, at)
            clock.measured_at = at
            if policy == PriorityChangePolicy.FROM_CHANGE:
                # The new target counts from now: what was used so far is kept as history only.
                clock.elapsed_seconds = 0
            clock.priority = priority
            clock.target_seconds = minutes * 60
            _event(
                clock,
                "priority",
                at,
                policy=policy,
                before=old,
                after={"priority": priority, "target_minutes": minutes},
            )
            if clock.state == ClockState.RUNNING:
                plan(clock)
            else:
                clock.save(
                    update_fields=["elapsed_seconds", "measured_at", "priority", "target_seconds"]
                )
        return clocks


def clocks_on_reopen(
    *, record: Any, state: str, at: datetime | None = None, **attach: Any
) -> list[SlaClock]:
    """A resolved record was reopened: continue recent clocks, or start new ones."""
    at = at or timezone.now()
    with transaction.atomic():
        content_type = ContentType.objects.get_for_model(record)
        stopped = (
            SlaClock.objects.select_for_update()
            .filter(
                content_type=content_type,
                object_id=record.pk,
                state__in=[ClockState.MET, ClockState.BREACHED],
            )
            .select_related("metric", "agreement", "calendar")
        )
        continued = []
        for clock in stopped:
            if state not in clock.metric.start_states and state in clock.metric.stop_states:
                continue
            if SlaClock.objects.filter(
                content_type=content_type,
                object_id=record.pk,
                metric=clock.metric,
                state__in=OPEN_STATES,
            ).exists():
                continue
            window = timedelta(days=clock.agreement.reopen_window_days)
            if clock.stopped_at is not None and at - clock.stopped_at <= window:
                clock.stopped_at = None
                _resume(clock, at, state, kind="reopen")
                continued.append(clock)
        if attach:
            clocks_attach(record=record, state=state, at=at, **attach)
        return continued
