"""The conversation on an incident: public replies and internal work notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentVisibility(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    INTERNAL = "internal", _("Internal work note")


class Comment(models.Model):
    """A message on an incident. A public reply is part of the conversation with the
    requester (and counts as the first response when an agent writes it); an internal work
    note is for the people working the incident and is never shown to requesters.

    Comments are never edited or deleted: they are evidence (ISO/IEC 20000-1 7.5).
    """

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incident_comments"
    )
    visibility = models.CharField(_("visibility"), max_length=8, choices=CommentVisibility.choices)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["incident", "created_at"], name="incident_comment_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=CommentVisibility.values),
                name="incident_comment_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.visibility} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.visibility == CommentVisibility.PUBLIC
