"""Time spent on work items: one ``TimeEntry`` per person, record and piece of work.

Generic like ``Attachment``: an entry points to any registered record type (content type +
id, with the record's number kept for reports and exports). Sums per person and period feed
cost accounting (``steward.workitems.time_selectors``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_MINUTES = 24 * 60


class ActivityType(models.Model):
    """What kind of work the time was (diagnosis, on-site visit, travel...). Seeded by the
    data migration ``workitems/0003_seed_activity_types``; administrators add more."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        lang = (language or get_language() or "zh-hans").lower()
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class TimeEntry(models.Model):
    """``minutes`` of work by ``person`` on a record on ``work_date``. Only the time services
    write these; people edit their own entries, team leads correct their team's."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_number = models.CharField(_("record"), max_length=20, db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("person"),
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    work_date = models.DateField(_("work date"), db_index=True)
    activity = models.ForeignKey(
        ActivityType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("activity"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["work_date", "pk"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="time_entry_record_idx"),
            models.Index(fields=["person", "work_date"], name="time_entry_person_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=MAX_MINUTES),
                name="time_entry_minutes_1_to_1440",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_number} {self.person_id} {self.minutes}"
