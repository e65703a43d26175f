"""The conversation on a service request: public messages and internal work notes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestComment(models.Model):
    """A message on a service request. A public one is part of the conversation with the
    requester ("when will my laptop arrive?"); an internal work note is for the people
    fulfilling it and never shown to the requester. Never edited or deleted (evidence)."""

    request = models.ForeignKey(
        "fulfilment.ServiceRequest", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="request_comments"
    )
    public = models.BooleanField(_("public"), default=True)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="request_comment_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="request_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {'public' if self.public else 'internal'}"
