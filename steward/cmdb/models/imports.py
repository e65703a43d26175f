"""Bulk import jobs: one uploaded file, its column mapping, its progress and its row results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    REJECTED = "rejected", _("Rejected")


class ImportJob(TimeStampedModel):
    """A bulk import of CIs from a CSV or XLSX file.

    ``mapping`` maps file columns to CI fields (``name``, ``ci_class``, ``site``,
    ``attributes.<key>``, ...); ``match_on`` is the identification rule, the fields whose
    values find the CI a row updates (e.g. ``["attributes.serial_number"]`` or
    ``["name", "site"]``); a row matching no CI creates one. A ``dry_run`` job writes no CI
    and reports what would be created, updated and rejected. ``processed``/``total`` is the
    progress a client polls; large files run as a background job.
    """

    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    file_format = models.CharField(_("format"), max_length=8)
    options = models.JSONField(_("reading options"), default=dict, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    value_map = models.JSONField(_("value mapping"), default=dict, blank=True)
    match_on = models.JSONField(_("identification rule"), default=list)
    default_class = models.ForeignKey(
        "cmdb.CiClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("CI import")

    def __str__(self) -> str:
        return f"import {self.pk} {self.file_name}"


class ImportRow(models.Model):
    """What one row of an import did (or, in a dry run, would do): created or updated a CI,
    or was rejected, naming the column and the reason. Unchanged rows are only counted."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=ImportOutcome.choices)
    ci = models.ForeignKey(
        "cmdb.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key = models.CharField(_("identification"), max_length=300, blank=True)
    column = models.CharField(_("column"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    fields = models.JSONField(_("changed fields"), default=list, blank=True)

    class Meta:
        ordering = ["job", "row", "id"]
        indexes = [models.Index(fields=["job", "outcome", "row"], name="cmdb_importrow_outcome")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row} {self.outcome}"
