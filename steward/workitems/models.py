"""The shape every ticket type shares (incident, service request, problem, change).

``WorkItem`` is abstract: fields and filters only, no behaviour, no table. Attachments hang
off any work item through a generic relation and are visible exactly when their record is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.workitems.visibility import visible_q


class WorkItemQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> WorkItemQuerySet:
        """Only the records ``user`` may see (see ``steward.workitems.visibility``)."""
        return self.filter(visible_q(user))


class WorkItem(models.Model):
    """Common fields of a ticket: number, text, people, organisation, priority, times."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_requested",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_assigned",
    )
    team = models.ForeignKey(
        "identity.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    department = models.ForeignKey(
        "identity.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    site = models.ForeignKey(
        "identity.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Seen only by the record's team and its requester (e.g. security incidents)."),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Attachment(models.Model):
    """A file on a work item. Seen by whoever may see the record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100, default="application/octet-stream")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


from steward.workitems.time_models import ActivityType, TimeEntry  # noqa: E402

__all__ = ["ActivityType", "Attachment", "TimeEntry", "WorkItem", "WorkItemQuerySet"]
