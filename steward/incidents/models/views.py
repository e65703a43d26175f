"""Saved views of the incident queue: a named set of filters, private or shared with a team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A person's named queue filters. Shared with ``team``, its members see it among their
    team's views; only the owner edits or deletes it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_views"
    )
    name = models.CharField(_("name"), max_length=80)
    team = models.ForeignKey(
        "identity.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incident_views",
        verbose_name=_("shared with team"),
    )
    filters = models.JSONField(_("filters"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name
