"""SLA clocks of the demo history, computed in memory exactly as the SLA engine would have
run them (``steward.sla.services.clocks``), so the history can be written in bulk.

A ``ClockRun`` follows the record's status changes with the metric's start, pause, stop and
cancel conditions; business time comes from the same compiled calendars the engine uses.
Stopped clocks that crossed their target carry the breach the milestone job would have
recorded (``breached_at`` and a "breach" event); running clocks are left for the engine to
plan (``steward.sla.services.planning.plan``) once written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType

from steward.sla.compile import compiled
from steward.sla.models import AgreementMetric, ClockState, SlaClock, SlaClockEvent
from steward.sla.services.planning import plan as clock_plan

RESPONDED = "responded"  # the first-response signal of steward.incidents.services.common


@dataclass
class ClockRun:
    """One clock (record × metric) as it ran."""

    metric: AgreementMetric
    priority: int
    target_seconds: int
    started_at: datetime
    state: str = ClockState.RUNNING
    elapsed: int = 0
    measured_at: datetime = field(init=False)
    stopped_at: datetime | None = None
    breached_at: datetime | None = None
    events: list[tuple[str, datetime, int, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.measured_at = self.started_at
        self.events.append(
            (
                "start",
                self.started_at,
                0,
                {"priority": self.priority, "target_minutes": self.target_seconds // 60},
            )
        )

    @property
    def is_open(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.PAUSED)

    def _business(self, start: datetime, end: datetime) -> int:
        if end <= start:
            return 0
        return int(compiled(self.metric.calendar).between(start, end).total_seconds())

    def _advance(self, at: datetime) -> None:
        """Count running time up to ``at``; note the breach if the target is crossed."""
        if self.state != ClockState.RUNNING:
            return
        before = self.elapsed
        self.elapsed = before + self._business(self.measured_at, at)
        if before <= self.target_seconds < self.elapsed and self.breached_at is None:
            reached = compiled(self.metric.calendar).add(
                self.measured_at, timedelta(seconds=self.target_seconds - before)
            )
            self.breached_at = reached
            self.events.append(
                ("breach", reached, self.target_seconds, {"percent": 100, "escalate_to": ""})
            )
        self.measured_at = at

    def on_state(self, state: str, at: datetime) -> None:
        """``clocks_on_state_change`` for this clock."""
        if not self.is_open:
            return
        metric = self.metric
        if state in metric.cancel_states:
            self._stop(at, state, cancel=True)
        elif state in metric.stop_states:
            self._stop(at, state, cancel=False)
        elif state in metric.pause_states:
            if self.state == ClockState.RUNNING:
                self._advance(at)
                self.state = ClockState.PAUSED
                self.events.append(("pause", at, self.elapsed, {"state": state}))
        elif self.state == ClockState.PAUSED:
            self.measured_at = at
            self.state = ClockState.RUNNING
            self.events.append(("resume", at, self.elapsed, {"state": state}))

    def _stop(self, at: datetime, state: str, *, cancel: bool) -> None:
        self._advance(at)
        self.measured_at = at
        self.stopped_at = at
        if cancel:
            self.state = ClockState.CANCELLED
        elif self.elapsed > self.target_seconds:
            self.state = ClockState.BREACHED
        else:
            self.state = ClockState.MET
        kind = "cancel" if cancel else "stop"
        self.events.append((kind, at, self.elapsed, {"state": state, "result": self.state}))

    def on_reopen(self, state: str, at: datetime) -> None:
        """``clocks_on_reopen`` for this clock: continue within the agreement's window."""
        if self.state not in (ClockState.MET, ClockState.BREACHED):
            return
        metric = self.metric
        if state not in metric.start_states and state in metric.stop_states:
            return
        window = timedelta(days=metric.agreement.reopen_window_days)
        if self.stopped_at is not None and at - self.stopped_at <= window:
            self.stopped_at = None
            self.measured_at = at
            self.state = ClockState.RUNNING
            self.events.append(("reopen", at, self.elapsed, {"state": state}))


def clocks_start(
    metrics: list[AgreementMetric], *, priority: int, state: str, at: datetime
) -> list[ClockRun]:
    """``clocks_attach`` for a new record: one run per metric with a target for ``priority``."""
    runs = []
    for metric in metrics:
        if state not in metric.start_states:
            continue
        minutes = metric.target_minutes(priority)
        if minutes is None:
            continue
        runs.append(
            ClockRun(metric=metric, priority=priority, target_seconds=minutes * 60, started_at=at)
        )
    return runs


def clocks_write(records: list[tuple[Any, list[ClockRun]]], *, batch: int = 2000) -> None:
    """Write the clocks of saved records (any registered record type) and their events; let
    the engine plan the ones still running (due time and milestones)."""
    pairs = []
    for record, runs in records:
        content_type = ContentType.objects.get_for_model(type(record))
        for run in runs:
            metric = run.metric
            clock = SlaClock(
                content_type=content_type, object_id=record.pk,
                record_number=record.number, agreement_id=metric.agreement_id, metric=metric,
                kind=metric.kind, priority=run.priority, target_seconds=run.target_seconds,
                calendar_id=metric.calendar_id, calendar_version=metric.calendar.version,
                agreement_version=metric.agreement.version, state=run.state,
                started_at=run.started_at, measured_at=run.measured_at, elapsed_seconds=run.elapsed,
                breached_at=run.breached_at, stopped_at=run.stopped_at,
            )  # fmt: skip
            pairs.append((clock, run))
    SlaClock.objects.bulk_create([c for c, _ in pairs], batch_size=batch)
    events = [
        SlaClockEvent(clock=clock, kind=kind, at=at, elapsed_seconds=elapsed, detail=detail)
        for clock, run in pairs
        for kind, at, elapsed, detail in sorted(run.events, key=lambda e: e[1])
    ]
    SlaClockEvent.objects.bulk_create(events, batch_size=batch)
    running = [c.pk for c, run in pairs if run.state == ClockState.RUNNING]
    for clock in SlaClock.objects.filter(pk__in=running).select_related(
        "agreement", "calendar", "metric"
    ):
        clock_plan(clock)
