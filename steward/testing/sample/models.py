"""Test-only models: a minimal work item, and an outbox row with a record of its effects."""

from django.db import models
from django.utils import timezone

from steward.core.outbox import OutboxItem
from steward.workitems.models import WorkItem


class Memo(WorkItem):
    """A test-only record with nothing but the shared work-item fields."""


class SampleJob(OutboxItem):
    """A test-only outbox row: one unit of work for the worker tests to run, kill and duplicate.

    ``work_seconds`` makes the job slow, so a test can catch it in flight.
    """

    payload = models.TextField(blank=True, default="")
    work_seconds = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"sample job {self.pk} ({self.status})"


class SampleEffect(models.Model):
    """One time a ``SampleJob``'s work took effect, committed together with its completion."""

    job = models.ForeignKey(SampleJob, on_delete=models.CASCADE, related_name="effects")
    worker_pid = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"effect of sample job {self.job_id} by pid {self.worker_pid}"
