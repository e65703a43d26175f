"""SLA clocks: one per record × metric, with its state history and its milestones.

A clock's business time is derived from its events (start, pause, resume, stop ...) intersected
with its calendar. While it runs, ``due_at`` is when it reaches 100 %; ``elapsed_seconds`` is the
business time counted up to ``measured_at``. When it stops, the result is frozen: met or
breached, elapsed, and the agreement and calendar versions it was measured with.

Milestones (warning thresholds and the breach) are outbox rows: each fires exactly once, by
whichever worker claims it, also after a crash.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.outbox import OutboxItem


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (ClockState.RUNNING, ClockState.PAUSED)


class SlaClock(models.Model):
    """The measurement of one metric of one agreement on one record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_number = models.CharField(max_length=20, db_index=True)
    agreement = models.ForeignKey("sla.Agreement", on_delete=models.PROTECT, related_name="clocks")
    metric = models.ForeignKey(
        "sla.AgreementMetric", on_delete=models.PROTECT, related_name="clocks"
    )
    kind = models.CharField(max_length=16)
    priority = models.PositiveSmallIntegerField()
    target_seconds = models.PositiveIntegerField()
    calendar = models.ForeignKey(
        "sla.BusinessCalendar", on_delete=models.PROTECT, related_name="clocks"
    )
    calendar_version = models.PositiveIntegerField()
    agreement_version = models.PositiveIntegerField()
    state = models.CharField(
        max_length=10, choices=ClockState.choices, default=ClockState.RUNNING, db_index=True
    )
    started_at = models.DateTimeField()
    measured_at = models.DateTimeField(help_text="elapsed_seconds counts business time up to here")
    elapsed_seconds = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Empty while paused, or while the calendar lacks the year the due time falls in.",
    )
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    excluded = models.BooleanField(default=False, help_text="Excluded by an approved exception.")

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="clock_record_idx"),
            models.Index(fields=["state", "due_at"], name="clock_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "metric"],
                condition=models.Q(state__in=["running", "paused"]),
                name="one_open_clock_per_metric",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_number} {self.kind} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class SlaClockEvent(models.Model):
    """One step of a clock's history: what happened, when, and the elapsed time at that point."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16)  # start, pause, resume, stop, cancel, priority, replan
    at = models.DateTimeField()
    elapsed_seconds = models.PositiveIntegerField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["clock", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class SlaMilestone(OutboxItem):
    """A warning threshold or the breach of a clock, due at ``next_attempt_at``. Fires once."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="milestones")
    percent = models.PositiveSmallIntegerField()
    escalate_to = models.CharField(max_length=16, blank=True)
    fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["clock", "percent"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "percent"], name="one_milestone_per_percent")
        ]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.percent}%"
