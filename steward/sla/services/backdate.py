"""Clocks as if they had run from the start: a record moved to another service.

When a ticket is reclassified to another service, the old agreements no longer apply and the
new ones should have applied from the beginning: ``clocks_cancel`` cancels the open clocks
(with a reason), ``clocks_attach_as_of`` starts the new service's clocks at the record's open
time and replays its state history through each metric's conditions (holds pause, a first
response or a resolution stops), so elapsed business time is what it would have been.

Milestones already past at replay time do not fire a flood: of the thresholds a running clock
has already crossed, only the highest fires (once, now); the lower ones are recorded as done
without firing. See steward/sla/README.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from steward.core.outbox import OutboxStatus
from steward.sla.models import AgreementMetric, ClockState, SlaClock, SlaMilestone
from steward.sla.services.clocks import _event, _open_clocks, _pause, _stop, new_clock
from steward.sla.services.matching import metrics_for
from steward.sla.services.planning import elapsed_at, plan

RECLASSIFIED = "reclassified"
"""The cancel reason (and the event's state) of clocks ended by a reclassification."""


class Step(NamedTuple):
    """One past state of a record; ``reopen``: it was reopened into it (``clocks_on_reopen``)."""

    at: datetime
    state: str
    reopen: bool = False


def clocks_cancel(*, record: Any, reason: str, at: datetime | None = None) -> list[SlaClock]:
    """Cancel every open clock of ``record``; ``reason`` is recorded on the cancel events."""
    at = at or timezone.now()
    with transaction.atomic():
        clocks = _open_clocks(record)
        for clock in clocks:
            _stop(clock, at, reason, cancel=True)
        return clocks


def clocks_attach_as_of(
    *,
    record: Any,
    service: Any,
    priority: int,
    history: Sequence[Step],
    department: Any = None,
    site: Any = None,
    team: Any = None,
    at: datetime | None = None,
) -> list[SlaClock]:
    """Start the clocks of ``service``'s agreements as of the past and replay ``history``.

    ``history`` is the record's states in time order (``Step``), the first being its state
    when it was opened (agreements are matched on that day). Each metric's clock starts at the
    first state among its start states, then pauses, resumes, stops or is cancelled by the
    later states exactly as ``clocks_on_state_change`` would have done (a stopped clock
    continues on a reopen step within the agreement's reopen window). A clock still
    running is planned from ``at`` (default now) with its milestones (see the module).
    Metrics with an open clock on the record are skipped.
    """
    at = at or timezone.now()
    if not history:
        return []
    opened = history[0].at
    with transaction.atomic():
        running = {c.metric_id for c in _open_clocks(record)}
        started = []
        for metric in metrics_for(
            service=service, department=department, site=site, team=team,
            on=timezone.localdate(opened),
        ):
            if metric.pk in running:
                continue
            clock = _replay(record, metric, priority, history, at)
            if clock is not None:
                started.append(clock)
        return started


def _replay(
    record: Any,
    metric: AgreementMetric,
    priority: int,
    history: Sequence[Step],
    now: datetime,
) -> SlaClock | None:
    minutes = metric.target_minutes(priority)
    if minutes is None:
        return None
    steps = [step for step in history if step.at <= now]
    first = next((i for i, step in enumerate(steps) if step.state in metric.start_states), None)
    if first is None:
        return None
    start = steps[first].at
    clock = new_clock(record=record, metric=metric, priority=priority, minutes=minutes, at=start)
    clock.save(force_insert=True)
    _event(clock, "start", start, priority=priority, target_minutes=minutes, as_of=True)
    for step in steps[first + 1:]:
        _apply(clock, metric, step)
    if clock.state == ClockState.RUNNING:
        _plan_quietly(clock, now)
    return clock


def _apply(clock: SlaClock, metric: AgreementMetric, step: Step) -> None:
    """One past state change, as ``clocks_on_state_change`` (and ``clocks_on_reopen``) do it,
    without planning milestones in between."""
    when, state = step.at, step.state
    if clock.state in (ClockState.MET, ClockState.BREACHED):
        window = timedelta(days=clock.agreement.reopen_window_days)
        reopens = step.reopen and (
            state in metric.start_states or state not in metric.stop_states
        )
        if reopens and clock.stopped_at is not None and when - clock.stopped_at <= window:
            clock.stopped_at = None
            _continue(clock, when, state, kind="reopen")
        return
    if clock.state == ClockState.CANCELLED:
        return
    if state in metric.cancel_states:
        _stop(clock, when, state, cancel=True)
    elif state in metric.stop_states:
        _stop(clock, when, state, cancel=False)
    elif state in metric.pause_states:
        if clock.state == ClockState.RUNNING:
            _pause(clock, when, state)
    elif clock.state == ClockState.PAUSED:
        _continue(clock, when, state, kind="resume")


def _continue(clock: SlaClock, when: datetime, state: str, *, kind: str) -> None:
    clock.measured_at = when
    clock.state = ClockState.RUNNING
    clock.save(update_fields=["measured_at", "state", "stopped_at"])
    _event(clock, kind, when, state=state)


def _plan_quietly(clock: SlaClock, now: datetime) -> None:
    """Plan a replayed running clock; of the milestones already due, fire only the highest."""
    plan(clock)
    reached = elapsed_at(clock, now)
    passed = list(
        SlaMilestone.objects.filter(clock=clock, status=OutboxStatus.PENDING)
        .order_by("percent")
        .values_list("pk", "percent")
    )
    crossed = [pk for pk, percent in passed if clock.target_seconds * percent // 100 <= reached]
    if len(crossed) > 1:
        SlaMilestone.objects.filter(pk__in=crossed[:-1]).update(
            status=OutboxStatus.DONE, processed_at=now
        )

