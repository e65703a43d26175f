"""Links between incidents: a child caused by a parent (a store's incident caused by the major
incident), and a duplicate of another record (merged into it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LinkKind(models.TextChoices):
    CHILD_OF = "child_of", _("Caused by (child of)")
    DUPLICATE_OF = "duplicate_of", _("Duplicate of")


class IncidentLink(models.Model):
    """``source`` is a child of / a duplicate of ``target``. Read both ways: a parent lists its
    children (``incoming``), a surviving record its merged duplicates.

    A record has at most one parent and is the duplicate of at most one record.
    """

    source = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="outgoing_links"
    )
    target = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="incoming_links"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LinkKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind"], name="incident_link_one_per_kind"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="incident_link_not_self"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LinkKind.values), name="incident_link_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"
